"""The building blocks every app's JSON API is made of — the one error format
(``apikit.errors``), the one pagination format (``apikit.pagination``) and the shared schemas
(``apikit.schemas``). Pure: they name no app, so any floor may use them.

(Not ``core.api``: that module is the jobs router, an endpoint rather than a building block.)"""

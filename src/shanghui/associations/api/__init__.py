"""The associations app's JSON API (routers assembled by ``site.api``):

- ``associations``: the platform's associations and an association's public profile
  (``public_router``), and ``tenant_router``, under which every app's endpoints for one
  association hang;
- ``schemas``: associations and onboarding applications (the platform console's and
  onboarding's endpoints, in ``accounts.api``, answer with them too).
"""

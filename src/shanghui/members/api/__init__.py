"""The members app's JSON API (routers assembled by ``shanghui.api.api``):

- ``members``: members, their status and history, levels, the membership policy,
  representatives, logos and photos (``members_router``), with their bodies in ``schemas``;
- ``applications``: applications to join (``applications_router``);
- ``imports``: the member import (``imports_router``).
"""

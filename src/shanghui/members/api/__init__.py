"""The members app's JSON API (routers assembled by ``shanghui.api.api``):

- ``members``: members, their status and history, levels, the membership policy and
  representatives (``members_router``), mounted together with ``pictures`` as ``members_api``;
- ``pictures``: members' logos and representatives' photos;
- ``schemas``: the request and response bodies of both; ``access``: what their endpoints share;
- ``applications``: applications to join (``applications_router``);
- ``imports``: the member import (``imports_router``).
"""

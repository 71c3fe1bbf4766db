"""The accounts app's JSON API (routers assembled by ``site.api``):

- ``auth``: tokens by password or SMS code, revoking them, resetting the password
  (``auth_router``);
- ``me``: the caller's own account, 个人中心 (``me_router``);
- ``roles``: an association's people and roles, and invitations (``roles_router``);
- ``audit``: an association's audit log (``audit_router``);
- ``onboarding``: applying to join the platform (``onboarding_router``);
- ``platform``: the platform console, operators only (``platform_router``);
- ``schemas``: the request and response bodies of all of them.
"""

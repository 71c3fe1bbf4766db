"""What changes the accounts app's data (services: keyword-only, ``actor=``, audit-logged):

- ``account``: the person's own account — privacy notice and consent, the profile, phone
  visibility, the WeChat binding, creating an account by phone;
- ``signin``: signing in (password, SMS code), what protects it, changing and resetting the
  password, revoking credentials; ``codes``: the one-time SMS codes they use;
- ``tokens``: API tokens;
- ``invitations``: inviting people by phone to a role, accepting and re-sending invitations;
- ``roles``: granting, changing and ending roles (the one place roles change);
- ``onboarding``: approving an association's application to join the platform, and its first
  administrators' invitations.
"""

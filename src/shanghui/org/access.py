"""Who may do what in the organisation structure, in terms of the platform's permissions
(decided in ``accounts.permissions``).

- Reading: every member of the association (``VIEW_SPACE``) through the API; the back-office
  pages need ``VIEW_OFFICE``. The public organisation chart needs nothing, once published.
- The structure — terms, posts, the change of term (换届), publishing the chart, consenting to
  share figures with a parent association — is the association's settings: ``EDIT_SETTINGS``.
- People in it — appointments, committees and their members, branches, group members — are
  the secretariat's daily work with members: ``MANAGE_MEMBERS``.
"""

from shanghui.accounts.permissions import Perm

READ = Perm.VIEW_SPACE
READ_OFFICE = Perm.VIEW_OFFICE
EDIT_STRUCTURE = Perm.EDIT_SETTINGS
EDIT_PEOPLE = Perm.MANAGE_MEMBERS

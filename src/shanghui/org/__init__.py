"""The organisation structure of an association: terms (届), posts and appointments, committees,
branches, group members and the public organisation chart.

Who may do what, in the platform's permissions (``accounts.permissions.Perm``):

- Reading: every member of the association (``VIEW_SPACE``) through the API; the back-office
  pages need ``VIEW_OFFICE``. The public organisation chart needs nothing, once published.
- The structure — terms, posts, the change of term (换届), publishing the chart, consenting to
  share figures with a parent association — is the association's settings: ``EDIT_SETTINGS``.
- People in it — appointments, committees and their members, branches, group members — are
  the secretariat's daily work with members: ``MANAGE_MEMBERS``.
"""

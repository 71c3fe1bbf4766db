"""Changing the organisation structure. Every service is called by both the back-office pages
and the API, inside the association's tenant context, with objects the caller obtained
through ``org.selectors.access_*`` (so they belong to ``association``); keyword-only, with
``actor=``, one transaction, audit-logged. Bad input raises a ``ValidationError`` with a
Chinese message per field and changes nothing.

- ``terms``: terms (届), the change of term (换届), publishing the public chart;
- ``posts``: posts (职务) with the default set, and appointments (who holds which post);
- ``units``: committees and their members, branches (分会), group members (团体会员), and the
  child association's consent to share its figures with a parent;
- ``validation``: the field checks the services share.
"""

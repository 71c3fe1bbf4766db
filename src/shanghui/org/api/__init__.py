"""The organisation structure's API under /api/v1/associations/{slug}/org/…: terms, posts,
appointments, the change of term (换届), committees and their members, branches, group
members, the consent to share figures with a parent association, the public chart, and the
recycle bin (回收站) with its restores.
Thin: access, call the same services as the pages. Who may do what: ``shanghui.org``.

- ``router``: ``org_router`` with every endpoint registered;
- ``base``: the router, the caller and the permission checks; ``schemas``: the bodies;
- ``terms``: terms, posts, appointments, the change of term, the chart; ``units``:
  committees, branches, group members, sharing consent; ``trash``: the recycle bin.
"""

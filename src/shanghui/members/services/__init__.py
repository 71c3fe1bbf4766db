"""What changes the members app's data (services: keyword-only, ``actor=``, audit-logged):

- ``members``: members — the checked input shared by the form, the API and the import,
  creating and editing members, their lifecycle, and the search fields of members and people;
- ``policy``: the membership policy (member numbering, referrer rule) and the levels;
- ``representatives``: the people who represent a member, adding, changing, removing and
  restoring them;
- ``applications``: online applications to join, from submission to the decision;
- ``pictures``: members' logos and people's photos.

The member import has its own package, ``members.imports``.
"""

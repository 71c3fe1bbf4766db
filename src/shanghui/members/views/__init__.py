"""The members app's pages (thin: parse, access, call a service, render):

- ``members``: the space's home, the directory and member cards, and the back office's member
  list, record, forms, status changes, export and representatives;
- ``levels``: the back office's levels and membership policy;
- ``applications``: applying to join, amending, and the secretariat's review;
- ``imports``: the back office's member import, upload to result;
- ``pictures``: logos and photos, shown and changed.
"""

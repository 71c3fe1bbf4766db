"""The document library (资料库): each association's folders and files, every overwrite kept
as a version, a trash that keeps what is deleted for at least 30 days, share links, previews.

- ``models``: ``Folder``, ``DriveFile`` (a name in a folder), ``FileVersion`` (its bytes:
  ``core.StoredContent``), ``ShareLink``.
- ``selectors``: which folders a person may see (the folder's audience), listings, search,
  the trash, and the ``access_*`` helpers every lookup by id goes through.
- ``services/``: ``folders`` (create, rename, move, delete, restore, purge), ``files``
  (upload, versions, delete, restore, purge, retention), ``shares`` (share links).
- ``views/`` the pages (back office and member), ``api/`` the same through ``/api/v1/``.
"""

"""The storage service every module stores files through (the document library's floor).

- ``stores``: where bytes live — the local filesystem (atomic writes: a temporary file in the
  object's own directory, fsync, rename, fsync of the directory) or S3-compatible object
  storage through django-storages — addressed by SHA-256 under one namespace per
  association (``a/<association_id>/``) or the platform's (``platform/``).
- ``content``: the service over ``core.StoredContent`` — storing a stream (hashed as it is
  read, never held whole in memory, checked against the association's quota), reading it
  back with every block verified before it is sent, usage, and removing content nothing
  refers to any more.
"""

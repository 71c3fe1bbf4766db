"""Backup and restore of the whole platform or of one association: rows and files in one
zip archive with a manifest of row fingerprints and file hashes (docs/backup.md).

- ``tables``: which tables, and the canonical form of a row (the fingerprint's input);
- ``snapshot``: one consistent view of the database while writers go on;
- ``archive``: writing the archive (``backup_write``);
- ``restore``: restoring it (``backup_restore``): what goes where, and the checks;
- ``numbering``: ids — kept, refused or renumbered — and rewriting an archived row.
"""

from shanghui.core.backup.archive import BackupError, backup_write
from shanghui.core.backup.restore import RestoreResult, backup_restore, read_manifest

__all__ = ["BackupError", "RestoreResult", "backup_restore", "backup_write", "read_manifest"]

"""The import's tasks moved to ``members.imports.tasks``. The task queue stores a task by its
dotted path, so a validation or commit queued before the deploy that moved them still names
this module; it stays for one release so that such a task runs instead of failing to import.
Remove it in the release after 2026-12."""

from shanghui.members.imports.tasks import commit_member_import, validate_member_import

__all__ = ["commit_member_import", "validate_member_import"]

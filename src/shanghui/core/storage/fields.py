"""``StoredFileField``: how a record of any module holds a file.

It is a foreign key to ``core.StoredFile`` (the current version), so the database itself
guarantees that no record points at content that is gone (the key is ``PROTECT``, and the
content row behind it is ``PROTECT`` too). What the field says about its files — kept as
versions and trashed when removed, or gone when replaced (a person's own photo), or expiring
(an import's file, an export's result) — is read by ``core.storage.files`` from the field.
"""

from typing import Any, Literal

from django.db import models

# versioned: every replaced version is kept, a removed file goes to the trash.
# replaced: the previous file is gone when replaced or removed (personal-information law:
#   a person's own photo).
# expiring: like "replaced", and removed with its record's field emptied after
#   ``TASK_RETENTION_DAYS`` — import files and export results hold phone lists.
Keeping = Literal["versioned", "replaced", "expiring"]


class StoredFileField(models.ForeignKey):
    def __init__(self, verbose_name: Any = None, *, keeping: Keeping = "versioned", **kwargs: Any):
        self.keeping: Keeping = keeping
        kwargs.setdefault("to", "core.StoredFile")
        kwargs.setdefault("on_delete", models.PROTECT)
        kwargs.setdefault("related_name", "+")
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(verbose_name=verbose_name, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.keeping != "versioned":
            kwargs["keeping"] = self.keeping
        return name, path, args, kwargs

    @property
    def holder(self) -> str:
        """What ``StoredFile.holder`` says for this field: "events.event.cover"."""
        opts = self.model._meta
        return f"{opts.app_label}.{opts.model_name}.{self.name}"


def stored_file_fields(model: type[models.Model]) -> list[StoredFileField]:
    return [f for f in model._meta.get_fields() if isinstance(f, StoredFileField)]

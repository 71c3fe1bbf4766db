"""Deleting that can be undone: the recycle bin (回收站) every module shares.

A table whose rows the secretariat may delete and want back inherits ``SoftDeleteModel``:
deleting sets ``deleted_at`` / ``deleted_by``, restoring clears them. Deleted rows are out of
sight the way another association's rows are — the default manager (``objects``) leaves
them out of every query and every reverse relation (``member.representatives.all()``,
``prefetch_related``), so no page, export or API answer shows them by forgetting a filter.
Reading them is explicit: ``Model.with_deleted`` (still scoped to the association) in the
recycle bin and in what erases a person's data. Joins written as lookups
(``Person.objects.filter(representations__member=…)``) bypass managers: they add
``<relation>__deleted_at__isnull=True`` themselves.

Unique constraints of such tables are partial (``condition=ALIVE``): a deleted row does not
hold its name, and a restore that would collide with a row created since is refused.
``soft_delete`` and ``restore`` write the audit record, with a snapshot of the row(s), so the
audit log says what was deleted — not only a name. Rows deleted together (a committee and its
members) share one ``deleted_at`` and come back together.

Hard deletion still happens where it must (account deletion, a member's removal): Django's
cascades use the plain base manager and reach deleted rows too.
"""

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django_scopes import ScopedManager

from shanghui.core.audit import audit
from shanghui.core.tenancy import TenantModel
from shanghui.core.types import Account, Tenant

__all__ = [
    "ALIVE",
    "SoftDeleteModel",
    "access_deleted",
    "deleted_rows",
    "restore",
    "snapshot",
    "soft_delete",
]

# The condition of a soft-deletable table's unique constraints, and of joins to it.
ALIVE = models.Q(deleted_at__isnull=True)

M = TypeVar("M", bound="SoftDeleteModel")


class _AliveManager(models.Manager[Any]):
    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(TenantModel):
    """A tenant table whose deleted rows stay, hidden, until restored (see the module)."""

    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
    )

    # ``objects`` stays first: it is the default manager, which reverse relations use too.
    objects = ScopedManager(_manager_class=_AliveManager, association="association")  # type: ignore[django-manager-missing,misc]
    with_deleted = ScopedManager(association="association")  # type: ignore[django-manager-missing]

    class Meta:
        abstract = True


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model, **extra: Any) -> dict[str, Any]:
    """The row as plain JSON values — its own columns (foreign keys as ids, dates as ISO text),
    without the association and the deletion marks — and ``extra``: what a reader of the audit
    log needs to recognise the row (whose representative, which person)."""
    row = {
        field.attname: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if field.name not in {"association", "deleted_at", "deleted_by"}
    }
    return _plain({**row, **extra})


def soft_delete(
    *,
    association: Tenant,
    actor: Account | None,
    obj: SoftDeleteModel,
    action: str,
    summary: str,
    data: dict[str, Any] | None = None,
    target: models.Model | None = None,
    with_rows: Iterable[SoftDeleteModel] = (),
) -> datetime:
    """Moves ``obj`` — and ``with_rows``, which go and come back with it — to the recycle bin,
    and audits ``action`` with the snapshot of ``obj`` (``data`` adds to it, e.g. the rows
    that went with it). Call inside the service's transaction. Returns the deletion time."""
    at = timezone.now()
    rows = [obj, *with_rows]
    for row in rows:
        row.deleted_at, row.deleted_by_id = at, actor.pk if actor is not None and actor.pk else None
    type(obj).with_deleted.filter(pk=obj.pk).update(deleted_at=at, deleted_by_id=obj.deleted_by_id)
    for model in {type(row) for row in rows[1:]}:
        model.with_deleted.filter(pk__in=[r.pk for r in rows[1:] if type(r) is model]).update(
            deleted_at=at, deleted_by=obj.deleted_by
        )
    audit(
        actor=actor,
        action=action,
        association=association,
        target=target or obj,
        summary=summary,
        data={"snapshot": snapshot(obj), "deleted_id": obj.pk, **_plain(data or {})},
    )
    return at


def restore(
    *,
    association: Tenant,
    actor: Account | None,
    obj: M,
    action: str,
    summary: str,
    conflict: str,
    target: models.Model | None = None,
    with_models: Iterable[type[SoftDeleteModel]] = (),
    with_filter: dict[str, Any] | None = None,
) -> M:
    """Brings ``obj`` back from the recycle bin, with the rows of ``with_models`` (filtered by
    ``with_filter``) that were deleted with it. A unique constraint the restore would break —
    a row of that name was created since — refuses it with ``conflict`` and changes nothing.
    Audited with the snapshot of what came back."""
    at = obj.deleted_at
    if at is None:
        return obj
    try:
        with transaction.atomic():
            type(obj).with_deleted.filter(pk=obj.pk).update(deleted_at=None, deleted_by=None)
            count = 0
            for model in with_models:
                count += model.with_deleted.filter(
                    association=association.pk, deleted_at=at, **(with_filter or {})
                ).update(deleted_at=None, deleted_by=None)
    except IntegrityError as exc:
        raise ValidationError(conflict) from exc
    obj.deleted_at, obj.deleted_by = None, None
    audit(
        actor=actor,
        action=action,
        association=association,
        target=target or obj,
        summary=summary,
        data={"snapshot": snapshot(obj), "restored_id": obj.pk, "restored_with": count},
    )
    return obj


def deleted_rows(model: type[M], *, association: Tenant) -> models.QuerySet[M]:
    """The recycle bin of one table: its deleted rows in ``association``, latest first."""
    return model.with_deleted.filter(association=association, deleted_at__isnull=False).order_by(
        "-deleted_at", "-pk"
    )


def access_deleted(model: type[M], *, association: Tenant, pk: int) -> M:
    """A deleted row of ``association`` by an id from a URL; the same 404 for a missing id,
    another association's and a row that is not deleted."""
    obj = deleted_rows(model, association=association).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj

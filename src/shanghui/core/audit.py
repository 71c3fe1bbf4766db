"""The audit log: every service that changes data records who, what, when, which association
and from where.

An entry stores a code (``member.update``) and, for changes, the changed field names in
``data["fields"]``; what a reader sees is made when it is read, in the reader's language:
``action_label`` from the labels each app declares in its ``audit_labels`` module
(``register_action_labels``), ``entry_summary`` with field names as the model calls them."""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from shanghui.core.models import AuditEntry, PlatformAuditEntry
from shanghui.core.request_context import Origin, current_origin
from shanghui.core.types import Account, Tenant

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    # A label, or for a family of codes ending in ``.*`` a function of the last part
    # (``member.status.*`` → the status's name).
    ActionLabel = _StrOrPromise | Callable[[str], str]


def audit(
    *,
    actor: Account | None,
    action: str,
    association: Tenant | None = None,
    target: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Append one audit record; association-scoped when ``association`` is given."""
    origin = current_origin.get() or Origin()
    fields: dict[str, Any] = {
        "actor": actor if actor is not None and actor.pk else None,
        "action": action,
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "summary": summary[:300],
        "data": data or {},
        "ip": origin.ip,
        "user_agent": origin.user_agent[:300],
    }
    if association is not None:
        AuditEntry.objects.create(association_id=association.pk, **fields)
    else:
        PlatformAuditEntry.objects.create(**fields)


_ACTION_LABELS: dict[str, "ActionLabel"] = {}
_discovered = False


def register_action_labels(labels: Mapping[str, "ActionLabel"]) -> None:
    """Called from an app's ``audit_labels`` module with the codes its services write."""
    _ACTION_LABELS.update(labels)


def _labels() -> dict[str, "ActionLabel"]:
    global _discovered
    if not _discovered:
        autodiscover_modules("audit_labels")
        _discovered = True
    return _ACTION_LABELS


def status_label(
    choices: type[models.TextChoices], message: "_StrOrPromise"
) -> Callable[[str], str]:
    """The label of a family of codes ending in a status (``member.status.*``): ``message``
    with ``%(status)s`` replaced by the status's name in the active language."""

    def label(status: str) -> str:
        try:
            name = str(choices(status).label)
        except ValueError:
            name = status
        return str(message) % {"status": name}

    return label


def action_label(action: str) -> str:
    """What an audit code means, in the active language; the code itself if no app names it."""
    labels = _labels()
    label = labels.get(action)
    if label is not None and not callable(label):
        return str(label)
    # The longest family the code belongs to: ``job.*`` holds ``job.members.export``.
    for key in sorted((k for k in labels if k.endswith(".*")), key=len, reverse=True):
        family_label = labels[key]
        if action.startswith(key[:-1]) and callable(family_label):
            return family_label(action[len(key) - 1 :])
    return action


def field_names(model_label: str, names: list[str]) -> list[str]:
    """The fields' names as the model calls them, in the active language; unknown ones as
    they are."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return names
    shown = []
    for name in names:
        try:
            shown.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            shown.append(name)
    return shown


def entry_summary(entry: models.Model) -> str:
    """The summary shown for an entry: the changed fields by name ("入会日期、手机号"), else the
    summary as written. Entries written before fields were kept apart hold the field names in
    the summary itself; they read the same way when every part is a field of the target."""
    data: dict[str, Any] = getattr(entry, "data", None) or {}
    target_type: str = getattr(entry, "target_type", "")
    summary: str = getattr(entry, "summary", "")
    fields = data.get("fields")
    if isinstance(fields, list) and target_type:
        return _("、").join(field_names(target_type, [str(f) for f in fields]))
    parts = summary.split(",")
    if target_type and summary and all(_has_field(target_type, part) for part in parts):
        return _("、").join(field_names(target_type, parts))
    return summary


def _has_field(model_label: str, name: str) -> bool:
    try:
        apps.get_model(model_label)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return False
    return True

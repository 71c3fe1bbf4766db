"""Honors (荣誉): those the association received (全国工商联 "抗击新冠肺炎疫情先进组织") and
those it gives to members and donors for their giving — recorded, corrected, revoked, and
certified.

A given honor gets its certificate number (series "charity.certificate", "RY2026-000001")
and the token of its public verification page once, when it is recorded (or, for a row
that has none, when its certificate is first issued); neither ever changes. Revoking keeps
the row and its number: the verification page then answers 404 and the member's card no
longer shows it."""

import secrets
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.charity.models import Campaign, Honor
from shanghui.charity.services.common import clean_text
from shanghui.core.audit import audit
from shanghui.core.numbering import number_next
from shanghui.core.storage.files import file_attach, store_refusals
from shanghui.core.types import Tenant
from shanghui.core.uploads import image_normalized, picture_put
from shanghui.members.models import Member

CERTIFICATE_SERIES = "charity.certificate"
CERTIFICATE_PREFIX = "RY"


@dataclass(frozen=True)
class HonorInput:
    """An honor as the form or the API gives it. ``member`` and ``campaign`` are looked up
    by the caller through the association's access helpers."""

    direction: str
    title: str
    awarded_by: str
    awarded_on: object
    description: str = ""
    campaign: Campaign | None = None
    member: Member | None = None
    recipient_name: str = ""
    shown_on_card: bool = False
    is_public: bool = False


def _awarded_on(value: object) -> date:
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError({"awarded_on": _("请填写授予日期，例如 2020-09-08")}) from exc
    if value > timezone.localdate():
        raise ValidationError({"awarded_on": _("授予日期不能晚于今天")})
    if value.year < 1950:
        raise ValidationError({"awarded_on": _("授予日期无效")})
    return value


def _fields(association: Tenant, data: HonorInput) -> dict[str, object]:
    """The columns of ``data``, every field checked; all refusals at once."""
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}

    def check(name: str, run: object) -> None:
        try:
            values[name] = run() if callable(run) else run
        except ValidationError as exc:
            errors.update(exc.message_dict)

    if data.direction not in Honor.Direction.values:
        errors["direction"] = [_("请选择荣誉类别：商会获得的荣誉或授予会员的荣誉")]
    check(
        "title",
        lambda: clean_text(data.title, field="title", limit=100, required=_("请填写荣誉名称")),
    )
    check(
        "awarded_by",
        lambda: clean_text(
            data.awarded_by, field="awarded_by", limit=100, required=_("请填写授予单位")
        ),
    )
    check("awarded_on", lambda: _awarded_on(data.awarded_on))
    check("description", lambda: clean_text(data.description, field="description", limit=2000))
    check(
        "recipient_name", lambda: clean_text(data.recipient_name, field="recipient_name", limit=100)
    )
    for obj, field in ((data.campaign, "campaign"), (data.member, "member")):
        if obj is not None and getattr(obj, "association_id", None) != association.pk:
            errors[field] = [_("请选择本会的记录")]
    if data.direction == Honor.Direction.RECEIVED:
        if data.member is not None:
            errors["member"] = [_("商会获得的荣誉不能选择会员")]
        if data.shown_on_card:
            errors["shown_on_card"] = [_("只有授予会员的荣誉可以在会员名片上展示")]
        values["recipient_name"] = ""
    elif data.direction == Honor.Direction.GIVEN:
        if data.member is None and not values.get("recipient_name"):
            errors["member"] = [_("请选择获得荣誉的会员，或填写获得者名称")]
        if data.member is None and data.shown_on_card:
            errors["shown_on_card"] = [_("只有授予会员的荣誉可以在会员名片上展示")]
        if data.member is not None and not values.get("recipient_name"):
            values["recipient_name"] = data.member.name
    if errors:
        raise ValidationError(errors)
    return {
        **values,
        "direction": data.direction,
        "campaign": data.campaign,
        "member": data.member if data.direction == Honor.Direction.GIVEN else None,
        "shown_on_card": bool(data.shown_on_card),
        "is_public": bool(data.is_public),
    }


def _certify(association: Tenant, honor: Honor) -> list[str]:
    """Gives a given honor its certificate number and verification token if it has none;
    the fields it set."""
    changed = []
    if not honor.certificate_no:
        year = timezone.localdate().year
        honor.certificate_no = number_next(
            association, CERTIFICATE_SERIES, year=year, prefix=CERTIFICATE_PREFIX
        )
        changed.append("certificate_no")
    if not honor.verify_token:
        honor.verify_token = secrets.token_hex(16)
        changed.append("verify_token")
    return changed


@transaction.atomic
def honor_create(*, association: Tenant, actor: User | None, data: HonorInput) -> Honor:
    """Records an honor. A given one gets its certificate number and verification token
    now. Nothing is written when anything is refused; audit-logged."""
    values = _fields(association, data)
    honor = Honor(association_id=association.pk, created_by=actor, **values)
    if honor.direction == Honor.Direction.GIVEN:
        _certify(association, honor)
    honor.save()
    audit(
        actor=actor,
        action="charity.honor.create",
        association=association,
        target=honor,
        summary=f"{honor.title} {honor.recipient_name}".strip(),
        data={"direction": honor.direction, "certificate_no": honor.certificate_no},
    )
    return honor


def _lock(association: Tenant, honor: Honor) -> Honor:
    return Honor.objects.select_for_update().get(association_id=association.pk, pk=honor.pk)


@transaction.atomic
def honor_update(
    *, association: Tenant, actor: User | None, honor: Honor, data: HonorInput
) -> Honor:
    """Corrects an honor. Its kind (received or given), certificate number and token stay;
    a revoked honor is not edited."""
    if honor.association_id != association.pk:
        raise ValidationError(_("请选择本会的记录"))
    locked = _lock(association, honor)
    if locked.revoked_at is not None:
        raise ValidationError(_("该荣誉已撤销，不能修改"))
    if data.direction != locked.direction:
        raise ValidationError(
            {"direction": _("荣誉类别登记后不能更改；如登记错了，请撤销后重新登记")}
        )
    values = _fields(association, data)
    before = {name: str(getattr(locked, name)) for name in values}
    for name, value in values.items():
        setattr(locked, name, value)
    changed = [name for name in values if str(getattr(locked, name)) != before[name]]
    if locked.direction == Honor.Direction.GIVEN:
        changed += _certify(association, locked)
    if changed:
        locked.save(update_fields=sorted(set(changed)))
        audit(
            actor=actor,
            action="charity.honor.update",
            association=association,
            target=locked,
            summary=f"{locked.title} {locked.recipient_name}".strip(),
            data={"changed": changed},
        )
    return locked


@transaction.atomic
def honor_revoke(*, association: Tenant, actor: User | None, honor: Honor, reason: str) -> Honor:
    """Revokes an honor (撤销): the row and its certificate number stay, its verification
    page answers 404, the member's card stops showing it. Once."""
    if honor.association_id != association.pk:
        raise ValidationError(_("请选择本会的记录"))
    reason = clean_text(reason, field="reason", limit=300, required=_("请填写撤销原因"))
    locked = _lock(association, honor)
    if locked.revoked_at is not None:
        raise ValidationError(_("该荣誉已经撤销"))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit(
        actor=actor,
        action="charity.honor.revoke",
        association=association,
        target=locked,
        summary=f"{locked.title} {locked.recipient_name}: {reason}".strip(),
        data={"reason": reason, "certificate_no": locked.certificate_no},
    )
    return locked


@transaction.atomic
def honor_certificate_ready(*, association: Tenant, actor: User | None, honor: Honor) -> Honor:
    """The honor as its certificate shows it: a given, unrevoked honor, with its number and
    token (taken now if a row recorded without them has none)."""
    if honor.association_id != association.pk:
        raise ValidationError(_("请选择本会的记录"))
    if honor.direction != Honor.Direction.GIVEN:
        raise ValidationError(_("商会获得的荣誉没有本会出具的证书"))
    if honor.revoked_at is not None:
        raise ValidationError(_("该荣誉已撤销，不能出具证书"))
    if honor.certificate_no and honor.verify_token:
        return honor
    locked = _lock(association, honor)
    changed = _certify(association, locked)
    if changed:
        locked.save(update_fields=changed)
        audit(
            actor=actor,
            action="charity.honor.certificate",
            association=association,
            target=locked,
            summary=locked.certificate_no,
        )
    return locked


IMAGE_HOLDER = "charity.honor.image"
IMAGE_MAX_SIDE = 1600


def honor_image_set(
    *, association: Tenant, actor: User | None, honor: Honor, upload: UploadedFile | None
) -> Honor:
    """A photo of the certificate or medal (JPEG or PNG, re-encoded without metadata); a new
    one replaces the last, which is kept as a version. Not for a revoked honor."""
    if honor.association_id != association.pk:
        raise ValidationError(_("请选择本会的记录"))
    if honor.revoked_at is not None:
        raise ValidationError({"image": _("该荣誉已撤销，不能修改")})
    picture = image_normalized(upload, field="image", max_side=IMAGE_MAX_SIDE)
    with store_refusals("image"):
        stored = picture_put(association, picture, holder=IMAGE_HOLDER, by=actor)
    with transaction.atomic():
        locked = _lock(association, honor)
        file_attach(locked, "image", stored)
        audit(
            actor=actor,
            action="charity.honor.image",
            association=association,
            target=locked,
            summary=stored.name,
        )
    return locked

"""Campaigns (公益项目), partner organizations (合作机构) and pledges (认捐) with their
installment schedules.

Every service refuses bad input with a ``ValidationError`` naming the field in Chinese and
writes nothing then; amounts and quantities are parsed here (``core.money.parse_cny`` for
money), so the pages and the API refuse the same things with the same messages. Every change
is audit-logged (``charity.campaign.*``, ``charity.partner.*``, ``charity.pledge.*``).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.charity.models import (
    Campaign,
    CampaignPartner,
    DonorKind,
    GiftKind,
    Partner,
    Pledge,
    PledgeInstallment,
)
from shanghui.charity.quantities import parse_quantity
from shanghui.charity.services.common import clean_text, own_record
from shanghui.charity.services.donations import DonorInput, donor_fields, pledge_status_sync
from shanghui.core.audit import audit
from shanghui.core.money import format_cny, parse_cny
from shanghui.core.regions import is_valid_region
from shanghui.core.types import Tenant
from shanghui.core.uscc import is_valid_uscc

# Campaign goals and pledges: up to 999,999,999,999.99 元 (the columns' max_digits=14).
MAX_GOAL = Decimal("999999999999.99")
MAX_REGIONS = 50
MAX_INSTALLMENTS = 60


def _date(value: object, *, field: str, required: str = "") -> date | None:
    """A date from a form (already a ``date``) or the API; ``None`` when empty and allowed."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: required})
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError({field: _("请填写有效日期，例如 2026-03-15")}) from exc
    if not 2000 <= value.year <= 2100:
        raise ValidationError({field: _("日期应在 2000 年至 2100 年之间")})
    return value


def _collect(errors: dict[str, list[str]], exc: ValidationError) -> None:
    for key, messages in exc.message_dict.items():
        errors.setdefault(key, []).extend(messages)


# --- Campaigns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignInput:
    """A campaign as a form or the API gives it. Amounts and quantities may be text as typed;
    ``partners`` were looked up by the caller through ``access_partner``."""

    title: str
    starts_on: object
    summary: str = ""
    status: str = Campaign.Status.PLANNED
    ends_on: object = None
    goal_amount: object = None
    goal_item: str = ""
    goal_quantity: object = None
    goal_unit: str = ""
    region_codes: list[str] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    pledge_deadline: object = None
    public_fundraising_url: str = ""
    is_public: bool = False


def _region_codes(codes: object) -> list[str]:
    if not isinstance(codes, list | tuple):
        raise ValidationError({"region_codes": _("受益地区应为地区代码列表")})
    cleaned: list[str] = []
    for code in codes:
        text = str(code or "").strip()
        if not text:
            continue
        if not is_valid_region(text):
            raise ValidationError(
                {
                    "region_codes": _("地区代码 %(code)s 无效（应为 6 位行政区划代码）")
                    % {"code": text[:12]}
                }
            )
        if text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_REGIONS:
        raise ValidationError({"region_codes": _("受益地区最多 %(n)d 个") % {"n": MAX_REGIONS}})
    return cleaned


def _campaign_fields(association: Tenant, data: CampaignInput) -> dict[str, object]:
    """The campaign's columns from ``data``, every problem reported at once."""
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    checks = {
        "title": lambda: clean_text(
            data.title, field="title", limit=100, required=_("请填写项目名称")
        ),
        "summary": lambda: clean_text(data.summary, field="summary", limit=5000),
        "starts_on": lambda: _date(data.starts_on, field="starts_on", required=_("请填写开始日期")),
        "ends_on": lambda: _date(data.ends_on, field="ends_on"),
        "pledge_deadline": lambda: _date(data.pledge_deadline, field="pledge_deadline"),
        "goal_amount": lambda: (
            None
            if data.goal_amount in (None, "")
            else parse_cny(data.goal_amount, field="goal_amount", maximum=MAX_GOAL)
        ),
        "goal_item": lambda: clean_text(data.goal_item, field="goal_item", limit=50),
        "goal_quantity": lambda: parse_quantity(data.goal_quantity, field="goal_quantity"),
        "goal_unit": lambda: clean_text(data.goal_unit, field="goal_unit", limit=10),
        "region_codes": lambda: _region_codes(data.region_codes),
        "public_fundraising_url": lambda: _url(data.public_fundraising_url),
    }
    for key, check in checks.items():
        try:
            values[key] = check()
        except ValidationError as exc:
            _collect(errors, exc)
    if data.status not in Campaign.Status.values:
        errors.setdefault("status", []).append(_("请选择项目状态"))
    for partner in data.partners:
        if partner.association_id != association.pk:
            errors.setdefault("partners", []).append(_("请选择本会的合作机构"))
            break
    if not errors:
        starts, ends = values["starts_on"], values["ends_on"]
        if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
            errors["ends_on"] = [_("结束日期不能早于开始日期")]
        if values["goal_quantity"] is not None and not values["goal_item"]:
            errors["goal_item"] = [_("填写了目标数量，请同时填写目标物资名称")]
        if values["goal_item"] and values["goal_quantity"] is None:
            errors["goal_quantity"] = [_("请填写目标物资的数量")]
    if errors:
        raise ValidationError(errors)
    values["status"] = data.status
    values["is_public"] = bool(data.is_public)
    return values


def _url(value: object) -> str:
    text = clean_text(value, field="public_fundraising_url", limit=200)
    if text:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError as exc:
            raise ValidationError(
                {"public_fundraising_url": _("请填写以 http:// 或 https:// 开头的完整网址")}
            ) from exc
    return text


def _set_partners(association: Tenant, campaign: Campaign, partners: list[Partner]) -> None:
    wanted = {p.pk for p in partners}
    links = CampaignPartner.objects.filter(association_id=association.pk, campaign=campaign)
    links.exclude(partner_id__in=wanted).delete()
    have = set(links.values_list("partner_id", flat=True))
    CampaignPartner.objects.bulk_create(
        CampaignPartner(association_id=association.pk, campaign=campaign, partner_id=pk)
        for pk in sorted(wanted - have)
    )


@transaction.atomic
def campaign_create(*, association: Tenant, actor: User | None, data: CampaignInput) -> Campaign:
    """Creates a campaign of ``association`` with its partners. For the secretariat
    (``charity.manage``); the caller checks the permission. Audit-logged."""
    values = _campaign_fields(association, data)
    campaign = Campaign.objects.create(association_id=association.pk, created_by=actor, **values)
    _set_partners(association, campaign, data.partners)
    audit(
        actor=actor,
        action="charity.campaign.create",
        association=association,
        target=campaign,
        summary=campaign.title,
    )
    return campaign


@transaction.atomic
def campaign_update(
    *, association: Tenant, actor: User | None, campaign: Campaign, data: CampaignInput
) -> Campaign:
    """Changes every field of ``campaign`` (and its partners) to ``data``. Its progress is
    read from the ledger, so nothing here changes a figure. Audit-logged with what changed."""
    own_record(association, campaign, "campaign")
    values = _campaign_fields(association, data)
    changed = [key for key, value in values.items() if getattr(campaign, key) != value]
    for key, value in values.items():
        setattr(campaign, key, value)
    if changed:
        campaign.save(update_fields=changed)
    old_partners = set(
        CampaignPartner.objects.filter(
            association_id=association.pk, campaign=campaign
        ).values_list("partner_id", flat=True)
    )
    _set_partners(association, campaign, data.partners)
    if old_partners != {p.pk for p in data.partners}:
        changed.append("partners")
    audit(
        actor=actor,
        action="charity.campaign.update",
        association=association,
        target=campaign,
        summary=campaign.title,
        data={"changed": changed},
    )
    return campaign


# --- Partners -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerInput:
    name: str
    kind: str = Partner.Kind.OTHER
    uscc: str = ""
    region_code: str = ""
    issues_official_receipts: bool = False


@transaction.atomic
def partner_save(
    *,
    association: Tenant,
    actor: User | None,
    data: PartnerInput,
    partner: Partner | None = None,
) -> Partner:
    """Creates a partner organization (``partner`` None) or changes one. Names are unique in
    the association. Audit-logged."""
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    try:
        values["name"] = clean_text(
            data.name, field="name", limit=100, required=_("请填写机构名称")
        )
    except ValidationError as exc:
        _collect(errors, exc)
    if data.kind not in Partner.Kind.values:
        errors["kind"] = [_("请选择机构类型")]
    uscc = str(data.uscc or "").strip().upper()
    if uscc and not is_valid_uscc(uscc):
        errors["uscc"] = [_("统一社会信用代码校验不通过")]
    region = str(data.region_code or "").strip()
    if region and not is_valid_region(region):
        errors["region_code"] = [_("请选择有效的地区")]
    if errors:
        raise ValidationError(errors)
    own_record(association, partner, "partner")
    values.update(
        kind=data.kind,
        uscc=uscc,
        region_code=region,
        issues_official_receipts=bool(data.issues_official_receipts),
    )
    duplicate = Partner.objects.filter(association_id=association.pk, name=values["name"])
    if partner is not None:
        duplicate = duplicate.exclude(pk=partner.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("已有同名的合作机构")})
    try:
        with transaction.atomic():
            if partner is None:
                partner = Partner.objects.create(association_id=association.pk, **values)
                action = "charity.partner.create"
            else:
                for key, value in values.items():
                    setattr(partner, key, value)
                partner.save(update_fields=list(values))
                action = "charity.partner.update"
    except IntegrityError as exc:  # the same name saved by someone else a moment ago
        raise ValidationError({"name": _("已有同名的合作机构")}) from exc
    audit(actor=actor, action=action, association=association, target=partner, summary=partner.name)
    return partner


# --- Pledges ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PledgeInput:
    """What is pledged: cash (``amount``), or goods (``item``, ``quantity``, ``unit`` and an
    optional estimated value in ``amount``). Amounts and quantities may be text as typed."""

    kind: str
    amount: object = None
    item: str = ""
    quantity: object = None
    unit: str = ""
    due_on: object = None
    note: str = ""


def campaign_takes_pledges(campaign: Campaign, today: date | None = None) -> bool:
    """Members may pledge to an active campaign until its pledge deadline (inclusive)."""
    today = today or timezone.localdate()
    return (
        campaign.status == Campaign.Status.ACTIVE
        and campaign.pledge_deadline is not None
        and today <= campaign.pledge_deadline
    )


def _pledge_fields(data: PledgeInput, *, by_member: bool) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {"kind": data.kind}
    if data.kind not in GiftKind.values:
        raise ValidationError({"kind": _("请选择认捐现金或物资")})
    goods = data.kind == GiftKind.GOODS
    try:
        if goods and data.amount in (None, ""):
            values["amount"] = Decimal("0.00")
        else:
            values["amount"] = parse_cny(
                "" if data.amount is None else data.amount, allow_zero=goods, maximum=MAX_GOAL
            )
    except ValidationError as exc:
        _collect(errors, exc)
    if goods:
        try:
            values["item"] = clean_text(
                data.item, field="item", limit=50, required=_("请填写物资名称")
            )
        except ValidationError as exc:
            _collect(errors, exc)
        try:
            quantity = parse_quantity(data.quantity)
            if quantity is None:
                raise ValidationError({"quantity": _("请填写物资数量")})
            values["quantity"] = quantity
        except ValidationError as exc:
            _collect(errors, exc)
        try:
            values["unit"] = clean_text(data.unit, field="unit", limit=10)
        except ValidationError as exc:
            _collect(errors, exc)
    else:
        values.update(item="", quantity=None, unit="")
    try:
        due_on = _date(data.due_on, field="due_on", required=_("请填写承诺到位日期"))
        if by_member and due_on is not None and due_on < timezone.localdate():
            raise ValidationError({"due_on": _("承诺到位日期不能早于今天")})
        values["due_on"] = due_on
    except ValidationError as exc:
        _collect(errors, exc)
    try:
        values["note"] = clean_text(data.note, field="note", limit=300)
    except ValidationError as exc:
        _collect(errors, exc)
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def pledge_create(
    *,
    association: Tenant,
    actor: User | None,
    campaign: Campaign,
    donor: DonorInput,
    data: PledgeInput,
    by_member: bool = False,
) -> Pledge:
    """Records a pledge (认捐) to ``campaign``. A member pledges on their phone
    (``by_member``) for a member they represent — the caller resolves it through
    ``members.selectors.my_members`` — and only while the campaign takes pledges; the
    secretariat takes pledges down for any donor at any time except on a closed campaign.
    Nothing is written when anything is refused. Audit-logged."""
    own_record(association, campaign, "campaign")
    if by_member and not campaign_takes_pledges(campaign):
        raise ValidationError(_("该项目目前不接受认捐"))
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("项目已结束，不能再登记认捐"))
    if by_member and donor.kind != DonorKind.MEMBER:
        raise ValidationError({"donor_member": _("请选择您所代表的会员")})
    errors: dict[str, list[str]] = {}
    try:
        who = donor_fields(association, donor)
    except ValidationError as exc:
        _collect(errors, exc)
    try:
        values = _pledge_fields(data, by_member=by_member)
    except ValidationError as exc:
        _collect(errors, exc)
    if errors:
        raise ValidationError(errors)
    pledge = Pledge.objects.create(
        association_id=association.pk, campaign=campaign, pledged_by=actor, **who, **values
    )
    audit(
        actor=actor,
        action="charity.pledge.create",
        association=association,
        target=pledge,
        summary=f"{pledge.donor_name} {campaign.title} {_pledge_what(pledge)}",
        data={"campaign": campaign.pk, "amount": str(pledge.amount)},
    )
    return pledge


def _pledge_what(pledge: Pledge) -> str:
    if pledge.kind == GiftKind.GOODS:
        return f"{pledge.item} {pledge.quantity:f}{pledge.unit}"
    return format_cny(pledge.amount)


@transaction.atomic
def pledge_cancel(
    *, association: Tenant, actor: User | None, pledge: Pledge, reason: str
) -> Pledge:
    """Cancels an open pledge, with the reason kept in its note. What was already received
    against it stays in the ledger; a fulfilled or cancelled pledge is refused. Audit-logged."""
    own_record(association, pledge, "pledge")
    reason = clean_text(reason, field="reason", limit=200, required=_("请填写取消原因"))
    locked = Pledge.objects.select_for_update().get(association_id=association.pk, pk=pledge.pk)
    if locked.status != Pledge.Status.OPEN:
        raise ValidationError(
            _("该认捐%(status)s，不能取消") % {"status": locked.get_status_display()}
        )
    note = _("已取消：%(reason)s") % {"reason": reason}
    locked.note = (f"{locked.note}；{note}" if locked.note else note)[:300]
    locked.status = Pledge.Status.CANCELLED
    locked.save(update_fields=["status", "note"])
    audit(
        actor=actor,
        action="charity.pledge.cancel",
        association=association,
        target=locked,
        summary=f"{locked.donor_name} {_pledge_what(locked)}: {reason}",
    )
    return locked


@dataclass(frozen=True)
class InstallmentInput:
    due_on: object
    amount: object


@transaction.atomic
def pledge_schedule_set(
    *,
    association: Tenant,
    actor: User | None,
    pledge: Pledge,
    installments: list[InstallmentInput],
) -> list[PledgeInstallment]:
    """Replaces the installment schedule (分期) of an open pledge. The installments must sum
    to the pledge's amount exactly, each positive and dated; the pledge is then due by the
    last one (``due_on``). An empty list removes the schedule. Audit-logged."""
    own_record(association, pledge, "pledge")
    pledge = Pledge.objects.select_for_update().get(association_id=association.pk, pk=pledge.pk)
    if pledge.status != Pledge.Status.OPEN:
        raise ValidationError(
            _("该认捐%(status)s，不能修改分期") % {"status": pledge.get_status_display()}
        )
    if pledge.amount <= 0:
        raise ValidationError(_("这笔认捐没有金额，无法按金额分期"))
    if len(installments) > MAX_INSTALLMENTS:
        raise ValidationError(_("分期最多 %(n)d 期") % {"n": MAX_INSTALLMENTS})
    rows: list[tuple[date, Decimal]] = []
    errors: list[str] = []
    for number, row in enumerate(installments, start=1):
        try:
            due = _date(row.due_on, field="due_on", required=_("请填写到期日"))
            amount = parse_cny("" if row.amount is None else row.amount)
        except ValidationError as exc:
            errors.extend(
                _("第 %(n)d 期：%(error)s") % {"n": number, "error": message}
                for message in exc.messages
            )
            continue
        assert due is not None
        rows.append((due, amount))
    if errors:
        raise ValidationError({"installments": errors})
    total = sum((amount for _due, amount in rows), Decimal(0))
    if rows and total != pledge.amount:
        raise ValidationError(
            {
                "installments": _("各期金额合计 %(total)s，应等于认捐金额 %(amount)s")
                % {"total": format_cny(total), "amount": format_cny(pledge.amount)}
            }
        )
    PledgeInstallment.objects.filter(association_id=association.pk, pledge=pledge).delete()
    rows.sort()
    created = PledgeInstallment.objects.bulk_create(
        PledgeInstallment(association_id=association.pk, pledge=pledge, due_on=due, amount=amount)
        for due, amount in rows
    )
    if rows and pledge.due_on != rows[-1][0]:
        pledge.due_on = rows[-1][0]
        pledge.save(update_fields=["due_on"])
    pledge_status_sync(association=association, pledge=pledge)
    audit(
        actor=actor,
        action="charity.pledge.schedule",
        association=association,
        target=pledge,
        summary=_("%(donor)s：分 %(n)d 期") % {"donor": pledge.donor_name, "n": len(rows)},
        data={"installments": [[d.isoformat(), str(a)] for d, a in rows]},
    )
    return created

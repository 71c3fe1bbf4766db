"""Goods distributions (物资发放): handing a campaign's goods to a school, correcting a
mistake with a reversing record, and keeping the school's receipt.

A distribution never hands out more than the campaign holds — also when two clerks hand out
the last schoolbags at the same moment: the campaign row is locked (``select_for_update`` on
PostgreSQL; SQLite's IMMEDIATE transactions serialize writers whole) before the stock is
read, so the second clerk reads the stock the first left."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.charity.models import Campaign, Distribution, Partner
from shanghui.charity.quantities import parse_required_quantity
from shanghui.charity.selectors.goods import item_stock, item_unit
from shanghui.charity.services.common import clean_text, own_record
from shanghui.core.audit import audit
from shanghui.core.models import StoredFile
from shanghui.core.storage.files import file_attach, file_store, store_refusals
from shanghui.core.types import Tenant
from shanghui.core.uploads import validate_document_upload

RECEIPT_HOLDER = "charity.distribution.receipt"


def _day(value: object, *, field: str) -> date:
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError({field: _("请填写日期，例如 2026-03-15")}) from exc
    if value > timezone.localdate():
        raise ValidationError({field: _("发放日期不能晚于今天")})
    if value.year < 1950:
        raise ValidationError({field: _("发放日期无效")})
    return value


def receipt_store(
    association: Tenant, actor: User | None, upload: UploadedFile | None
) -> StoredFile | None:
    """The school's receipt (PDF, JPG or PNG), checked and stored, not yet attached. Call it
    before the transaction that attaches it: the bytes take time."""
    if upload is None:
        return None
    validate_document_upload(upload, field="receipt")
    upload.seek(0)
    with store_refusals("receipt"):
        return file_store(
            association, upload, holder=RECEIPT_HOLDER, name=(upload.name or "")[:200], by=actor
        )


@dataclass(frozen=True)
class DistributionInput:
    recipient: Partner | None
    item: str
    quantity: object
    distributed_on: object
    unit: str = ""
    note: str = ""


def _lock_campaign(association: Tenant, campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(association_id=association.pk, pk=campaign.pk)


def distribution_record(
    *,
    association: Tenant,
    actor: User | None,
    campaign: Campaign,
    data: DistributionInput,
    receipt: UploadedFile | None = None,
) -> Distribution:
    """Hands ``data.quantity`` of an item the campaign received to a partner (a school).
    Refused, with nothing written, when the campaign holds less than that of the item, when
    the partner or campaign is not the association's, or when the input is malformed.
    Audit-logged; the receipt, if given, is attached in the same transaction."""
    own_record(association, campaign, "campaign", required=True)
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    for name, check in (
        ("recipient", lambda: own_record(association, data.recipient, "recipient", required=True)),
        ("item", lambda: clean_text(data.item, field="item", limit=50, required=_("请选择物资"))),
        ("quantity", lambda: parse_required_quantity(data.quantity)),
        ("distributed_on", lambda: _day(data.distributed_on, field="distributed_on")),
        ("unit", lambda: clean_text(data.unit, field="unit", limit=10)),
        ("note", lambda: clean_text(data.note, field="note", limit=300)),
    ):
        try:
            values[name] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if receipt is not None:
        validate_document_upload(receipt, field="receipt")
    item = str(values["item"])
    quantity, day, recipient = values["quantity"], values["distributed_on"], data.recipient
    assert isinstance(quantity, Decimal) and isinstance(day, date) and recipient is not None
    stored = receipt_store(association, actor, receipt)
    with transaction.atomic():
        locked = _lock_campaign(association, campaign)
        left = item_stock(association, locked, item)
        if left <= 0:
            raise ValidationError(
                {"item": _("该项目没有可发放的“%(item)s”（库存为 0）") % {"item": item}}
            )
        if quantity > left:
            raise ValidationError(
                {
                    "quantity": _("发放数量超过库存：“%(item)s”仅剩 %(left)s")
                    % {"item": item, "left": quantity_text(left)}
                }
            )
        distribution = Distribution.objects.create(
            association_id=association.pk,
            campaign=locked,
            recipient=recipient,
            item=item,
            quantity=quantity,
            unit=str(values["unit"]) or item_unit(association, locked, item),
            distributed_on=day,
            note=str(values["note"]),
            recorded_by=actor,
        )
        if stored is not None:
            file_attach(distribution, "receipt", stored)
        audit(
            actor=actor,
            action="charity.distribution.record",
            association=association,
            target=distribution,
            summary=f"{locked.title} {item} {quantity_text(quantity)}{distribution.unit} → "
            f"{distribution.recipient.name}",
            data={"campaign": locked.pk, "item": item, "quantity": str(quantity)},
        )
    return distribution


def quantity_text(value: Decimal) -> str:
    """300.00 → "300", 2.50 → "2.5"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@transaction.atomic
def distribution_reverse(
    *, association: Tenant, actor: User | None, distribution: Distribution, reason: str
) -> Distribution:
    """Corrects a wrong distribution with its reversal (the negative quantity, dated today);
    the original and its receipt stay. At most once — also when two clerks press at the same
    moment (the database's unique key decides) — and a reversal is not reversed."""
    own_record(association, distribution, "distribution", required=True)
    reason = clean_text(reason, field="reason", limit=300, required=_("请填写冲正原因"))
    if distribution.reverses_id is not None:
        raise ValidationError(_("冲正记录不能再冲正"))
    _lock_campaign(association, distribution.campaign)
    if Distribution.objects.filter(
        association_id=association.pk, reverses_id=distribution.pk
    ).exists():
        raise ValidationError(_("这条发放记录已经冲正过了"))
    try:
        with transaction.atomic():
            reversal = Distribution.objects.create(
                association_id=association.pk,
                campaign_id=distribution.campaign_id,
                recipient_id=distribution.recipient_id,
                item=distribution.item,
                quantity=-distribution.quantity,
                unit=distribution.unit,
                distributed_on=timezone.localdate(),
                note=reason,
                reverses=distribution,
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("这条发放记录已经冲正过了")) from exc
    audit(
        actor=actor,
        action="charity.distribution.reverse",
        association=association,
        target=distribution,
        summary=f"{distribution.item} {quantity_text(distribution.quantity)}: {reason}",
        data={"reversal": reversal.pk},
    )
    return reversal


def distribution_receipt_attach(
    *,
    association: Tenant,
    actor: User | None,
    distribution: Distribution,
    upload: UploadedFile | None,
) -> Distribution:
    """Keeps the school's receipt (回执) of a distribution; a new one replaces the last, which
    is kept as a version. A reversal has no receipt of its own."""
    own_record(association, distribution, "distribution", required=True)
    if distribution.reverses_id is not None:
        raise ValidationError({"receipt": _("冲正记录不需要回执")})
    validate_document_upload(upload, field="receipt")
    stored = receipt_store(association, actor, upload)
    with transaction.atomic():
        file_attach(distribution, "receipt", stored)
        audit(
            actor=actor,
            action="charity.distribution.receipt",
            association=association,
            target=distribution,
            summary=stored.name if stored else "",
        )
    return distribution

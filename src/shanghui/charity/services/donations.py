"""The donations ledger: recording a gift and reversing one. The only two ways an entry is
written (sponsorship payments book theirs here too), so every rule of the ledger is here.

Amounts arrive already parsed by ``core.money.parse_cny`` at the door (form, API, import);
the services check what only they can: that the donor, campaign, pledge and recipient are the
association's, that goods say what and how much, that the date is not in the future.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.charity.models import (
    Campaign,
    Donation,
    DonorKind,
    GiftKind,
    Partner,
    Pledge,
    ValueBasis,
)
from shanghui.charity.quantities import MAX_QUANTITY
from shanghui.charity.services.common import clean_text, own_record
from shanghui.charity.totals import ledger_changed
from shanghui.core.audit import audit
from shanghui.core.money import format_cny
from shanghui.core.types import Tenant
from shanghui.core.uscc import is_valid_uscc
from shanghui.members.models import Member, Person
from shanghui.org.models import GroupMember

# What the ledger says for an anonymous donor who gave no name at all.
ANONYMOUS_NAME = "匿名捐赠人"


@dataclass(frozen=True)
class DonorInput:
    """Who gives. ``member``/``person``/``group_member`` are looked up by the caller through
    the association's access helpers; ``name`` (and ``uscc``) name an outside donor."""

    kind: str
    member: Member | None = None
    person: Person | None = None
    group_member: GroupMember | None = None
    name: str = ""
    uscc: str = ""
    anonymous: bool = False


@dataclass(frozen=True)
class GiftInput:
    """What is given: cash (``amount``), or goods (``item``, ``quantity``, ``unit``, their
    value in ``amount`` and the basis of that value)."""

    kind: str
    amount: Decimal
    item: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    value_basis: str = ""


def donor_fields(association: Tenant, donor: DonorInput) -> dict[str, object]:
    """The ledger columns naming ``donor``, with its name and credit code copied."""
    if donor.kind not in DonorKind.values:
        raise ValidationError({"donor_kind": _("请选择捐赠方类型")})
    fields: dict[str, object] = {
        "donor_kind": donor.kind,
        "donor_member": None,
        "donor_person": None,
        "donor_group_member": None,
        "anonymous": donor.anonymous,
    }
    uscc = (donor.uscc or "").strip().upper()
    if donor.kind == DonorKind.MEMBER:
        if donor.member is None:
            raise ValidationError({"donor_member": _("请选择捐赠的会员")})
        own_record(association, donor.member, "donor_member")
        fields["donor_member"] = donor.member
        name, uscc = donor.member.name, donor.member.uscc
    elif donor.kind == DonorKind.GROUP_MEMBER:
        if donor.group_member is None:
            raise ValidationError({"donor_group_member": _("请选择捐赠的团体会员")})
        own_record(association, donor.group_member, "donor_group_member")
        fields["donor_group_member"] = donor.group_member
        name, uscc = donor.group_member.name, donor.group_member.uscc
    elif donor.kind == DonorKind.INDIVIDUAL and donor.person is not None:
        own_record(association, donor.person, "donor_person")
        fields["donor_person"] = donor.person
        name = donor.person.name
    elif donor.anonymous and not (donor.name or "").strip():
        # An anonymous gift need not name anyone; the ledger still has a line to read.
        name = ANONYMOUS_NAME
    else:
        name = clean_text(donor.name, field="donor_name", limit=100, required=_("请填写捐赠方名称"))
    if uscc and not is_valid_uscc(uscc):
        raise ValidationError({"donor_uscc": _("统一社会信用代码校验不通过")})
    fields["donor_name"] = name
    fields["donor_uscc"] = uscc
    return fields


def gift_fields(gift: GiftInput) -> dict[str, object]:
    """The ledger columns of ``gift``; refuses what the database's checks would refuse, as a
    clear message on the field."""
    if gift.kind == GiftKind.CASH:
        if gift.amount <= 0:
            raise ValidationError({"amount": _("捐赠金额必须大于 0")})
        return {"kind": gift.kind, "amount": gift.amount, "item": "", "quantity": None,
                "unit": "", "value_basis": ""}  # fmt: skip
    if gift.kind != GiftKind.GOODS:
        raise ValidationError({"kind": _("请选择现金或物资")})
    item = clean_text(gift.item, field="item", limit=50, required=_("请填写物资名称"))
    if gift.quantity is None or gift.quantity <= 0:
        raise ValidationError({"quantity": _("数量必须大于 0")})
    if gift.quantity > MAX_QUANTITY:
        raise ValidationError({"quantity": _("数量过大")})
    if gift.quantity != gift.quantity.quantize(Decimal("0.01")):
        raise ValidationError({"quantity": _("数量最多保留两位小数")})
    if gift.amount < 0:
        raise ValidationError({"amount": _("物资价值不能为负数")})
    if gift.value_basis not in ValueBasis.values:
        raise ValidationError({"value_basis": _("请选择物资价值的依据（发票价、市场价或评估价）")})
    return {
        "kind": gift.kind,
        "amount": gift.amount,
        "item": item,
        "quantity": gift.quantity,
        "unit": clean_text(gift.unit, field="unit", limit=10),
        "value_basis": gift.value_basis,
    }


def _donated_on(value: date) -> date:
    if value > timezone.localdate():
        raise ValidationError({"donated_on": _("捐赠日期不能晚于今天")})
    if value.year < 1950:
        raise ValidationError({"donated_on": _("捐赠日期无效")})
    return value


@transaction.atomic
def donation_record(
    *,
    association: Tenant,
    actor: User | None,
    donor: DonorInput,
    gift: GiftInput,
    donated_on: date,
    campaign: Campaign | None = None,
    pledge: Pledge | None = None,
    channel: str = Donation.Channel.ORGANIZED,
    recipient: Partner | None = None,
    recipient_name: str = "",
    official_receipt_no: str = "",
    name_public: bool = False,
    reported_to_parent: bool = False,
    note: str = "",
) -> Donation:
    """Books one gift in ``association``'s ledger — received by the association, or given
    directly by a member and reported to it (``channel``). Returns the new entry; nothing is
    written when anything is refused. Audit-logged. A gift against a pledge must be to the
    pledge's campaign; the pledge's status follows what it has received."""
    for obj, field in ((campaign, "campaign"), (pledge, "pledge"), (recipient, "recipient")):
        own_record(association, obj, field)
    if channel not in Donation.Channel.values:
        raise ValidationError({"channel": _("请选择捐赠渠道")})
    if pledge is not None:
        if campaign is None:
            campaign = pledge.campaign
        elif pledge.campaign_id != campaign.pk:
            raise ValidationError({"pledge": _("认捐不属于这个项目")})
        if pledge.status == Pledge.Status.CANCELLED:
            raise ValidationError({"pledge": _("这笔认捐已取消")})
    if recipient is not None:
        recipient_name = recipient.name
    donation = Donation.objects.create(
        association_id=association.pk,
        campaign=campaign,
        pledge=pledge,
        channel=channel,
        recipient=recipient,
        recipient_name=clean_text(recipient_name, field="recipient_name", limit=100),
        donated_on=_donated_on(donated_on),
        official_receipt_no=clean_text(official_receipt_no, field="official_receipt_no", limit=50),
        name_public=name_public,
        reported_to_parent=reported_to_parent,
        note=clean_text(note, field="note", limit=300),
        recorded_by=actor,
        **donor_fields(association, donor),
        **gift_fields(gift),
    )
    if pledge is not None:
        pledge_status_sync(association=association, pledge=pledge)
    audit(
        actor=actor,
        action="charity.donation.record",
        association=association,
        target=donation,
        summary=f"{donation.donor_name} {donation.get_kind_display()} "
        f"{format_cny(donation.amount)}",
        data={"campaign": campaign.pk if campaign else None, "amount": str(donation.amount)},
    )
    ledger_changed(association)
    return donation


@transaction.atomic
def donation_reverse(
    *, association: Tenant, actor: User | None, donation: Donation, reason: str
) -> Donation:
    """Corrects a wrong entry with its reversal (negative amount and quantity); the original
    stays. The reversal carries the original's date, so that the year and the campaign the
    mistake was counted in net it out (a 2020 gift corrected in 2026 must not leave 2020 too
    high and 2026 negative); ``created_at`` says when it was booked. An entry is reversed at
    most once — also when two clerks press at the same moment (the database's unique key
    decides) — and a reversal is not reversed."""
    own_record(association, donation, "donation")
    reason = clean_text(reason, field="reason", limit=300, required=_("请填写冲正原因"))
    if donation.reverses_id is not None:
        raise ValidationError(_("冲正记录不能再冲正"))
    if Donation.objects.filter(association_id=association.pk, reverses_id=donation.pk).exists():
        raise ValidationError(_("这笔捐赠已经冲正过了"))
    try:
        with transaction.atomic():
            reversal = Donation.objects.create(
                association_id=association.pk,
                campaign_id=donation.campaign_id,
                pledge_id=donation.pledge_id,
                kind=donation.kind,
                amount=-donation.amount,
                item=donation.item,
                quantity=-donation.quantity if donation.quantity is not None else None,
                unit=donation.unit,
                value_basis=donation.value_basis,
                channel=donation.channel,
                recipient_id=donation.recipient_id,
                recipient_name=donation.recipient_name,
                donated_on=donation.donated_on,
                donor_kind=donation.donor_kind,
                donor_member_id=donation.donor_member_id,
                donor_person_id=donation.donor_person_id,
                donor_group_member_id=donation.donor_group_member_id,
                donor_name=donation.donor_name,
                donor_uscc=donation.donor_uscc,
                anonymous=donation.anonymous,
                reported_to_parent=donation.reported_to_parent,
                note=reason,
                reverses=donation,
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("这笔捐赠已经冲正过了")) from exc
    if donation.pledge_id is not None:
        pledge = Pledge.objects.get(association_id=association.pk, pk=donation.pledge_id)
        pledge_status_sync(association=association, pledge=pledge)
    audit(
        actor=actor,
        action="charity.donation.reverse",
        association=association,
        target=donation,
        summary=f"{donation.donor_name} {format_cny(donation.amount)}: {reason}",
        data={"reversal": reversal.pk},
    )
    ledger_changed(association)
    return reversal


def pledge_received(*, association: Tenant, pledge: Pledge) -> Decimal:
    """What the ledger has received against ``pledge`` (in 元: cash, or the goods' value)."""
    from shanghui.charity.totals import association_donations, ledger_totals

    return ledger_totals(association_donations(association).filter(pledge_id=pledge.pk)).total


def pledge_status_sync(*, association: Tenant, pledge: Pledge) -> None:
    """An open pledge becomes fulfilled once the ledger holds its amount (for goods: its
    quantity), and open again when a reversal takes that away. A cancelled one stays."""
    if pledge.status == Pledge.Status.CANCELLED:
        return
    entries = Donation.objects.filter(association_id=association.pk, pledge_id=pledge.pk)
    if pledge.kind == GiftKind.GOODS and pledge.quantity:
        quantities = [q for q in entries.values_list("quantity", flat=True) if q is not None]
        done = sum(quantities, Decimal(0)) >= pledge.quantity
    else:
        done = pledge_received(association=association, pledge=pledge) >= pledge.amount
    status = Pledge.Status.FULFILLED if done else Pledge.Status.OPEN
    if status != pledge.status:
        pledge.status = status
        pledge.save(update_fields=["status"])

"""What the ledger's pages and API do around ``services.donations``: a gift as a form or the
API gives it (parsed and resolved, then recorded), the evidence of a gift, and the number of
its acknowledgement (捐赠证明), taken once."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.charity.models import (
    Campaign,
    Donation,
    DonationEvidence,
    DonorKind,
    GiftKind,
    Partner,
    Pledge,
)
from shanghui.charity.quantities import parse_quantity
from shanghui.charity.services.common import own_record
from shanghui.charity.services.donations import DonorInput, GiftInput, donation_record
from shanghui.core.audit import audit
from shanghui.core.money import parse_cny
from shanghui.core.numbering import number_next
from shanghui.core.storage.files import file_attach, file_store, store_refusals
from shanghui.core.types import Tenant
from shanghui.core.uploads import validate_document_upload
from shanghui.members.models import Member, Person
from shanghui.org.models import GroupMember
from shanghui.org.selectors import find_member, find_person

ACKNOWLEDGEMENT_SERIES = "charity.acknowledgement"
ACKNOWLEDGEMENT_PREFIX = "JZ"
EVIDENCE_HOLDER = "charity.donationevidence.file"


def evidence_add(
    *,
    association: Tenant,
    actor: User | None,
    donation: Donation,
    upload: UploadedFile | None,
    kind: str = DonationEvidence.Kind.RECEIPT,
    caption: str = "",
) -> DonationEvidence:
    """Attaches a PDF, JPG or PNG proving ``donation`` (the recipient's receipt, a photo of
    the handover). The file is checked before anything is stored; nothing is written when it
    is refused. Not for a reversing entry (its original holds the evidence). Audit-logged.
    Runs with no transaction open: the bytes are stored first (``core.storage.files``)."""
    own_record(association, donation, "donation")
    if donation.reverses_id is not None:
        raise ValidationError(_("冲正记录不能上传凭证，请在原捐赠记录上上传"))
    if kind not in DonationEvidence.Kind.values:
        raise ValidationError({"kind": _("请选择凭证类型")})
    caption = (caption or "").strip()
    if len(caption) > 100:
        raise ValidationError({"caption": _("不能超过 %(limit)d 个字") % {"limit": 100}})
    validate_document_upload(upload, field="file")
    assert upload is not None
    name = (upload.name or "evidence")[:200]
    upload.seek(0)
    with store_refusals("file"):
        stored = file_store(association, upload, holder=EVIDENCE_HOLDER, name=name, by=actor)
    with transaction.atomic():
        evidence = DonationEvidence.objects.create(
            association_id=association.pk,
            donation=donation,
            kind=kind,
            caption=caption,
            added_by=actor,
        )
        file_attach(evidence, "file", stored)
        audit(
            actor=actor,
            action="charity.evidence.add",
            association=association,
            target=donation,
            summary=f"{donation.donor_name} {evidence.get_kind_display()} {stored.name}",
            data={"evidence": evidence.pk},
        )
    return evidence


@transaction.atomic
def acknowledgement_number(
    *, association: Tenant, actor: User | None, donation: Donation
) -> Donation:
    """Gives ``donation`` its acknowledgement number (捐赠证明编号, "JZ2026-000001" from the
    ``charity.acknowledgement`` series of the year of issue) the first time it is issued; a
    later call answers the same number — also when two requests ask at the same moment (the
    row is locked). A reversing entry has none; an entry already reversed gets none (one
    issued before the reversal stays, the letter then says it is void)."""
    own_record(association, donation, "donation")
    if donation.reverses_id is not None:
        raise ValidationError(_("冲正记录没有捐赠证明"))
    locked = Donation.objects.select_for_update().get(association_id=association.pk, pk=donation.pk)
    if locked.acknowledgement_no:
        donation.acknowledgement_no = locked.acknowledgement_no
        return donation
    if Donation.objects.filter(association_id=association.pk, reverses_id=donation.pk).exists():
        raise ValidationError(_("这笔捐赠已冲正，不能出具捐赠证明"))
    number = number_next(
        association,
        ACKNOWLEDGEMENT_SERIES,
        year=timezone.localdate().year,
        prefix=ACKNOWLEDGEMENT_PREFIX,
    )
    Donation.objects.filter(association_id=association.pk, pk=donation.pk).update(
        acknowledgement_no=number
    )
    donation.acknowledgement_no = number
    audit(
        actor=actor,
        action="charity.donation.acknowledge",
        association=association,
        target=donation,
        summary=f"{number} {donation.donor_name}",
    )
    return donation


@dataclass(frozen=True)
class DonationData:
    """A gift as the record form or the API gives it: ids of the association's records and
    text as typed (the amount and the quantity unparsed). ``donation_record_input`` resolves
    it, so the page and the API refuse the same things with the same messages."""

    kind: str
    amount: object
    donated_on: date
    donor_kind: str
    donor_member_id: int | None = None
    donor_member_text: str = ""
    donor_group_member_id: int | None = None
    donor_person_id: int | None = None
    donor_person_text: str = ""
    donor_name: str = ""
    donor_uscc: str = ""
    anonymous: bool = False
    item: str = ""
    quantity: object = None
    unit: str = ""
    value_basis: str = ""
    campaign_id: int | None = None
    pledge_id: int | None = None
    channel: str = Donation.Channel.ORGANIZED
    recipient_id: int | None = None
    recipient_name: str = ""
    official_receipt_no: str = ""
    name_public: bool = False
    reported_to_parent: bool = False
    note: str = ""


def _ref(model: type[Any], association: Tenant, pk: int | None, field: str, message: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(association_id=association.pk, pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


def _resolve(association: Tenant, data: DonationData) -> dict[str, Any]:
    a = association
    member = _ref(Member, a, data.donor_member_id, "donor_member", _("未找到该会员"))
    if member is None and data.donor_kind == DonorKind.MEMBER and data.donor_member_text.strip():
        member = find_member(
            association=a,  # type: ignore[arg-type]
            text=data.donor_member_text,
            field="donor_member",
        )
    person = _ref(Person, a, data.donor_person_id, "donor_person", _("未找到该人员"))
    if (
        person is None
        and data.donor_kind == DonorKind.INDIVIDUAL
        and data.donor_person_text.strip()
    ):
        person = find_person(
            association=a,  # type: ignore[arg-type]
            text=data.donor_person_text,
            field="donor_person",
        )
    group_member = _ref(
        GroupMember, a, data.donor_group_member_id, "donor_group_member", _("未找到该团体会员")
    )
    pledge = _ref(Pledge, a, data.pledge_id, "pledge", _("未找到该认捐"))
    if pledge is not None and pledge.donor_kind == data.donor_kind:
        # A gift against a pledge comes from whoever pledged, unless the clerk says otherwise.
        member = member or pledge.donor_member
        group_member = group_member or pledge.donor_group_member
        person = person or pledge.donor_person
    return {
        "member": member,
        "person": person,
        "group_member": group_member,
        "campaign": _ref(Campaign, a, data.campaign_id, "campaign", _("未找到该公益项目")),
        "pledge": pledge,
        "recipient": _ref(Partner, a, data.recipient_id, "recipient", _("未找到该合作机构")),
    }


def donation_record_input(
    *, association: Tenant, actor: User | None, data: DonationData
) -> Donation:
    """Parses and resolves ``data`` — the amount by ``core.money.parse_cny`` (a goods gift's
    value may be 0), the quantity, the records it names within ``association`` only — and
    books it with ``donation_record``. Every refusal is a ValidationError on its field;
    nothing is written then."""
    errors: dict[str, list[str]] = {}
    amount = quantity = None
    refs: dict[str, Any] = {}
    try:
        amount = parse_cny(data.amount, allow_zero=data.kind == GiftKind.GOODS)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        quantity = parse_quantity(data.quantity) if data.kind == GiftKind.GOODS else None
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        refs = _resolve(association, data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    return donation_record(
        association=association,
        actor=actor,
        donor=DonorInput(
            kind=data.donor_kind,
            member=refs["member"],
            person=refs["person"],
            group_member=refs["group_member"],
            name=data.donor_name,
            uscc=data.donor_uscc,
            anonymous=data.anonymous,
        ),
        gift=GiftInput(
            kind=data.kind,
            amount=amount,
            item=data.item,
            quantity=quantity,
            unit=data.unit,
            value_basis=data.value_basis,
        ),
        donated_on=data.donated_on,
        campaign=refs["campaign"],
        pledge=refs["pledge"],
        channel=data.channel,
        recipient=refs["recipient"],
        recipient_name=data.recipient_name,
        official_receipt_no=data.official_receipt_no,
        name_public=data.name_public,
        reported_to_parent=data.reported_to_parent,
        note=data.note,
    )

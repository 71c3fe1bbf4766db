"""Student sponsorship (结对助学): who sponsors whom, the term schedule and its payments —
each booked in the donations ledger through ``donation_record`` (its only writer) and linked,
a term paid once also when two clerks press at the same moment — visits with photos (back
office only), academic records, and the daily alert for a missed payment. The students'
records and consents are in ``services.beneficiaries``."""

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.charity.messages import OVERDUE_SECRETARIAT, OVERDUE_SPONSOR
from shanghui.charity.models import (
    AcademicRecord,
    Beneficiary,
    Campaign,
    Disbursement,
    DonorKind,
    GiftKind,
    Sponsorship,
    Visit,
    VisitPhoto,
)
from shanghui.charity.services.beneficiaries import (
    PHOTO_MAX_SIDE,
    VISIT_PHOTO_HOLDER,
    Scope,
    _editable,
    _not_future,
)
from shanghui.charity.services.common import clean_text, own_record
from shanghui.charity.services.donations import DonorInput, GiftInput, donation_record
from shanghui.core.audit import audit
from shanghui.core.models import StoredFile
from shanghui.core.money import format_cny
from shanghui.core.notifications import Recipient, notify_each
from shanghui.core.storage.files import file_attach, store_refusals
from shanghui.core.types import Tenant
from shanghui.core.uploads import image_normalized, picture_put
from shanghui.members.models import Member, Representative

MAX_TERMS = 24  # six years of two terms: high school through university


# --- Sponsorships ------------------------------------------------------------------------


@dataclass(frozen=True)
class SponsorshipInput:
    starts_on: date
    amount_per_term: Decimal
    sponsor_member: Member | None = None
    sponsor_name: str = ""
    campaign: Campaign | None = None
    expected_end_on: date | None = None
    note: str = ""


@transaction.atomic
def sponsorship_create(
    *,
    association: Tenant,
    actor: User | None,
    beneficiary: Beneficiary,
    data: SponsorshipInput,
) -> Sponsorship:
    """Pairs a sponsor (a member, or another donor by name) with a student. The amount per
    term arrives parsed (``parse_cny``). Audit-logged."""
    own_record(association, beneficiary, "beneficiary")
    own_record(association, data.sponsor_member, "sponsor_member")
    own_record(association, data.campaign, "campaign")
    if beneficiary.erased_at is not None or beneficiary.stage == Beneficiary.Stage.ENDED:
        raise ValidationError(_("该学生的资助已终止，不能新建结对"))
    if data.amount_per_term <= 0:
        raise ValidationError({"amount_per_term": _("每学期资助金额必须大于 0")})
    if data.expected_end_on is not None and data.expected_end_on < data.starts_on:
        raise ValidationError({"expected_end_on": _("预计结束日期不能早于开始日期")})
    if data.sponsor_member is not None:
        name = data.sponsor_member.name
    else:
        name = clean_text(
            data.sponsor_name, field="sponsor_name", limit=100, required=_("请选择会员或填写资助方")
        )
    sponsorship = Sponsorship.objects.create(
        association_id=association.pk,
        beneficiary=beneficiary,
        sponsor_member=data.sponsor_member,
        sponsor_name=name,
        campaign=data.campaign,
        starts_on=data.starts_on,
        expected_end_on=data.expected_end_on,
        amount_per_term=data.amount_per_term,
        note=clean_text(data.note, field="note", limit=300),
    )
    audit(
        actor=actor,
        action="charity.sponsorship.create",
        association=association,
        target=sponsorship,
        summary=f"{name} → {beneficiary.name}",
        data={"amount_per_term": str(data.amount_per_term)},
    )
    return sponsorship


@transaction.atomic
def sponsorship_close(
    *,
    association: Tenant,
    actor: User | None,
    sponsorship: Sponsorship,
    status: str,
    note: str = "",
) -> Sponsorship:
    """Marks a sponsorship completed (the student graduated) or ended early; its unpaid
    terms stay on the schedule, no longer alerted."""
    own_record(association, sponsorship, "sponsorship")
    if status not in (Sponsorship.Status.COMPLETED, Sponsorship.Status.ENDED):
        raise ValidationError({"status": _("请选择“已完成”或“已中止”")})
    if sponsorship.status != Sponsorship.Status.ACTIVE:
        raise ValidationError(_("该结对已结束"))
    sponsorship.status = status
    note = clean_text(note, field="note", limit=300)
    if note:
        sponsorship.note = note
    sponsorship.save(update_fields=["status", "note"])
    audit(
        actor=actor,
        action="charity.sponsorship.close",
        association=association,
        target=sponsorship,
        summary=f"{sponsorship.sponsor_name}：{sponsorship.get_status_display()}",
    )
    return sponsorship


def school_terms(starts_on: date, until: date) -> list[tuple[str, date]]:
    """The terms from ``starts_on`` to ``until``: 春季学期 paid by 1 March, 秋季学期 by
    1 September (the start of each term), named by year."""
    terms: list[tuple[str, date]] = []
    for year in range(starts_on.year, until.year + 1):
        for label, due in ((_("春季学期"), date(year, 3, 1)), (_("秋季学期"), date(year, 9, 1))):
            if starts_on <= due + timedelta(days=120) and due <= until:
                terms.append((f"{year}年{label}", max(due, starts_on)))
    return terms


@transaction.atomic
def disbursements_generate(
    *, association: Tenant, actor: User | None, sponsorship: Sponsorship, until: date | None = None
) -> list[Disbursement]:
    """Lays out the payment schedule, one disbursement per term from the sponsorship's start
    until ``until`` (default: its expected end); terms already scheduled are kept as they
    are, so running it again adds only what is missing. Answers the new ones."""
    own_record(association, sponsorship, "sponsorship")
    if sponsorship.status != Sponsorship.Status.ACTIVE:
        raise ValidationError(_("该结对已结束，不能再安排发放"))
    until = until or sponsorship.expected_end_on
    if until is None:
        raise ValidationError({"until": _("请填写排期截止日期（或结对的预计结束日期）")})
    if until < sponsorship.starts_on:
        raise ValidationError({"until": _("排期截止日期不能早于结对开始日期")})
    terms = school_terms(sponsorship.starts_on, until)
    if len(terms) > MAX_TERMS:
        raise ValidationError({"until": _("一次最多安排 %(n)d 个学期") % {"n": MAX_TERMS}})
    existing = set(
        Disbursement.objects.filter(
            association_id=association.pk, sponsorship=sponsorship
        ).values_list("term", flat=True)
    )
    created = [
        Disbursement.objects.create(
            association_id=association.pk,
            sponsorship=sponsorship,
            term=term,
            due_on=due_on,
            amount=sponsorship.amount_per_term,
        )
        for term, due_on in terms
        if term not in existing
    ]
    if created:
        audit(
            actor=actor,
            action="charity.disbursement.generate",
            association=association,
            target=sponsorship,
            summary=_("安排 %(n)d 个学期的资助发放") % {"n": len(created)},
            data={"terms": [d.term for d in created]},
        )
    return created


@transaction.atomic
def disbursement_pay(
    *,
    association: Tenant,
    actor: User | None,
    disbursement: Disbursement,
    paid_on: date,
    reference: str = "",
) -> Disbursement:
    """Records that a term was paid: books a cash gift in the ledger through
    ``donation_record`` (donor: the sponsor; campaign: the sponsorship's; recipient: the
    school) and links it. A term is paid once — the conditional update decides between two
    clerks — and nothing is written when anything is refused."""
    own_record(association, disbursement, "disbursement")
    reference = clean_text(reference, field="reference", limit=100)
    _not_future(paid_on, field="paid_on", label=_("发放日期"))
    claimed = Disbursement.objects.filter(
        association_id=association.pk, pk=disbursement.pk, paid_on__isnull=True
    ).update(paid_on=paid_on, reference=reference, recorded_by=actor)
    if not claimed:
        raise ValidationError(_("这一学期的资助已登记发放"))
    sponsorship = Sponsorship.objects.select_related("beneficiary", "sponsor_member").get(
        association_id=association.pk, pk=disbursement.sponsorship_id
    )
    student = sponsorship.beneficiary
    if sponsorship.sponsor_member is not None:
        donor = DonorInput(kind=DonorKind.MEMBER, member=sponsorship.sponsor_member)
    else:
        donor = DonorInput(kind=DonorKind.OUTSIDE, name=sponsorship.sponsor_name)
    try:
        donation = donation_record(
            association=association,
            actor=actor,
            donor=donor,
            gift=GiftInput(kind=GiftKind.CASH, amount=disbursement.amount),
            donated_on=paid_on,
            campaign=sponsorship.campaign,
            recipient=student.school,
            recipient_name=student.school_name,
            # The ledger is read by auditors and roll-ups: the term, not the student's name.
            note=_("结对助学 %(term)s") % {"term": disbursement.term},
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "donated_on" in exc.error_dict:
            raise ValidationError({"paid_on": exc.error_dict["donated_on"]}) from exc
        raise
    Disbursement.objects.filter(association_id=association.pk, pk=disbursement.pk).update(
        donation=donation
    )
    audit(
        actor=actor,
        action="charity.disbursement.pay",
        association=association,
        target=disbursement,
        summary=f"{disbursement.term} {format_cny(disbursement.amount)}",
        data={"donation": donation.pk},
    )
    return Disbursement.objects.select_related("donation").get(
        association_id=association.pk, pk=disbursement.pk
    )


# --- Visits and academic records ---------------------------------------------------------


@dataclass(frozen=True)
class VisitInput:
    visited_on: date
    visitors: str
    notes: str = ""


def visit_create(
    *,
    association: Tenant,
    actor: User | None,
    beneficiary: Beneficiary,
    data: VisitInput,
    photos: list[UploadedFile] | None = None,
) -> Visit:
    """A visit (走访) with its notes and photos; the photos stay in the back office."""
    own_record(association, beneficiary, "beneficiary")
    _editable(beneficiary)
    _not_future(data.visited_on, field="visited_on", label=_("走访日期"))
    visitors = clean_text(data.visitors, field="visitors", limit=200, required=_("请填写走访人员"))
    notes = clean_text(data.notes, field="notes", limit=5000)
    photos = photos or []
    if len(photos) > 9:
        raise ValidationError({"photos": _("每次走访最多上传 9 张照片")})
    pictures = [image_normalized(p, field="photos", max_side=PHOTO_MAX_SIDE) for p in photos]
    stored: list[StoredFile] = []
    for picture in pictures:
        with store_refusals("photos"):
            stored.append(picture_put(association, picture, holder=VISIT_PHOTO_HOLDER, by=actor))
    with transaction.atomic():
        visit = Visit.objects.create(
            association_id=association.pk,
            beneficiary=beneficiary,
            visited_on=data.visited_on,
            visitors=visitors,
            notes=notes,
            recorded_by=actor,
        )
        for file in stored:
            photo = VisitPhoto.objects.create(association_id=association.pk, visit=visit)
            file_attach(photo, "file", file)
        audit(
            actor=actor,
            action="charity.visit.create",
            association=association,
            target=visit,
            summary=f"{beneficiary.name} {data.visited_on.isoformat()}",
            data={"photos": len(stored)},
        )
    return visit


def visit_photo_add(
    *, association: Tenant, actor: User | None, visit: Visit, upload: UploadedFile
) -> VisitPhoto:
    """One more photo of a visit (at most 9), checked and re-encoded without metadata."""
    own_record(association, visit, "visit")
    beneficiary = Beneficiary.objects.get(association_id=association.pk, pk=visit.beneficiary_id)
    _editable(beneficiary)
    if VisitPhoto.objects.filter(association_id=association.pk, visit=visit).count() >= 9:
        raise ValidationError({"photo": _("每次走访最多上传 9 张照片")})
    picture = image_normalized(upload, field="photo", max_side=PHOTO_MAX_SIDE)
    with store_refusals("photo"):
        stored = picture_put(association, picture, holder=VISIT_PHOTO_HOLDER, by=actor)
    with transaction.atomic():
        photo = VisitPhoto.objects.create(association_id=association.pk, visit=visit)
        file_attach(photo, "file", stored)
        audit(
            actor=actor,
            action="charity.visit.photo_add",
            association=association,
            target=visit,
            summary=beneficiary.name,
        )
    return photo


@dataclass(frozen=True)
class AcademicInput:
    term: str
    summary: str
    recorded_on: date
    school_name: str = ""
    grade: str = ""


@transaction.atomic
def academic_record_create(
    *, association: Tenant, actor: User | None, beneficiary: Beneficiary, data: AcademicInput
) -> AcademicRecord:
    """A term's results (学业情况)."""
    own_record(association, beneficiary, "beneficiary")
    _editable(beneficiary)
    _not_future(data.recorded_on, field="recorded_on", label=_("记录日期"))
    record = AcademicRecord.objects.create(
        association_id=association.pk,
        beneficiary=beneficiary,
        term=clean_text(data.term, field="term", limit=40, required=_("请填写学期")),
        summary=clean_text(
            data.summary, field="summary", limit=300, required=_("请填写成绩与表现")
        ),
        recorded_on=data.recorded_on,
        school_name=clean_text(data.school_name, field="school_name", limit=100)
        or beneficiary.school_name,
        grade=clean_text(data.grade, field="grade", limit=30) or beneficiary.grade,
    )
    audit(
        actor=actor,
        action="charity.academic_record.create",
        association=association,
        target=record,
        summary=f"{beneficiary.name} {record.term}",
    )
    return record


# --- Alerts for missed payments ----------------------------------------------------------


@dataclass
class AlertResult:
    alerted: list[int] = field(default_factory=list)
    messages: int = 0


def secretariat_recipients(association: Tenant) -> list[Recipient]:
    """Everyone whose role manages charity (``Perm.MANAGE_CHARITY``), once each."""
    roles = Role.objects.filter(association_id=association.pk, is_active=True).select_related(
        "user"
    )
    people: list[Recipient] = []
    for role in roles:
        user = role.user
        if not user.is_active or not has_perm(role, Perm.MANAGE_CHARITY):
            continue
        people.append(Recipient(phone=user.phone or "", email=user.email, user_id=user.pk))
    return people


def _sponsor_contacts(association: Tenant, member_ids: list[int]) -> dict[int, list[Recipient]]:
    people: dict[int, list[Recipient]] = {}
    for rep in Representative.objects.filter(
        association_id=association.pk, member_id__in=member_ids
    ).select_related("person"):
        person = rep.person
        if not (person.phone or person.email or person.user_id):
            continue
        known = people.setdefault(rep.member_id, [])
        if any((r.phone, r.email) == (person.phone, person.email) for r in known):
            continue
        known.append(Recipient(phone=person.phone, email=person.email, user_id=person.user_id))
    return people


def disbursement_alerts_send(
    *,
    association: Tenant,
    today: date | None = None,
    now: datetime | None = None,
    scope: Scope = nullcontext,
) -> AlertResult:
    """The daily pass (``manage.py charity_disbursement_alerts``): every unpaid term of an
    active sponsorship past its due date is alerted once — to the secretariat (who manage
    charity) and to the sponsoring member's representatives — through the notification
    center. A term is claimed (``alerted_at``, rows locked, skipped by a concurrent run) in
    the transaction that queues its messages, so two runs never alert twice."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    result = AlertResult()
    name = getattr(association, "short_name", "") or getattr(association, "name", "")
    with scope(), transaction.atomic():
        due = list(
            Disbursement.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("sponsorship", "sponsorship__beneficiary")
            .filter(
                association_id=association.pk,
                paid_on__isnull=True,
                alerted_at__isnull=True,
                due_on__lt=today,
                sponsorship__status=Sponsorship.Status.ACTIVE,
            )
            .order_by("due_on", "id")[:500]
        )
        if not due:
            return result
        staff = secretariat_recipients(association)
        sponsors = _sponsor_contacts(
            association,
            [d.sponsorship.sponsor_member_id for d in due if d.sponsorship.sponsor_member_id],
        )
        messages_staff: list[tuple[Recipient, dict[str, str]]] = []
        messages_sponsor: list[tuple[Recipient, dict[str, str]]] = []
        for item in due:
            params = {
                "association": name,
                "sponsor": item.sponsorship.sponsor_name,
                "student": item.sponsorship.beneficiary.name,
                "term": item.term,
                "amount": format_cny(item.amount),
                "due": item.due_on.isoformat(),
            }
            messages_staff.extend((r, params) for r in staff)
            for r in sponsors.get(item.sponsorship.sponsor_member_id or 0, []):
                messages_sponsor.append((r, {k: v for k, v in params.items() if k != "student"}))
        Disbursement.objects.filter(
            association_id=association.pk, pk__in=[d.pk for d in due]
        ).update(alerted_at=now)
        if messages_staff:
            notify_each(association=association, kind=OVERDUE_SECRETARIAT, messages=messages_staff)
        if messages_sponsor:
            notify_each(association=association, kind=OVERDUE_SPONSOR, messages=messages_sponsor)
        audit(
            actor=None,
            action="charity.disbursement.alert",
            association=association,
            summary=_("%(n)d 笔资助逾期未发放，已提醒") % {"n": len(due)},
            data={"disbursements": [d.pk for d in due]},
        )
    result.alerted = [d.pk for d in due]
    result.messages = len(messages_staff) + len(messages_sponsor)
    return result

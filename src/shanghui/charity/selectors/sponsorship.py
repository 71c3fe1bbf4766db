"""Reading student sponsorship: the beneficiary list, a student's file, a sponsorship's
schedule, and the access helpers every lookup driven by user input goes through. Everything
here is the secretariat's (``Perm.MANAGE_CHARITY``): no member, and no public page, reads a
beneficiary."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from shanghui.charity.models import (
    AcademicRecord,
    Beneficiary,
    Campaign,
    Disbursement,
    Partner,
    Sponsorship,
    Visit,
    VisitPhoto,
)
from shanghui.core.encryption import field_decrypt
from shanghui.core.http import id_or_404
from shanghui.core.id_number import mask_id_number
from shanghui.core.types import Tenant
from shanghui.members.models import Member


@dataclass(frozen=True)
class BeneficiaryFilters:
    """List filters as the query string gives them; anything malformed is ignored."""

    q: str = ""
    stage: str = ""
    school: str = ""

    @classmethod
    def from_mapping(cls, data: object) -> "BeneficiaryFilters":
        get = getattr(data, "get", None)
        if get is None:
            return cls()
        return cls(
            **{key: str(get(key, "") or "").strip()[:50] for key in cls.__dataclass_fields__}
        )


def _active_sponsorships() -> Prefetch:
    return Prefetch(
        "sponsorships",
        queryset=Sponsorship.objects.filter(status=Sponsorship.Status.ACTIVE).order_by(
            "starts_on", "id"
        ),
        to_attr="active_sponsorships",
    )


def beneficiaries_search(
    *, association: Tenant, filters: BeneficiaryFilters
) -> QuerySet[Beneficiary]:
    """The association's students by name, with their school and active sponsors — never
    their ID numbers or family situation (the list does not even load them)."""
    qs = (
        Beneficiary.objects.filter(association_id=association.pk)
        .defer("id_number", "family_situation")
        .prefetch_related(_active_sponsorships())
    )
    if filters.stage in Beneficiary.Stage.values:
        qs = qs.filter(stage=filters.stage)
    if filters.school:
        qs = qs.filter(school_name__icontains=filters.school)
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(school_name__icontains=filters.q)
            | Q(sponsorships__sponsor_name__icontains=filters.q)
        ).distinct()
    return qs.order_by("name", "id")


def masked_id_number(beneficiary: Beneficiary) -> str:
    """The ID number as the student's page shows it until a reveal: 44**************34 (the
    province and the last two, as ``core.id_number.mask_id_number`` keeps them); "" when
    none is on file. Never in a list or a list answer of the API."""
    number = field_decrypt(beneficiary, "id_number")
    return mask_id_number(number) if number else ""


@dataclass(frozen=True)
class SponsorshipFigures:
    scheduled: Decimal
    paid: Decimal
    overdue: int


def sponsorship_figures(sponsorship: Sponsorship, today: date | None = None) -> SponsorshipFigures:
    today = today or timezone.localdate()
    rows = Disbursement.objects.filter(
        association_id=sponsorship.association_id, sponsorship=sponsorship
    )
    sums = rows.aggregate(
        scheduled=Sum("amount"), paid=Sum("amount", filter=Q(paid_on__isnull=False))
    )
    return SponsorshipFigures(
        scheduled=sums["scheduled"] or Decimal(0),
        paid=sums["paid"] or Decimal(0),
        overdue=rows.filter(paid_on__isnull=True, due_on__lt=today).count(),
    )


def beneficiary_sponsorships(beneficiary: Beneficiary) -> list[Sponsorship]:
    return list(
        Sponsorship.objects.filter(
            association_id=beneficiary.association_id, beneficiary=beneficiary
        )
        .select_related("sponsor_member", "campaign")
        .prefetch_related(
            Prefetch("disbursements", queryset=Disbursement.objects.order_by("due_on", "id"))
        )
        .order_by("-starts_on", "-id")
    )


def beneficiary_visits(beneficiary: Beneficiary) -> list[Visit]:
    return list(
        Visit.objects.filter(association_id=beneficiary.association_id, beneficiary=beneficiary)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("photos", queryset=VisitPhoto.objects.order_by("id")))
        .order_by("-visited_on", "-id")
    )


def beneficiary_academic_records(beneficiary: Beneficiary) -> list[AcademicRecord]:
    return list(
        AcademicRecord.objects.filter(
            association_id=beneficiary.association_id, beneficiary=beneficiary
        ).order_by("-recorded_on", "-id")
    )


def sponsorship_disbursements(sponsorship: Sponsorship) -> list[Disbursement]:
    return list(
        Disbursement.objects.filter(
            association_id=sponsorship.association_id, sponsorship=sponsorship
        )
        .select_related("donation", "recorded_by")
        .order_by("due_on", "id")
    )


def overdue_disbursements(
    *, association: Tenant, today: date | None = None
) -> QuerySet[Disbursement]:
    """Unpaid terms of active sponsorships past their due date, oldest first."""
    today = today or timezone.localdate()
    return (
        Disbursement.objects.filter(
            association_id=association.pk,
            paid_on__isnull=True,
            due_on__lt=today,
            sponsorship__status=Sponsorship.Status.ACTIVE,
        )
        .select_related("sponsorship", "sponsorship__beneficiary")
        .order_by("due_on", "id")
    )


def schools(association: Tenant) -> QuerySet[Partner]:
    """The school picker: partners of kind 学校."""
    return Partner.objects.filter(association_id=association.pk, kind=Partner.Kind.SCHOOL).order_by(
        "name"
    )


def sponsor_members(association: Tenant) -> QuerySet[Member]:
    """The sponsor picker: the association's members in good standing, in pinyin order."""
    return Member.objects.filter(
        association_id=association.pk,
        status__in=[Member.Status.ACTIVE, Member.Status.IN_ARREARS],
    ).order_by("sort_key", "id")


def campaigns(association: Tenant) -> QuerySet[Campaign]:
    return Campaign.objects.filter(association_id=association.pk).order_by("-starts_on", "-id")


# --- Access -------------------------------------------------------------------------------
# Each answers the same 404 for "does not exist" and "another association's": the id is
# looked up inside the association, in the query. The caller has checked MANAGE_CHARITY.


def access_beneficiary(*, association: Tenant, beneficiary_id: object) -> Beneficiary:
    found = Beneficiary.objects.filter(
        association_id=association.pk, pk=id_or_404(beneficiary_id)
    ).first()
    if found is None:
        raise Http404
    return found


def access_sponsorship(*, association: Tenant, sponsorship_id: object) -> Sponsorship:
    found = (
        Sponsorship.objects.filter(association_id=association.pk, pk=id_or_404(sponsorship_id))
        .select_related("beneficiary", "sponsor_member", "campaign")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_disbursement(*, association: Tenant, disbursement_id: object) -> Disbursement:
    found = (
        Disbursement.objects.filter(association_id=association.pk, pk=id_or_404(disbursement_id))
        .select_related("sponsorship", "sponsorship__beneficiary", "donation")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_visit(*, association: Tenant, visit_id: object) -> Visit:
    found = (
        Visit.objects.filter(association_id=association.pk, pk=id_or_404(visit_id))
        .select_related("beneficiary")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_visit_photo(*, association: Tenant, visit_photo_id: object) -> VisitPhoto:
    found = VisitPhoto.objects.filter(
        association_id=association.pk, pk=id_or_404(visit_photo_id)
    ).first()
    if found is None:
        raise Http404
    return found


def access_academic_record(*, association: Tenant, academic_record_id: object) -> AcademicRecord:
    found = AcademicRecord.objects.filter(
        association_id=association.pk, pk=id_or_404(academic_record_id)
    ).first()
    if found is None:
        raise Http404
    return found

"""The request and response bodies of student sponsorship's API (``charity.api.sponsorship``).
Names are prefixed where a plain one (ScheduleIn, CloseIn) is another app's: OpenAPI
components are keyed by class name, and a clash would replace that app's schema."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from shanghui.charity.models import Beneficiary, Disbursement, Sponsorship, Visit, VisitPhoto
from shanghui.charity.selectors import sponsorship as selectors
from shanghui.charity.services import beneficiaries as beneficiary_services


class SponsorBrief(Schema):
    id: int
    sponsor_name: str
    sponsor_member_id: int | None
    status: str


class BeneficiaryOut(Schema):
    """A student in a list: no ID number, no family situation, no guardian."""

    id: int
    name: str
    gender: str
    school_id: int | None
    school_name: str
    grade: str
    stage: str
    stage_label: str
    ended_on: date | None
    erased: bool
    sponsors: list[SponsorBrief]

    @staticmethod
    def resolve_stage_label(obj: Beneficiary) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_erased(obj: Beneficiary) -> bool:
        return obj.erased_at is not None

    @staticmethod
    def resolve_sponsors(obj: Beneficiary) -> list[Sponsorship]:
        return list(getattr(obj, "active_sponsorships", []))


class BeneficiaryDetailOut(BeneficiaryOut):
    """A student's file: the ID number masked (``id_number_masked``); the whole number only
    from ``POST …/reveal``."""

    birth_date: date | None
    is_minor: bool
    id_number_masked: str
    has_family_situation: bool
    region_code: str
    guardian_name: str
    guardian_relation: str
    guardian_phone: str
    guardian_consent_on: date | None
    sensitive_consent_on: date | None
    consent_note: str
    has_photo: bool
    graduated_on: date | None
    outcome: str

    @staticmethod
    def resolve_is_minor(obj: Beneficiary) -> bool:
        return beneficiary_services.is_minor(obj)

    @staticmethod
    def resolve_id_number_masked(obj: Beneficiary) -> str:
        return selectors.masked_id_number(obj)

    @staticmethod
    def resolve_has_family_situation(obj: Beneficiary) -> bool:
        return bool(obj.family_situation)

    @staticmethod
    def resolve_has_photo(obj: Beneficiary) -> bool:
        return obj.photo_id is not None

    @staticmethod
    def resolve_sponsors(obj: Beneficiary) -> list[Sponsorship]:
        return list(Sponsorship.objects.filter(association_id=obj.association_id, beneficiary=obj))


class BeneficiaryIn(Schema):
    """A student's record. ``id_number`` and ``family_situation`` omitted (null) keep what is
    stored; "" clears them. ``school_id`` names a partner of kind school, else
    ``school_name`` names the school."""

    name: str = Field(max_length=50)
    gender: str = ""
    birth_date: date | None = None
    id_number: str | None = Field(None, max_length=30)
    region_code: str = ""
    school_id: int | None = None
    school_name: str = ""
    grade: str = ""
    stage: str = Beneficiary.Stage.HIGH_SCHOOL
    family_situation: str | None = Field(None, max_length=2000)
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    guardian_consent_on: date | None = None
    sensitive_consent_on: date | None = None
    consent_note: str = ""
    graduated_on: date | None = None
    outcome: str = ""
    ended_on: date | None = None


class BeneficiaryRevealOut(Schema):
    id: int
    name: str
    id_number: str
    family_situation: str


class ConsentWithdrawIn(Schema):
    note: str = Field("", max_length=200)


class BeneficiaryQuery(Schema):
    q: str = Field("", max_length=50)
    stage: str = Field("", max_length=20)
    school: str = Field("", max_length=50)


class DisbursementOut(Schema):
    id: int
    sponsorship_id: int
    term: str
    due_on: date
    amount: Decimal
    paid_on: date | None
    reference: str
    donation_id: int | None
    alerted_at: datetime | None


class SponsorshipOut(Schema):
    id: int
    beneficiary_id: int
    sponsor_member_id: int | None
    sponsor_name: str
    campaign_id: int | None
    starts_on: date
    expected_end_on: date | None
    amount_per_term: Decimal
    status: str
    note: str


class SponsorshipDetailOut(SponsorshipOut):
    disbursements: list[DisbursementOut]

    @staticmethod
    def resolve_disbursements(obj: Sponsorship) -> list[Disbursement]:
        return selectors.sponsorship_disbursements(obj)


class SponsorshipIn(Schema):
    """A sponsor — ``sponsor_member_id`` (a member) or ``sponsor_name`` (another donor) — and
    the amount per term in 元 (a string or a number; at most two decimals)."""

    sponsor_member_id: int | None = None
    sponsor_name: str = Field("", max_length=100)
    campaign_id: int | None = None
    starts_on: date
    expected_end_on: date | None = None
    amount_per_term: Decimal | str
    note: str = Field("", max_length=300)


class SponsorshipScheduleIn(Schema):
    until: date | None = None


class SponsorshipCloseIn(Schema):
    status: str
    note: str = Field("", max_length=300)


class DisbursementPayIn(Schema):
    paid_on: date
    reference: str = Field("", max_length=100)


class VisitPhotoOut(Schema):
    id: int
    caption: str


class VisitOut(Schema):
    id: int
    beneficiary_id: int
    visited_on: date
    visitors: str
    notes: str
    photos: list[VisitPhotoOut]

    @staticmethod
    def resolve_photos(obj: Visit) -> list[VisitPhoto]:
        return list(obj.photos.all())


class VisitIn(Schema):
    visited_on: date
    visitors: str = Field(max_length=200)
    notes: str = Field("", max_length=5000)


class AcademicOut(Schema):
    id: int
    beneficiary_id: int
    term: str
    school_name: str
    grade: str
    summary: str
    recorded_on: date


class AcademicIn(Schema):
    term: str = Field(max_length=40)
    summary: str = Field(max_length=300)
    recorded_on: date
    school_name: str = Field("", max_length=100)
    grade: str = Field("", max_length=30)


class DisbursementOverdueOut(DisbursementOut):
    beneficiary_id: int
    sponsor_name: str

    @staticmethod
    def resolve_beneficiary_id(obj: Disbursement) -> int:
        return obj.sponsorship.beneficiary_id

    @staticmethod
    def resolve_sponsor_name(obj: Disbursement) -> str:
        return obj.sponsorship.sponsor_name

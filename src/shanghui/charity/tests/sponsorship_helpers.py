"""Builders for the sponsorship tests: valid ID numbers, a student with consents, a
sponsorship with its schedule."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.charity.models import Beneficiary, Partner, Sponsorship
from shanghui.charity.services import beneficiaries
from shanghui.charity.services import sponsorship as services
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member


def id_number(body17: str) -> str:
    """``body17`` with its GB 11643 check character."""
    total = sum(int(d) * w for d, w in zip(body17, beneficiaries.ID_WEIGHTS, strict=True))
    return body17 + beneficiaries.ID_CHECKS[total % 11]


def adult_id(serial: str = "123") -> str:
    return id_number(f"44023220000101{serial}")


def minor_id(serial: str = "456") -> str:
    born = timezone.localdate() - timedelta(days=365 * 15)
    return id_number(f"440232{born:%Y%m%d}{serial}")


def school(association: Association, name: str = "乳源县第一中学") -> Partner:
    with tenant_context(association):
        return Partner.objects.create(association=association, name=name, kind=Partner.Kind.SCHOOL)


def student(
    association: Association, *, name: str = "李小明", number: str | None = None, **extra: object
) -> Beneficiary:
    today = timezone.localdate()
    data = {
        "name": name,
        "gender": "m",
        "id_number": number if number is not None else adult_id(),
        "family_situation": "父母务农，家庭年收入不足两万元",
        "sensitive_consent_on": today,
        "guardian_consent_on": today,
        "guardian_name": "李大山",
        "school_name": "乳源县第一中学",
        "grade": "高一",
        **extra,
    }
    with tenant_context(association):
        return beneficiaries.beneficiary_create(
            association=association,
            actor=None,
            data=beneficiaries.BeneficiaryInput(**data),  # type: ignore[arg-type]
        )


def sponsorship(
    association: Association,
    beneficiary: Beneficiary,
    member: Member | None,
    *,
    starts_on: date = date(2024, 9, 1),
    amount: str = "2000",
    until: date | None = date(2025, 12, 31),
) -> Sponsorship:
    with tenant_context(association):
        return services.sponsorship_create(
            association=association,
            actor=None,
            beneficiary=beneficiary,
            data=services.SponsorshipInput(
                starts_on=starts_on,
                amount_per_term=Decimal(amount),
                sponsor_member=member,
                sponsor_name="" if member else "爱心人士王先生",
                expected_end_on=until,
            ),
        )

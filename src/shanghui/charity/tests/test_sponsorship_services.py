"""Student sponsorship's services: consents, the encrypted ID number and its duplicates,
the schedule and its payments booked in the ledger, visits, erasure and the alerts."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from shanghui.charity.models import Beneficiary, Disbursement, Donation, Visit, VisitPhoto
from shanghui.charity.services import beneficiaries
from shanghui.charity.services import sponsorship as services
from shanghui.charity.totals import association_donations, ledger_totals
from shanghui.core.encryption import field_decrypt
from shanghui.core.models import AuditEntry, OutboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side
from shanghui.testing.pictures import photo_like

from .sponsorship_helpers import adult_id, minor_id, school, sponsorship, student


def _input(**extra: object) -> beneficiaries.BeneficiaryInput:
    return beneficiaries.BeneficiaryInput(**{"name": "王小红", **extra})  # type: ignore[arg-type]


def _create(side: Side, **extra: object) -> Beneficiary:
    a = side.association
    with tenant_context(a):
        return beneficiaries.beneficiary_create(
            association=a, actor=side.admin, data=_input(**extra)
        )


@pytest.mark.django_db
def test_the_id_number_is_stored_encrypted_with_a_blind_index(side_a: Side) -> None:
    number = adult_id()
    beneficiary = student(side_a.association, number=number.lower())
    with tenant_context(side_a.association):
        row = Beneficiary.objects.get(pk=beneficiary.pk)
        assert row.id_number.startswith("v1:") and number not in row.id_number
        assert field_decrypt(row, "id_number") == number  # check letter upper-cased
        assert row.id_number_index and row.birth_date == date(2000, 1, 1)
        assert "务农" not in row.family_situation
        assert field_decrypt(row, "family_situation") == "父母务农，家庭年收入不足两万元"


@pytest.mark.django_db
def test_the_same_id_number_is_refused_twice_and_nothing_is_written(side_a: Side) -> None:
    student(side_a.association)
    with pytest.raises(ValidationError) as caught:
        student(side_a.association, name="另一个人")
    assert "该身份证号已登记为受助学生：李小明" in caught.value.messages[0]
    with tenant_context(side_a.association):
        assert Beneficiary.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("44023220000101123", "身份证号应为 18 位"),
        ("440232200001011230", "校验位不正确"),
    ],
)
def test_a_malformed_id_number_is_refused(side_a: Side, number: str, message: str) -> None:
    today = timezone.localdate()
    if message == "校验位不正确":
        good = adult_id()
        number = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        _create(side_a, id_number=number, sensitive_consent_on=today)
    assert message in " ".join(caught.value.messages)


@pytest.mark.django_db
def test_a_minor_needs_the_guardians_consent(side_a: Side) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        _create(side_a, birth_date=today - timedelta(days=365 * 16))
    assert "监护人同意" in caught.value.messages[0]
    # The ID number gives the birth date away: leaving the date empty does not dodge it.
    with pytest.raises(ValidationError):
        _create(side_a, id_number=minor_id(), sensitive_consent_on=today)
    made = _create(
        side_a, id_number=minor_id(), sensitive_consent_on=today, guardian_consent_on=today
    )
    assert beneficiaries.is_minor(made)


@pytest.mark.django_db
def test_sensitive_data_needs_its_own_consent(side_a: Side) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(side_a, id_number=adult_id())
    assert "单独同意" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        _create(side_a, family_situation="单亲家庭")
    with pytest.raises(ValidationError) as caught:
        _create(side_a, sensitive_consent_on=timezone.localdate() + timedelta(days=1))
    assert "不能晚于今天" in caught.value.messages[0]
    with tenant_context(side_a.association):
        assert not Beneficiary.objects.exists()


@pytest.mark.django_db
def test_an_edit_keeps_the_id_number_unless_a_new_one_is_given(side_a: Side) -> None:
    a = side_a.association
    made = student(a)
    with tenant_context(a):
        updated = beneficiaries.beneficiary_update(
            association=a,
            actor=side_a.admin,
            beneficiary=made,
            data=_input(
                name="李小明",
                grade="高二",
                guardian_consent_on=timezone.localdate(),
                sensitive_consent_on=timezone.localdate(),
                stage=Beneficiary.Stage.UNIVERSITY,
                outcome="考入中山大学",
            ),
        )
        assert field_decrypt(updated, "id_number") == adult_id()
        assert updated.grade == "高二" and updated.outcome == "考入中山大学"
        entry = AuditEntry.objects.filter(action="charity.beneficiary.update").get()
        assert "grade" in entry.data["fields"] and adult_id() not in str(entry.data)


@pytest.mark.django_db
def test_reveal_is_audited(side_a: Side) -> None:
    a = side_a.association
    made = student(a)
    with tenant_context(a):
        shown = beneficiaries.beneficiary_reveal(
            association=a, actor=side_a.admin, beneficiary=made
        )
        assert shown.id_number == adult_id()
        assert AuditEntry.objects.filter(action="charity.beneficiary.reveal").count() == 1


@pytest.mark.django_db
def test_paying_a_term_books_a_donation_and_links_it(side_a: Side) -> None:
    a = side_a.association
    place = school(a)
    made = student(a, school=place)
    pair = sponsorship(a, made, side_a.member)
    with tenant_context(a):
        terms = services.disbursements_generate(association=a, actor=None, sponsorship=pair)
        assert [t.term for t in terms] == [
            "2024年秋季学期",
            "2025年春季学期",
            "2025年秋季学期",
        ]
        again = services.disbursements_generate(association=a, actor=None, sponsorship=pair)
        assert again == []
        paid = services.disbursement_pay(
            association=a,
            actor=side_a.admin,
            disbursement=terms[0],
            paid_on=date(2024, 9, 5),
            reference="HX-001",
        )
        donation = paid.donation
        assert donation is not None
        assert (donation.donor_member_id, donation.amount) == (side_a.member.pk, Decimal("2000"))
        assert donation.recipient_id == place.pk and donation.kind == "cash"
        assert "李小明" not in donation.note
        totals = ledger_totals(association_donations(a))
        assert totals.cash == Decimal("2000")
        with pytest.raises(ValidationError) as caught:
            services.disbursement_pay(
                association=a, actor=None, disbursement=terms[0], paid_on=date(2024, 9, 6)
            )
        assert "已登记发放" in caught.value.messages[0]
        with pytest.raises(ValidationError) as caught:
            services.disbursement_pay(
                association=a,
                actor=None,
                disbursement=terms[1],
                paid_on=timezone.localdate() + timedelta(days=3),
            )
        assert "发放日期不能晚于今天" in caught.value.messages[0]
        assert Donation.objects.count() == 1
        assert Disbursement.objects.filter(paid_on__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_sponsorship_refuses_bad_input(side_a: Side) -> None:
    a = side_a.association
    made = student(a)
    with tenant_context(a):
        with pytest.raises(ValidationError) as caught:
            services.sponsorship_create(
                association=a,
                actor=None,
                beneficiary=made,
                data=services.SponsorshipInput(
                    starts_on=date(2025, 9, 1), amount_per_term=Decimal("1000")
                ),
            )
        assert "请选择会员或填写资助方" in caught.value.messages[0]
        with pytest.raises(ValidationError):
            services.sponsorship_create(
                association=a,
                actor=None,
                beneficiary=made,
                data=services.SponsorshipInput(
                    starts_on=date(2025, 9, 1),
                    amount_per_term=Decimal("1000"),
                    sponsor_name="王先生",
                    expected_end_on=date(2025, 1, 1),
                ),
            )


def _photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("visit.jpg", photo_like(1), content_type="image/jpeg")


@pytest.mark.django_db
def test_withdrawing_consent_erases_personal_data_and_keeps_the_payments(side_a: Side) -> None:
    a = side_a.association
    made = student(a)
    pair = sponsorship(a, made, side_a.member)
    with tenant_context(a):
        terms = services.disbursements_generate(association=a, actor=None, sponsorship=pair)
        services.disbursement_pay(
            association=a, actor=None, disbursement=terms[0], paid_on=date(2024, 9, 5)
        )
        visit = services.visit_create(
            association=a,
            actor=side_a.admin,
            beneficiary=made,
            data=services.VisitInput(
                visited_on=date(2025, 5, 1), visitors="张会长", notes="家中屋顶漏雨"
            ),
            photos=[_photo()],
        )
        assert VisitPhoto.objects.filter(visit=visit).count() == 1
        erased = beneficiaries.beneficiary_consent_withdraw(
            association=a, actor=side_a.admin, beneficiary=made, note="监护人来电"
        )
        assert erased.erased_at is not None
        assert (erased.id_number, erased.id_number_index, erased.family_situation) == ("", "", "")
        assert erased.guardian_name == "" and erased.birth_date is None
        assert not VisitPhoto.objects.exists()
        assert Visit.objects.get(pk=visit.pk).notes == ""
        assert ledger_totals(association_donations(a)).cash == Decimal("2000")
        with pytest.raises(ValidationError):
            beneficiaries.beneficiary_update(
                association=a, actor=None, beneficiary=erased, data=_input(name="x")
            )


@pytest.mark.django_db
def test_retention_erases_ended_records_after_the_set_years(side_a: Side) -> None:
    a = side_a.association
    today = timezone.localdate()
    old = student(a, name="毕业多年", ended_on=today - timedelta(days=365 * 4))
    recent = student(a, name="刚毕业", number=adult_id("789"), ended_on=today - timedelta(days=30))
    call_command("charity_beneficiary_retention", "--association", a.slug, stdout=io.StringIO())
    with tenant_context(a):
        assert Beneficiary.objects.get(pk=old.pk).erased_at is not None
        assert Beneficiary.objects.get(pk=recent.pk).erased_at is None
    with override_settings(CHARITY_BENEFICIARY_RETENTION_YEARS=0), tenant_context(a):
        assert beneficiaries.beneficiaries_retention(association=a) == 1


@pytest.mark.django_db
def test_the_alert_goes_out_once_to_secretariat_and_sponsor(side_a: Side) -> None:
    a = side_a.association
    made = student(a)
    pair = sponsorship(a, made, side_a.member, starts_on=date(2024, 9, 1), until=date(2024, 12, 31))
    with tenant_context(a):
        (term,) = services.disbursements_generate(association=a, actor=None, sponsorship=pair)
    out = io.StringIO()
    call_command("charity_disbursement_alerts", "--association", a.slug, stdout=out)
    assert "1" in out.getvalue()
    with tenant_context(a):
        assert Disbursement.objects.get(pk=term.pk).alerted_at is not None
        kinds = sorted(OutboxMessage.objects.values_list("kind", flat=True).distinct())
        assert kinds == ["charity.disbursement_overdue", "charity.disbursement_overdue_sponsor"]
        staff = OutboxMessage.objects.filter(kind="charity.disbursement_overdue").first()
        sponsor = OutboxMessage.objects.filter(kind="charity.disbursement_overdue_sponsor").first()
        assert staff is not None and "李小明" in staff.text
        assert sponsor is not None and "李小明" not in sponsor.text
        count = OutboxMessage.objects.count()
    call_command("charity_disbursement_alerts", "--association", a.slug, stdout=io.StringIO())
    with tenant_context(a):
        assert OutboxMessage.objects.count() == count  # once


@pytest.mark.django_db
def test_retention_erases_sensitive_data_held_without_its_consent(side_a: Side) -> None:
    a = side_a.association
    made = student(a)
    with tenant_context(a):
        # Consent withdrawn outside the platform and its date cleared by hand (a data fix).
        Beneficiary.objects.filter(pk=made.pk).update(sensitive_consent_on=None)
        assert beneficiaries.beneficiaries_retention(association=a) == 1
        row = Beneficiary.objects.get(pk=made.pk)
        assert (row.id_number, row.family_situation) == ("", "")
        assert AuditEntry.objects.filter(action="charity.beneficiary.erase").count() == 1
        assert beneficiaries.beneficiaries_retention(association=a) == 0

"""Sponsorship as production runs it: on PostgreSQL as the application role under row-level
security (on SQLite the same code runs as it is). The encrypted ID number, its reveal, a
payment booked in the ledger and the daily commands all work there, and another
association's scope sees none of A's students."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from shanghui.charity.models import Beneficiary, Disbursement, Donation, Sponsorship
from shanghui.charity.services import beneficiaries
from shanghui.charity.services import sponsorship as services
from shanghui.core.encryption import field_decrypt
from shanghui.core.models import AuditEntry, OutboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side

from .sponsorship_helpers import adult_id, sponsorship, student


def office(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/charity/{path}"


@pytest.mark.django_db
def test_register_reveal_and_pay_as_the_application_role(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    with as_app_role():
        response = admin_a.post(
            office(side_a, "beneficiaries/new/"),
            {
                "name": "陈小华",
                "stage": "high_school",
                "id_number": adult_id(),
                "family_situation": "母亲患病",
                "sensitive_consent_on": "2025-01-01",
            },
        )
        assert response.status_code == 302
        with tenant_context(a):
            made = Beneficiary.objects.get()
            assert field_decrypt(made, "id_number") == adult_id()
        revealed = admin_a.post(
            office(side_a, f"beneficiaries/{made.pk}/reveal/"), HTTP_HX_REQUEST="true"
        )
        assert adult_id() in revealed.content.decode()
        duplicate = admin_a.post(
            office(side_a, "beneficiaries/new/"),
            {
                "name": "重复",
                "stage": "high_school",
                "id_number": adult_id(),
                "sensitive_consent_on": "2025-01-01",
            },
        )
        assert duplicate.status_code == 400 and "已登记为受助学生" in duplicate.content.decode()
    pair = sponsorship(a, made, side_a.member)
    with as_app_role():
        with tenant_context(a):
            terms = services.disbursements_generate(association=a, actor=None, sponsorship=pair)
        paid = admin_a.post(
            office(side_a, f"disbursements/{terms[0].pk}/pay/"), {"paid_on": "2024-09-03"}
        )
        assert paid.status_code == 302
        with tenant_context(a):
            assert Disbursement.objects.get(pk=terms[0].pk).donation_id is not None
            assert Donation.objects.count() == 1
            assert AuditEntry.objects.filter(action="charity.beneficiary.reveal").exists()


@pytest.mark.django_db
def test_the_daily_commands_run_as_the_application_role(side_a: Side) -> None:
    a = side_a.association
    made = student(a)
    old = student(a, name="多年前", number=adult_id("777"), ended_on=date(2019, 7, 1))
    pair = sponsorship(a, made, side_a.member, until=date(2024, 12, 31))
    with tenant_context(a):
        services.disbursements_generate(association=a, actor=None, sponsorship=pair)
    with as_app_role():
        call_command("charity_disbursement_alerts", "--association", a.slug, stdout=io.StringIO())
        call_command("charity_beneficiary_retention", "--association", a.slug, stdout=io.StringIO())
        with tenant_context(a):
            assert OutboxMessage.objects.filter(kind="charity.disbursement_overdue").exists()
            assert Beneficiary.objects.get(pk=old.pk).erased_at is not None
            assert Beneficiary.objects.get(pk=made.pk).erased_at is None


@pytest.mark.django_db
def test_another_associations_scope_sees_no_student(side_a: Side, side_b: Side) -> None:
    made = student(side_a.association)
    sponsorship(side_a.association, made, side_a.member)
    with as_app_role(), tenant_context(side_b.association):
        # Row-level security is the second wall: even a query that forgets the association
        # (as no access helper does) finds nothing of A's.
        assert not Beneficiary.objects.filter(association_id=side_a.association.pk).exists()
        assert not Sponsorship.objects.filter(association_id=side_a.association.pk).exists()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM charity_beneficiary")
                assert cursor.fetchone() == (0,)


@pytest.mark.django_db
def test_a_ciphertext_moved_to_another_association_does_not_decrypt(
    side_a: Side, side_b: Side
) -> None:
    made = student(side_a.association)
    with tenant_context(side_b.association):
        copy = Beneficiary(association=side_b.association, name="复制", id_number=made.id_number)
        with pytest.raises(Exception, match="fails authentication"):
            field_decrypt(copy, "id_number")
    assert beneficiaries.is_minor(made) is False

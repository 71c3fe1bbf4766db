"""A person's applications and consents join their personal-data export, with what the
provider holds; deleting the account withdraws every consent still holding. As the
application role on PostgreSQL (deletion once passed as superuser and failed as the app)."""

import pytest

from shanghui.accounts.personal_data import account_delete, personal_data
from shanghui.core.tenancy import provider_context, tenant_context
from shanghui.providers.models import Lead, OfferApplication
from shanghui.providers.services.applications import ApplicationInput, application_create
from shanghui.providers.tests.p2_helpers import choose, make_offer, make_provider
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db


def test_consents_are_exported_and_withdrawn_with_the_account(side_a: Side, side_b: Side) -> None:
    bank = make_provider()
    offer = make_offer(bank)
    choose(side_a, offer)
    choose(side_b, offer)
    a = side_a.association
    with tenant_context(a):
        mine = application_create(
            association=a,
            actor=side_a.member_user,
            offer=offer,
            data=ApplicationInput(fields=["name", "phone"], agree=True),
        )
    with tenant_context(side_b.association):
        application_create(
            association=side_b.association,
            actor=side_b.member_user,
            offer=offer,
            data=ApplicationInput(fields=["name"], agree=True),
        )
    phone = side_a.member_user.phone
    with as_app_role():
        rows = personal_data(side_a.member_user)["会员服务申请与授权"]
        assert len(rows) == 1  # B's member's application is not theirs
        assert rows[0]["服务"] == offer.title and rows[0]["服务商"] == bank.name
        assert rows[0]["同意提供的信息"] == "姓名、手机号"
        assert phone in rows[0]["服务商持有的信息"]

        account_delete(user=side_a.member_user, password="Test-pass-2026")
        with provider_context(bank):
            lead = Lead.objects.get(pk=mine.lead_id)
            assert lead.shared == {} and lead.withdrawn_at is not None
            other = Lead.objects.exclude(pk=mine.lead_id).get()
            assert other.shared == {"name": side_b.member_user.name}
        with tenant_context(a):
            kept = OfferApplication.objects.get(pk=mine.pk)
            assert kept.user_id is None and kept.withdrawn_at is not None

"""The demo's service providers as the operator, a provider's user and members find them."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from shanghui.accounts.models import User
from shanghui.core.demo import (
    BANK,
    DEMO_PASSWORD,
    GDJX,
    HOSPITAL,
    OPERATOR_PHONE,
    ROLE_PROVIDER,
    ZSJX,
    demo_accounts_table,
)
from shanghui.core.tenancy import provider_context
from shanghui.providers.demo import CHECKUP_TITLE, LOAN_TITLE
from shanghui.providers.models import Lead, LeadNote, Offer, Provider
from shanghui.providers.services.offers import rate_label
from shanghui.testing.fixtures import client_for


@pytest.fixture
def demo(db: None) -> None:
    call_command("seed_demo", members=300, stdout=StringIO())


def user(phone: str) -> User:
    return User.objects.get(phone=phone)


def test_the_operator_approved_a_bank_and_a_hospital(demo: None) -> None:
    page = client_for(user(OPERATOR_PHONE)).get(
        reverse("providers:platform_providers"), {"status": "approved"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert BANK.name in text and HOSPITAL.name in text and "已认证" in text
    providers = {p.slug: p for p in Provider.objects.all()}
    assert {slug: p.status for slug, p in providers.items()} == {
        BANK.slug: Provider.Status.APPROVED,
        HOSPITAL.slug: Provider.Status.APPROVED,
    }
    assert all(p.licence_file_key and p.licence_number for p in providers.values())
    loan = Offer.objects.get(provider=providers[BANK.slug], title=LOAN_TITLE)
    assert rate_label(loan) == "年化利率 3.45%–6.2%"


def test_the_bank_has_leads_and_members_see_their_offers(demo: None) -> None:
    bank = Provider.objects.get(slug=BANK.slug)
    with provider_context(bank):
        leads = list(Lead.objects.filter(provider=bank))
        assert len(leads) >= 3
        contacted = [lead for lead in leads if lead.status == Lead.Status.CONTACTED]
        assert [lead.shared["name"] for lead in contacted] == [GDJX.member_name]
        assert LeadNote.objects.filter(lead=contacted[0]).exists()
    banker = client_for(user(BANK.user_phone))
    page = banker.get(reverse("providers:back_leads", kwargs={"provider_slug": BANK.slug}))
    text = page.content.decode()
    assert page.status_code == 200
    assert LOAN_TITLE in text and "已联系" in text and ZSJX.name in text
    page = banker.get(
        reverse(
            "providers:back_lead", kwargs={"provider_slug": BANK.slug, "lead_id": contacted[0].pk}
        )
    )
    text = page.content.decode()
    assert GDJX.member_name in text and GDJX.member_phone in text and "上门" in text
    # 广东省江西商会 offers both providers' services, 中山 the bank's only.
    gdjx = client_for(user(GDJX.member_phone)).get(
        reverse("providers:offers", kwargs={"association_slug": GDJX.slug})
    )
    assert LOAN_TITLE in gdjx.content.decode() and CHECKUP_TITLE in gdjx.content.decode()
    zsjx = client_for(user(ZSJX.member_phone)).get(
        reverse("providers:offers", kwargs={"association_slug": ZSJX.slug})
    )
    assert LOAN_TITLE in zsjx.content.decode() and CHECKUP_TITLE not in zsjx.content.decode()
    hospital = Provider.objects.get(slug=HOSPITAL.slug)
    checkup = Offer.objects.get(provider=hospital, title=CHECKUP_TITLE)
    assert checkup.rating_count == 1 and checkup.rating_total == 5


def test_the_sign_in_table_lists_the_providers_users(demo: None) -> None:
    table = demo_accounts_table()
    for provider in (BANK, HOSPITAL):
        assert f"| {ROLE_PROVIDER} | {provider.name} | {provider.user_name} |" in table
        signed_in = authenticate(
            request=RequestFactory().post("/login/"),
            phone=provider.user_phone,
            password=DEMO_PASSWORD,
        )
        assert signed_in == user(provider.user_phone)
        page = client_for(signed_in).get(
            reverse("providers:back_office", kwargs={"provider_slug": provider.slug})
        )
        assert page.status_code == 200 and provider.name in page.content.decode()

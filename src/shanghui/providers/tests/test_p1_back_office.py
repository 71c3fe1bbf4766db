"""The provider back office through its pages and API, on PostgreSQL as the application role
(row-level security on app.provider_id): a provider's users see their own leads only; a user
of another provider, a member of an association and a stranger get 404."""

import pytest
from django.test import Client

from shanghui.core.tenancy import provider_context
from shanghui.providers.models import Lead, LeadNote, Offer, Provider, ProviderUser
from shanghui.providers.tests.p1_helpers import approved_provider, lead_of, offer_of
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side, api_client_for, client_for


@pytest.fixture
def two_providers(side_a: Side, side_b: Side) -> tuple[Provider, Provider]:
    bank = approved_provider(name="甲市银行", slug="bank", user=side_a.admin)
    clinic = approved_provider(
        name="乙市医院", slug="clinic", user=side_b.admin, category="medical"
    )
    return bank, clinic


@pytest.mark.django_db
def test_a_providers_users_see_only_their_own_leads(
    side_a: Side, side_b: Side, two_providers: tuple[Provider, Provider]
) -> None:
    bank, clinic = two_providers
    bank_offer = offer_of(bank, title="甲市会员贷", status="published")
    clinic_offer = offer_of(clinic, title="乙市体检套餐", status="published")
    bank_lead = lead_of(bank_offer, association=side_b.association, name="甲市线索人")
    clinic_lead = lead_of(clinic_offer, association=side_a.association, name="乙市线索人")
    staff = client_for(side_a.admin)
    with as_app_role():
        page = staff.get(f"/p/{bank.slug}/leads/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "甲市会员贷" in text and "乙市体检套餐" not in text
        detail = staff.get(f"/p/{bank.slug}/leads/{bank_lead.pk}/")
        assert "甲市线索人" in detail.content.decode()
        # The other provider's lead, in this provider's back office: 404.
        assert staff.get(f"/p/{bank.slug}/leads/{clinic_lead.pk}/").status_code == 404
        # The other provider's back office: 404 for a user who is not its user.
        assert staff.get(f"/p/{clinic.slug}/leads/").status_code == 404
        assert staff.get(f"/p/{clinic.slug}/leads/{clinic_lead.pk}/").status_code == 404
        # A member of an association (not a provider user) and a stranger: 404.
        assert client_for(side_a.member_user).get(f"/p/{bank.slug}/").status_code == 404
        assert Client().get(f"/p/{bank.slug}/").status_code == 404
        api = api_client_for(side_a.admin)
        leads = api.get(f"/api/v1/providers/{bank.slug}/leads").json()
        assert [lead["id"] for lead in leads] == [bank_lead.pk]
        assert leads[0]["shared"]["name"] == "甲市线索人"
        assert api.get(f"/api/v1/providers/{bank.slug}/leads/{clinic_lead.pk}").status_code == 404
        assert api.get(f"/api/v1/providers/{clinic.slug}/leads").status_code == 404


@pytest.mark.django_db
def test_following_up_a_lead_with_status_and_notes(
    side_a: Side, side_b: Side, two_providers: tuple[Provider, Provider]
) -> None:
    bank, clinic = two_providers
    lead = lead_of(offer_of(bank), association=side_b.association)
    clinic_lead = lead_of(offer_of(clinic), association=side_a.association)
    staff = client_for(side_a.admin)
    with as_app_role():
        base = f"/p/{bank.slug}/leads/{lead.pk}/"
        assert staff.post(base + "status/", {"status": "contacted"}).status_code == 302
        assert staff.post(base + "note/", {"text": "已电话联系，约周三面谈"}).status_code == 302
        page = staff.get(base).content.decode()
        assert "已电话联系，约周三面谈" in page
        api = api_client_for(side_a.admin)
        noted = api.post(
            f"/api/v1/providers/{bank.slug}/leads/{lead.pk}/notes",
            {"text": "已放款"},
            content_type="application/json",
        )
        assert noted.status_code == 201
        served = api.post(
            f"/api/v1/providers/{bank.slug}/leads/{lead.pk}/status",
            {"status": "served"},
            content_type="application/json",
        )
        assert served.json()["status"] == "served"
        # Another provider's lead through this provider's slug: 404, nothing written.
        assert (
            staff.post(f"/p/{bank.slug}/leads/{clinic_lead.pk}/note/", {"text": "x"}).status_code
            == 404
        )
        with provider_context(bank):
            assert Lead.objects.get(pk=lead.pk).status == "served"
            assert LeadNote.objects.filter(lead=lead).count() == 2
        with provider_context(clinic):
            assert Lead.objects.get(pk=clinic_lead.pk).status == "new"
            assert not LeadNote.objects.filter(lead=clinic_lead).exists()


@pytest.mark.django_db
def test_offers_in_the_back_office(side_a: Side, two_providers: tuple[Provider, Provider]) -> None:
    bank, clinic = two_providers
    clinic_draft = offer_of(clinic, title="乙市草稿")
    staff = client_for(side_a.admin)
    with as_app_role():
        refused = staff.post(
            f"/p/{bank.slug}/offers/new/", {"title": "会员专属贷款", "summary": "纯信用"}
        )
        assert refused.status_code == 200
        assert "年化利率" in refused.content.decode()
        made = staff.post(
            f"/p/{bank.slug}/offers/new/",
            {
                "title": "会员专属贷款",
                "summary": "纯信用",
                "annual_rate_min": "3.2",
                "annual_rate_max": "4.8",
            },
        )
        assert made.status_code == 302
        with provider_context(bank):
            offer = Offer.objects.get(provider=bank, title="会员专属贷款")
        page = staff.get(f"/p/{bank.slug}/offers/{offer.pk}/").content.decode()
        assert "年化利率 3.2%–4.8%" in page
        assert staff.post(f"/p/{bank.slug}/offers/{offer.pk}/publish/").status_code == 302
        assert staff.get(f"/p/{bank.slug}/offers/{clinic_draft.pk}/").status_code == 404
        assert staff.post(f"/p/{bank.slug}/offers/{clinic_draft.pk}/publish/").status_code == 404
        api = api_client_for(side_a.admin)
        listed = api.get(f"/api/v1/providers/{bank.slug}/offers").json()
        assert [(row["title"], row["status"]) for row in listed] == [("会员专属贷款", "published")]
        patched = api.patch(
            f"/api/v1/providers/{bank.slug}/offers/{offer.pk}",
            {
                "title": "会员专属贷款",
                "summary": "根治",
                "annual_rate_min": "3",
                "annual_rate_max": "4",
            },
            content_type="application/json",
        )
        assert patched.status_code == 200  # a bank may say 根治; only medical offers may not
        clinic_api = api_client_for(side_a.admin)
        assert (
            clinic_api.get(f"/api/v1/providers/{bank.slug}/offers/{clinic_draft.pk}").status_code
            == 404
        )
    with provider_context(clinic):
        assert Offer.objects.get(pk=clinic_draft.pk).status == "draft"


@pytest.mark.django_db
def test_users_of_the_back_office(
    side_a: Side, side_b: Side, two_providers: tuple[Provider, Provider]
) -> None:
    bank, clinic = two_providers
    newcomer = UserFactory(name="新业务员")
    staff = client_for(side_a.admin)
    with as_app_role():
        added = staff.post(f"/p/{bank.slug}/users/", {"phone": newcomer.phone, "kind": "staff"})
        assert added.status_code == 302
        with provider_context(bank):
            row = ProviderUser.objects.get(provider=bank, user=newcomer)
        # The newcomer now enters the bank's back office, but not as an administrator.
        newcomer_client = client_for(newcomer)
        assert newcomer_client.get(f"/p/{bank.slug}/").status_code == 200
        assert (
            newcomer_client.post(
                f"/p/{bank.slug}/users/", {"phone": side_b.member_user.phone, "kind": "staff"}
            ).status_code
            == 403
        )
        with provider_context(clinic):
            clinic_admin = ProviderUser.objects.get(provider=clinic)
        assert staff.post(f"/p/{bank.slug}/users/{clinic_admin.pk}/remove/").status_code == 404
        assert staff.post(f"/p/{bank.slug}/users/{row.pk}/remove/").status_code == 302
        assert newcomer_client.get(f"/p/{bank.slug}/").status_code == 404


@pytest.mark.django_db
def test_my_page_links_to_my_providers_only(
    side_a: Side, two_providers: tuple[Provider, Provider]
) -> None:
    with as_app_role():
        page = client_for(side_a.admin).get("/me/").content.decode()
    assert "我的服务商后台：甲市银行" in page
    assert "乙市医院" not in page
    assert "/providers/apply/" not in page  # they work in a provider already
    with as_app_role():
        stranger = client_for(side_a.member_user).get("/me/").content.decode()
    assert "服务机构入驻申请" in stranger and "/providers/apply/" in stranger

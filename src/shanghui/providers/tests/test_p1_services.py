"""Applying, vetting, offers' rules and the provider's users, through the services."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shanghui.core.tenancy import person_context, provider_context
from shanghui.providers.models import Offer, Provider, ProviderUser
from shanghui.providers.services import offers as offer_services
from shanghui.providers.services import providers as services
from shanghui.providers.services.offers import OfferInput
from shanghui.providers.tests.p1_helpers import approved_provider
from shanghui.testing.factories import UserFactory, make_uscc
from shanghui.testing.fixtures import Side


def _application(**changes: str) -> services.ProviderApplicationInput:
    data = {
        "name": "深圳农村商业银行",
        "category": "bank",
        "uscc": make_uscc("91"),
        "licence_number": "B0234H244030001",
        "region_code": "440300",
        "contact_name": "李经理",
        "contact_phone": "138 0013 8000",
    }
    data.update(changes)
    return services.ProviderApplicationInput(**data)


def _apply(side: Side, **changes: str) -> Provider:
    return services.provider_apply(
        actor=side.member_user,
        data=_application(**changes),
        licence=io.BytesIO(b"%PDF-1.4 licence"),
        licence_name="金融许可证.pdf",
    )


@pytest.mark.django_db
def test_applying_keeps_the_licence_and_approval_makes_the_applicant_admin(
    side_a: Side,
) -> None:
    provider = _apply(side_a)
    assert provider.status == Provider.Status.PENDING
    assert provider.contact_phone == "13800138000"
    assert provider.licence_file_key.startswith("platform/")
    assert b"".join(services.licence_blocks(provider)) == b"%PDF-1.4 licence"
    operator = UserFactory(is_platform_operator=True)
    services.provider_approve(actor=operator, provider=provider)
    with person_context(side_a.member_user):
        rows = list(ProviderUser.objects.filter(user=side_a.member_user))
    assert [(row.provider_id, row.kind) for row in rows] == [(provider.pk, "admin")]


@pytest.mark.django_db
def test_applying_refuses_without_licence_and_bad_codes(side_a: Side) -> None:
    with pytest.raises(ValidationError) as refused:
        services.provider_apply(
            actor=side_a.member_user, data=_application(), licence=None, licence_name=""
        )
    assert "金融许可证" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        _apply(side_a, uscc="123", contact_phone="12345")
    assert set(refused.value.message_dict) == {"uscc", "contact_phone"}
    with pytest.raises(ValidationError) as refused:
        services.provider_apply(
            actor=side_a.member_user,
            data=_application(),
            licence=io.BytesIO(b"MZ"),
            licence_name="setup.exe",
        )
    assert "licence" in refused.value.message_dict
    assert not Provider.objects.exists()


@pytest.mark.django_db
def test_reject_needs_a_reason_and_suspend_closes(side_a: Side) -> None:
    operator = UserFactory(is_platform_operator=True)
    provider = _apply(side_a)
    with pytest.raises(ValidationError):
        services.provider_reject(actor=operator, provider=provider, reason="")
    services.provider_reject(actor=operator, provider=provider, reason="许可证模糊")
    provider.refresh_from_db()
    assert (provider.status, provider.decision_reason) == ("rejected", "许可证模糊")
    with pytest.raises(ValidationError):
        services.provider_approve(actor=operator, provider=provider)
    other = _apply(side_a, name="另一家银行")
    services.provider_approve(actor=operator, provider=other)
    services.provider_suspend(actor=operator, provider=other, reason="违规宣传")
    assert Provider.objects.get(pk=other.pk).status == "suspended"


@pytest.mark.django_db
def test_a_rejected_organization_applies_again_and_a_pending_one_cannot_twice(
    side_a: Side,
) -> None:
    operator = UserFactory(is_platform_operator=True)
    provider = _apply(side_a)
    with pytest.raises(ValidationError, match="已提交过"):
        _apply(side_a)
    services.provider_reject(actor=operator, provider=provider, reason="许可证模糊")
    again = _apply(side_a, licence_number="B0234H244030002")
    assert again.pk == provider.pk and Provider.objects.count() == 1
    assert (again.status, again.decision_reason, again.licence_number) == (
        "pending",
        "",
        "B0234H244030002",
    )
    services.provider_approve(actor=operator, provider=again)
    assert Provider.objects.get(pk=provider.pk).status == "approved"


def _offer(**changes: object) -> OfferInput:
    data: dict[str, object] = {"title": "商会会员专属贷款", "summary": "纯信用，最快当天放款"}
    data.update(changes)
    return OfferInput(**data)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_loan_states_its_annual_rate_range(side_a: Side) -> None:
    bank = approved_provider(name="甲银行", slug="bank", user=side_a.admin)
    with provider_context(bank):
        with pytest.raises(ValidationError) as refused:
            offer_services.offer_create(actor=side_a.admin, provider=bank, data=_offer())
        assert "年化利率" in str(refused.value)
        with pytest.raises(ValidationError):
            offer_services.offer_create(
                actor=side_a.admin,
                provider=bank,
                data=_offer(annual_rate_min="5", annual_rate_max="3.1"),
            )
        with pytest.raises(ValidationError):
            offer_services.offer_create(
                actor=side_a.admin,
                provider=bank,
                data=_offer(annual_rate_min="3.456", annual_rate_max="4"),
            )
        offer = offer_services.offer_create(
            actor=side_a.admin,
            provider=bank,
            data=_offer(annual_rate_min="3.45", annual_rate_max="6%"),
        )
        assert offer_services.rate_label(offer) == "年化利率 3.45%–6%"
        assert offer.status == Offer.Status.DRAFT
        offer_services.offer_publish(actor=side_a.admin, offer=offer)
        assert Offer.objects.get(pk=offer.pk).status == "published"
        offer_services.offer_withdraw(actor=side_a.admin, offer=offer)
        assert Offer.objects.get(pk=offer.pk).status == "withdrawn"


@pytest.mark.django_db
def test_a_medical_offer_makes_no_treatment_claims(side_a: Side) -> None:
    clinic = approved_provider(name="甲医院", slug="clinic", user=side_a.admin, category="medical")
    with provider_context(clinic):
        with pytest.raises(ValidationError) as refused:
            offer_services.offer_create(
                actor=side_a.admin,
                provider=clinic,
                data=OfferInput(
                    title="高管体检套餐", summary="专家解读", body="慢病根治，无副作用"
                ),
            )
        assert "根治" in str(refused.value)
        offer = offer_services.offer_create(
            actor=side_a.admin,
            provider=clinic,
            data=OfferInput(title="高管体检套餐", summary="含专家解读报告"),
        )
        assert offer.annual_rate_min is None


@pytest.mark.django_db
def test_provider_users_are_added_by_phone_by_an_admin(side_a: Side, side_b: Side) -> None:
    bank = approved_provider(name="甲银行", slug="bank", user=side_a.admin)
    with provider_context(bank):
        admin = ProviderUser.objects.get(provider=bank, user=side_a.admin)
        with pytest.raises(ValidationError):
            services.provider_user_add(actor=side_a.admin, membership=admin, phone="13700000000")
        added = services.provider_user_add(
            actor=side_a.admin, membership=admin, phone=str(side_b.member_user.phone)
        )
        assert added.kind == "staff"
        with pytest.raises(PermissionDenied):
            services.provider_user_remove(actor=side_b.member_user, membership=added, removed=admin)
        with pytest.raises(ValidationError):  # the last administrator stays
            services.provider_user_remove(actor=side_a.admin, membership=admin, removed=admin)
        services.provider_user_remove(actor=side_a.admin, membership=admin, removed=added)
        assert list(ProviderUser.objects.filter(provider=bank)) == [admin]


@pytest.mark.django_db
def test_a_new_lead_is_told_to_the_providers_users_without_its_contents(side_a: Side) -> None:
    from shanghui.core import notifications
    from shanghui.providers.services.leads import lead_notify_new
    from shanghui.providers.tests.p1_helpers import lead_of, offer_of

    bank = approved_provider(name="甲银行", slug="bank", user=side_a.admin)
    offer = offer_of(bank, title="会员专属贷")
    lead = lead_of(offer, association=side_a.association, name="龚志军")
    lead_notify_new(lead=lead, offer=offer)
    sent = [m for m in notifications.outbox if m.to == side_a.admin.phone]
    assert sent and "会员专属贷" in sent[-1].text
    assert "龚志军" not in sent[-1].text


@pytest.mark.django_db
def test_the_decision_reaches_the_applicant(side_a: Side) -> None:
    from shanghui.core import notifications

    provider = _apply(side_a)
    services.provider_reject(
        actor=UserFactory(is_platform_operator=True), provider=provider, reason="许可证已过期"
    )
    sent = [m for m in notifications.outbox if m.to == side_a.member_user.phone]
    assert sent and "许可证已过期" in sent[-1].text

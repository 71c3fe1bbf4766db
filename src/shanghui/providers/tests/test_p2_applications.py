"""A member applies to an offer their association chose — consenting field by field — and
the provider's lead holds exactly the consented values; withdrawing empties it; rating counts
on the offer. Run on SQLite and on PostgreSQL; the walls as the application role are proved
in ``test_p2_walls``."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shanghui.core.audit import action_label
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import provider_context, tenant_context
from shanghui.providers.models import Lead, Offer, OfferApplication, Provider
from shanghui.providers.selectors.offers import member_offers, offer_purpose
from shanghui.providers.services.applications import (
    ApplicationInput,
    application_create,
    application_rate,
    application_withdraw,
)
from shanghui.providers.tests.p2_helpers import choose, make_offer, make_provider
from shanghui.testing.fixtures import Side


def _apply(side: Side, offer: Offer, fields: list[str], **kwargs: object) -> OfferApplication:
    data = ApplicationInput(
        fields=fields, member=kwargs.pop("member", side.member), agree=kwargs.pop("agree", True)
    )
    with tenant_context(side.association):
        return application_create(
            association=side.association, actor=side.member_user, offer=offer, data=data
        )


def _lead(provider: Provider, application: OfferApplication) -> Lead:
    with provider_context(provider):
        return Lead.objects.get(pk=application.lead_id)


@pytest.mark.django_db
def test_the_lead_holds_exactly_the_consented_fields(side_a: Side) -> None:
    side_a.member.uscc = "91440101MA5CXXXX1A"
    side_a.member.save(update_fields=["uscc"])
    bank = make_provider()
    offer = make_offer(bank)
    choose(side_a, offer)
    application = _apply(side_a, offer, ["phone", "enterprise", "name"])
    lead = _lead(bank, application)
    assert lead.shared == {
        "name": side_a.member_user.name,
        "phone": side_a.member_user.phone,
        "enterprise": side_a.member.name,
    }
    assert "uscc" not in lead.shared  # not ticked, not sent, though the member has one
    assert lead.association_id == side_a.association.pk
    assert lead.application_id == application.pk
    assert lead.purpose == application.purpose == offer_purpose(offer)
    assert bank.name in lead.purpose and offer.title in lead.purpose
    assert application.shared_fields == ["name", "phone", "enterprise"]
    with tenant_context(side_a.association):
        entry = AuditEntry.objects.get(action="providers.application.create")
    assert side_a.member_user.phone not in str(entry.data) + entry.summary
    assert action_label("providers.application.create") != "providers.application.create"


@pytest.mark.django_db
def test_consent_must_be_explicit_and_concern_what_exists(side_a: Side) -> None:
    side_a.member.uscc = ""
    side_a.member.save(update_fields=["uscc"])
    bank = make_provider()
    offer = make_offer(bank)
    choose(side_a, offer)
    with pytest.raises(ValidationError) as refused:
        _apply(side_a, offer, ["name"], agree=False)
    assert "agree" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _apply(side_a, offer, [])
    assert "shared_fields" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _apply(side_a, offer, ["enterprise"], member=None)
    assert "member" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:  # the member has no credit code
        _apply(side_a, offer, ["uscc"])
    assert "统一社会信用代码" in str(refused.value)
    with tenant_context(side_a.association):
        assert not OfferApplication.objects.exists()
    with provider_context(bank):
        assert not Lead.objects.exists()


@pytest.mark.django_db
def test_only_chosen_published_offers_of_approved_providers_take_applications(
    side_a: Side, side_b: Side
) -> None:
    bank = make_provider()
    offer = make_offer(bank)
    choose(side_b, offer)  # B chose it, A did not
    with pytest.raises(ValidationError):
        _apply(side_a, offer, ["name"])
    with tenant_context(side_a.association):
        assert not member_offers(side_a.association).exists()
    choose(side_a, offer)
    with tenant_context(side_a.association):
        assert list(member_offers(side_a.association)) == [offer]
    Offer.objects.filter(pk=offer.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    with tenant_context(side_a.association):
        assert not member_offers(side_a.association).exists()  # expired
    Offer.objects.filter(pk=offer.pk).update(valid_until=None)
    Provider.objects.filter(pk=bank.pk).update(status=Provider.Status.SUSPENDED)
    with tenant_context(side_a.association):
        assert not member_offers(side_a.association).exists()
    with pytest.raises(ValidationError, match="不接受申请"):
        _apply(side_a, offer, ["name"])


@pytest.mark.django_db
def test_one_open_application_and_a_new_one_after_withdrawing(side_a: Side) -> None:
    bank = make_provider()
    offer = make_offer(bank)
    choose(side_a, offer)
    first = _apply(side_a, offer, ["name", "phone"])
    with pytest.raises(ValidationError, match="已申请过"):
        _apply(side_a, offer, ["name"])
    with tenant_context(side_a.association):
        application_withdraw(
            association=side_a.association, actor=side_a.member_user, application=first
        )
    second = _apply(side_a, offer, ["name"])
    assert second.pk != first.pk


@pytest.mark.django_db
def test_withdrawing_empties_the_lead_and_marks_both(side_a: Side) -> None:
    bank = make_provider()
    offer = make_offer(bank)
    choose(side_a, offer)
    application = _apply(side_a, offer, ["name", "phone", "enterprise"])
    with tenant_context(side_a.association):
        withdrawn = application_withdraw(
            association=side_a.association, actor=side_a.member_user, application=application
        )
        with pytest.raises(ValidationError, match="已撤回"):
            application_withdraw(
                association=side_a.association, actor=side_a.member_user, application=application
            )
    lead = _lead(bank, application)
    assert lead.shared == {}
    assert lead.withdrawn_at == withdrawn.withdrawn_at is not None
    assert lead.purpose  # the provider still knows there was an application, and why


@pytest.mark.django_db
def test_only_the_applicant_withdraws_or_rates(side_a: Side) -> None:
    bank = make_provider()
    offer = make_offer(bank)
    choose(side_a, offer)
    application = _apply(side_a, offer, ["name"])
    with tenant_context(side_a.association):
        with pytest.raises(ValidationError):
            application_withdraw(
                association=side_a.association, actor=side_a.admin, application=application
            )
        with pytest.raises(ValidationError):
            application_rate(
                association=side_a.association,
                actor=side_a.admin,
                application=application,
                rating=1,
            )
    assert _lead(bank, application).shared == {"name": side_a.member_user.name}


@pytest.mark.django_db
def test_rating_counts_on_the_offer_and_re_rating_replaces(side_a: Side, side_b: Side) -> None:
    bank = make_provider()
    offer = make_offer(bank)
    choose(side_a, offer)
    choose(side_b, offer)
    mine = _apply(side_a, offer, ["name"])
    theirs = _apply(side_b, offer, ["name"])
    for side, application, stars in ((side_a, mine, 5), (side_b, theirs, 2), (side_a, mine, 3)):
        with tenant_context(side.association):
            application_rate(
                association=side.association,
                actor=side.member_user,
                application=application,
                rating=stars,
                comment="服务很及时",
            )
    offer.refresh_from_db()
    assert (offer.rating_count, offer.rating_total) == (2, 5)
    lead = _lead(bank, mine)
    assert (lead.rating, lead.rating_comment) == (3, "服务很及时")
    with tenant_context(side_a.association):
        for bad in (0, 6, "x"):
            with pytest.raises(ValidationError):
                application_rate(
                    association=side_a.association,
                    actor=side_a.member_user,
                    application=mine,
                    rating=bad,
                )
        with pytest.raises(ValidationError):
            application_rate(
                association=side_a.association,
                actor=side_a.member_user,
                application=mine,
                rating=4,
                comment="长" * 301,
            )
    offer.refresh_from_db()
    assert (offer.rating_count, offer.rating_total) == (2, 5)

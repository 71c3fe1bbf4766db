"""会员服务 through the API: the same services as the pages, errors as 400, strangers 404."""

import pytest

from shanghui.core.tenancy import provider_context, tenant_context
from shanghui.events.models import Event
from shanghui.providers.models import Lead, Offer
from shanghui.providers.tests.p2_helpers import make_offer, make_provider
from shanghui.testing.fixtures import Side, api_client_for


@pytest.mark.django_db
def test_the_whole_flow_through_the_api(side_a: Side, side_b: Side) -> None:
    base = f"/api/v1/associations/{side_a.association.slug}/services"
    admin, member = api_client_for(side_a.admin), api_client_for(side_a.member_user)
    stranger = api_client_for(side_b.member_user)
    bank = make_provider()
    offer = make_offer(bank)
    draft = make_offer(bank, title="草稿贷", status=Offer.Status.DRAFT)

    listed = admin.get(f"{base}/catalogue").json()
    assert [o["id"] for o in listed["items"]] == [offer.pk]
    assert listed["items"][0]["chosen"] is False
    assert listed["items"][0]["annual_rate_min"] == "3.45"
    assert admin.get(f"{base}/catalogue/{draft.pk}").status_code == 404
    assert member.get(f"{base}/catalogue").status_code == 403
    assert member.get(f"{base}/offers/{offer.pk}").status_code == 404

    chosen = admin.put(f"{base}/catalogue/{offer.pk}/choice")
    assert chosen.status_code == 200 and chosen.json()["chosen"] is True
    assert [o["id"] for o in member.get(f"{base}/offers").json()["items"]] == [offer.pk]

    apply = f"{base}/offers/{offer.pk}/applications"
    refused = member.post(
        apply, {"shared_fields": ["name"], "agree": False}, content_type="application/json"
    )
    assert refused.status_code == 400
    created = member.post(
        apply,
        {"shared_fields": ["name", "enterprise"], "member_id": side_a.member.pk, "agree": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["shared_fields"] == ["name", "enterprise"]
    assert body["offer_title"] == offer.title and bank.name in body["purpose"]
    with provider_context(bank):
        lead = Lead.objects.get()
    assert lead.shared == {"name": side_a.member_user.name, "enterprise": side_a.member.name}

    mine = member.get(f"{base}/applications").json()
    assert [a["id"] for a in mine["items"]] == [body["id"]]
    assert admin.get(f"{base}/applications/{body['id']}").status_code == 404  # not theirs
    stranger_base = base.replace(side_a.association.slug, side_b.association.slug)
    assert stranger.get(f"{base}/applications/{body['id']}").status_code == 404
    assert stranger.get(f"{stranger_base}/applications/{body['id']}").status_code == 404

    rated = member.post(
        f"{base}/applications/{body['id']}/rating",
        {"rating": 4, "comment": "好"},
        content_type="application/json",
    )
    assert rated.status_code == 200 and rated.json()["rating"] == 4
    assert (
        member.post(
            f"{base}/applications/{body['id']}/rating",
            {"rating": 9},
            content_type="application/json",
        ).status_code
        == 400
    )
    withdrawn = member.post(f"{base}/applications/{body['id']}/withdrawal")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    with provider_context(bank):
        assert Lead.objects.get().shared == {}

    usage = admin.get(f"{base}/usage").json()
    assert usage["applications"] == 1 and usage["offers"][0]["withdrawn"] == 1
    assert usage["offers"][0]["average"] == "4.0"

    unchosen = admin.delete(f"{base}/catalogue/{offer.pk}/choice")
    assert unchosen.status_code == 200 and unchosen.json()["chosen"] is False
    assert member.get(f"{base}/offers/{offer.pk}").status_code == 404


@pytest.mark.django_db
def test_a_course_through_the_api(side_a: Side) -> None:
    base = f"/api/v1/associations/{side_a.association.slug}/services"
    school = make_provider(name="甲培训学校", slug="jia-school", category="training")
    course = make_offer(school, title="财税研修班", is_course=True, rates=None)
    made = api_client_for(side_a.admin).post(f"{base}/catalogue/{course.pk}/course")
    assert made.status_code == 201
    with tenant_context(side_a.association):
        event = Event.objects.get(pk=made.json()["event_id"])
    assert event.kind == Event.Kind.TRAINING and event.status == Event.Status.DRAFT

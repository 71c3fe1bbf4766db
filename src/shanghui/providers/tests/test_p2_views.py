"""The 会员服务 pages: the administrator chooses an offer from the catalogue, a member sees it,
applies with an explicit consent, finds it in 我的服务申请, rates it and withdraws; a course
becomes a draft training event; another association's member gets 404 throughout."""

import pytest
from django.test import Client

from shanghui.core.tenancy import provider_context, tenant_context
from shanghui.events.models import Event
from shanghui.providers.models import Lead, Offer, OfferApplication, OfferChoice
from shanghui.providers.tests.p2_helpers import make_offer, make_provider
from shanghui.testing.fixtures import Side


def _url(side: Side, tail: str = "", office: bool = False) -> str:
    return f"/a/{side.association.slug}/{'office/' if office else ''}services/{tail}"


@pytest.mark.django_db
def test_choose_apply_rate_withdraw_through_the_pages(
    side_a: Side, admin_a: Client, member_a: Client, member_b: Client
) -> None:
    bank = make_provider()
    offer = make_offer(bank)
    draft = make_offer(bank, title="尚未上架的贷款", status=Offer.Status.DRAFT)

    catalogue = admin_a.get(_url(side_a, office=True))
    assert catalogue.status_code == 200
    text = catalogue.content.decode()
    assert offer.title in text and "年化利率 3.45%–4.20%" in text
    assert draft.title not in text
    assert member_a.get(_url(side_a)).content.decode().count(offer.title) == 0
    assert member_a.get(_url(side_a, f"{offer.pk}/")).status_code == 404  # not chosen yet

    response = admin_a.post(_url(side_a, f"{offer.pk}/choose/", office=True))
    assert response.status_code == 302
    assert offer.title in member_a.get(_url(side_a)).content.decode()
    detail = member_a.get(_url(side_a, f"{offer.pk}/"))
    assert detail.status_code == 200 and "我要申请" in detail.content.decode()

    form = member_a.get(_url(side_a, f"{offer.pk}/apply/"))
    page = form.content.decode()
    assert bank.name in page and side_a.member_user.phone in page
    refused = member_a.post(
        _url(side_a, f"{offer.pk}/apply/"),
        {"member": side_a.member.pk, "shared_fields": ["name", "phone"]},
    )
    assert refused.status_code == 400 and "请确认同意" in refused.content.decode()
    done = member_a.post(
        _url(side_a, f"{offer.pk}/apply/"),
        {"member": side_a.member.pk, "shared_fields": ["name", "phone"], "agree": "on"},
    )
    assert done.status_code == 302
    with tenant_context(side_a.association):
        application = OfferApplication.objects.get()
    with provider_context(bank):
        assert set(Lead.objects.get(pk=application.lead_id).shared) == {"name", "phone"}
    mine = member_a.get(_url(side_a, "mine/")).content.decode()
    assert offer.title in mine and "姓名、手机号" in mine and "授权有效" in mine

    rate = _url(side_a, f"applications/{application.pk}/rate/")
    assert member_a.post(rate, {"rating": "5", "comment": "办理顺利"}).status_code == 302
    offer.refresh_from_db()
    assert (offer.rating_count, offer.rating_total) == (1, 5)

    withdraw = _url(side_a, f"applications/{application.pk}/withdraw/")
    assert "确认撤回授权" in member_a.get(withdraw).content.decode()
    assert member_a.post(withdraw).status_code == 302
    with provider_context(bank):
        assert Lead.objects.get(pk=application.lead_id).shared == {}
    assert "已撤回授权" in member_a.get(_url(side_a, "mine/")).content.decode()

    usage = admin_a.get(_url(side_a, "usage/", office=True)).content.decode()
    assert offer.title in usage and "办理顺利" in usage

    # Another association's member: the same 404 for every page of A's.
    for url in (
        _url(side_a),
        _url(side_a, f"{offer.pk}/"),
        _url(side_a, f"{offer.pk}/apply/"),
        _url(side_a, "mine/"),
        withdraw,
        rate,
    ):
        assert member_b.get(url).status_code == 404, url

    assert admin_a.post(_url(side_a, f"{offer.pk}/unchoose/", office=True)).status_code == 302
    assert member_a.get(_url(side_a, f"{offer.pk}/")).status_code == 404
    assert offer.title in member_a.get(_url(side_a, "mine/")).content.decode()


@pytest.mark.django_db
def test_members_cannot_choose_and_drafts_are_404(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    bank = make_provider()
    offer = make_offer(bank)
    draft = make_offer(bank, title="草稿", status=Offer.Status.DRAFT)
    assert member_a.get(_url(side_a, office=True)).status_code == 403
    assert member_a.post(_url(side_a, f"{offer.pk}/choose/", office=True)).status_code == 403
    for tail in (f"{draft.pk}/", f"{draft.pk}/choose/", f"{draft.pk}/course/"):
        method = admin_a.get if tail.count("/") == 1 else admin_a.post
        assert method(_url(side_a, tail, office=True)).status_code == 404
    with tenant_context(side_a.association):
        assert not OfferChoice.objects.exists()


@pytest.mark.django_db
def test_a_course_becomes_a_draft_training_event(side_a: Side, admin_a: Client) -> None:
    school = make_provider(name="甲培训学校", slug="jia-school", category="training")
    course = make_offer(school, title="数字化转型研修班", is_course=True, rates=None)
    loan = make_offer(make_provider(name="丙银行", slug="bing-bank"), title="普通贷款")
    page = admin_a.get(_url(side_a, f"{course.pk}/", office=True)).content.decode()
    assert "办成培训课程" in page
    loan_page = admin_a.get(_url(side_a, f"{loan.pk}/", office=True)).content.decode()
    assert "办成培训课程" not in loan_page
    response = admin_a.post(_url(side_a, f"{course.pk}/course/", office=True))
    assert response.status_code == 302
    with tenant_context(side_a.association):
        event = Event.objects.get()
    assert response["Location"].endswith(f"/events/{event.pk}/edit/")
    assert (event.kind, event.status, event.title) == (
        Event.Kind.TRAINING,
        Event.Status.DRAFT,
        course.title,
    )
    assert event.organizer == school.name and course.summary == event.summary
    refused = admin_a.post(_url(side_a, f"{loan.pk}/course/", office=True), follow=True)
    assert "不是培训课程" in refused.content.decode()

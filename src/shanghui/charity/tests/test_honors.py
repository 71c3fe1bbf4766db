"""Honors: recording received and given ones (a given one gets its certificate number from
the "charity.certificate" series and a verification token, once), correcting, revoking; the
public verification page shows only this association's unrevoked honor; the member's card
shows the honors the member agreed to show."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from shanghui.charity.models import Honor
from shanghui.charity.services.honors import (
    HonorInput,
    honor_certificate_ready,
    honor_create,
    honor_revoke,
    honor_update,
)
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

from .honors_helpers import make_campaign


def given(side: Side, **overrides: object) -> HonorInput:
    values: dict[str, object] = {
        "direction": Honor.Direction.GIVEN,
        "title": "爱心企业",
        "awarded_by": side.association.name,
        "awarded_on": date(2026, 5, 1),
        "member": side.member,
        "shown_on_card": True,
    }
    return HonorInput(**{**values, **overrides})  # type: ignore[arg-type]


def create(side: Side, data: HonorInput) -> Honor:
    with tenant_context(side.association):
        return honor_create(association=side.association, actor=side.admin, data=data)


def verify_path(side: Side, token: str) -> str:
    return f"/a/{side.association.slug}/charity/verify/{token}/"


@pytest.mark.django_db
def test_a_given_honor_is_numbered_once_and_a_received_one_not(side_a: Side) -> None:
    year = timezone.localdate().year
    first = create(side_a, given(side_a))
    second = create(
        side_a, given(side_a, member=None, recipient_name="爱心人士张先生", shown_on_card=False)
    )
    received = create(
        side_a,
        HonorInput(
            direction=Honor.Direction.RECEIVED,
            title="抗击新冠肺炎疫情先进组织",
            awarded_by="全国工商联",
            awarded_on=date(2020, 9, 8),
            is_public=True,
        ),
    )
    assert first.certificate_no == f"RY{year}-000001"
    assert second.certificate_no == f"RY{year}-000002"
    assert first.recipient_name == "甲市龚氏实业有限公司"  # the member's name, copied
    assert len(first.verify_token) == 32 and first.verify_token != second.verify_token
    assert (received.certificate_no, received.verify_token) == ("", "")
    a = side_a.association
    with tenant_context(a):
        again = honor_certificate_ready(association=a, actor=side_a.admin, honor=first)
        edited = honor_update(
            association=a, actor=side_a.admin, honor=first, data=given(side_a, title="慈善之星")
        )
        with pytest.raises(ValidationError, match="商会获得的荣誉没有本会出具的证书"):
            honor_certificate_ready(association=a, actor=side_a.admin, honor=received)
    assert again.certificate_no == edited.certificate_no == first.certificate_no
    assert edited.verify_token == first.verify_token and edited.title == "慈善之星"


@pytest.mark.django_db
def test_a_row_without_a_number_gets_one_with_its_first_certificate(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        seeded = Honor.objects.create(
            association=a,
            direction=Honor.Direction.GIVEN,
            title="爱心企业",
            awarded_by="本会",
            awarded_on=date(2025, 1, 1),
            recipient_name="某公司",
        )
        ready = honor_certificate_ready(association=a, actor=side_a.admin, honor=seeded)
    assert ready.certificate_no.startswith("RY") and len(ready.verify_token) == 32


@pytest.mark.django_db
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(side_a: Side, side_b: Side) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        create(side_a, given(side_a, title=" ", awarded_by="", awarded_on=tomorrow))
    assert refused.value.message_dict == {
        "title": ["请填写荣誉名称"],
        "awarded_by": ["请填写授予单位"],
        "awarded_on": ["授予日期不能晚于今天"],
    }
    with pytest.raises(ValidationError) as nobody:
        create(side_a, given(side_a, member=None, recipient_name=""))
    assert "请选择获得荣誉的会员，或填写获得者名称" in nobody.value.message_dict["member"]
    with pytest.raises(ValidationError) as foreign:
        create(side_a, given(side_a, member=side_b.member, campaign=make_campaign(side_b)))
    assert foreign.value.message_dict == {
        "campaign": ["请选择本会的记录"],
        "member": ["请选择本会的记录"],
    }
    with pytest.raises(ValidationError) as card:
        create(
            side_a,
            given(side_a, direction=Honor.Direction.RECEIVED, member=None, shown_on_card=True),
        )
    assert card.value.message_dict == {"shown_on_card": ["只有授予会员的荣誉可以在会员名片上展示"]}
    with pytest.raises(ValidationError) as kind:
        create(side_a, given(side_a, direction="prize"))
    assert "请选择荣誉类别" in kind.value.message_dict["direction"][0]
    with tenant_context(side_a.association):
        assert not Honor.objects.exists()


@pytest.mark.django_db
def test_revoking_keeps_the_row_and_stops_edits(side_a: Side) -> None:
    honor = create(side_a, given(side_a))
    a = side_a.association
    with tenant_context(a):
        with pytest.raises(ValidationError, match="请填写撤销原因"):
            honor_revoke(association=a, actor=side_a.admin, honor=honor, reason="")
        revoked = honor_revoke(association=a, actor=side_a.admin, honor=honor, reason="授予有误")
        assert revoked.revoked_at is not None
        with pytest.raises(ValidationError, match="已经撤销"):
            honor_revoke(association=a, actor=side_a.admin, honor=honor, reason="再次")
        with pytest.raises(ValidationError, match="已撤销，不能修改"):
            honor_update(association=a, actor=side_a.admin, honor=honor, data=given(side_a))
        with pytest.raises(ValidationError, match="已撤销，不能出具证书"):
            honor_certificate_ready(association=a, actor=side_a.admin, honor=revoked)
        assert Honor.objects.get(pk=honor.pk).certificate_no == honor.certificate_no


@pytest.mark.django_db
def test_the_verify_page_shows_only_this_associations_unrevoked_honor(
    side_a: Side, side_b: Side
) -> None:
    mine = create(side_a, given(side_a, title="甲市爱心企业"))
    theirs = create(side_b, given(side_b, title="乙市爱心企业"))
    anyone = Client()
    page = anyone.get(verify_path(side_a, mine.verify_token))
    text = page.content.decode()
    assert page.status_code == 200
    assert "甲市爱心企业" in text and mine.certificate_no in text and "真实有效" in text
    assert page["Cache-Control"] == "no-store"
    # B's token on A's address, a malformed token, an unknown one: the same 404.
    assert anyone.get(verify_path(side_a, theirs.verify_token)).status_code == 404
    assert anyone.get(verify_path(side_b, mine.verify_token)).status_code == 404
    assert anyone.get(verify_path(side_a, "x" * 5)).status_code == 404
    assert anyone.get(verify_path(side_a, "0" * 32)).status_code == 404
    assert anyone.get(verify_path(side_b, theirs.verify_token)).status_code == 200
    with tenant_context(side_a.association):
        honor_revoke(association=side_a.association, actor=side_a.admin, honor=mine, reason="误授")
    assert anyone.get(verify_path(side_a, mine.verify_token)).status_code == 404


@pytest.mark.django_db
def test_the_members_card_shows_the_honors_the_member_agreed_to(
    side_a: Side, member_a: Client
) -> None:
    create(side_a, given(side_a, title="抗疫爱心企业"))
    create(side_a, given(side_a, title="不愿展示的荣誉", shown_on_card=False))
    revoked = create(side_a, given(side_a, title="已撤销的荣誉"))
    with tenant_context(side_a.association):
        honor_revoke(association=side_a.association, actor=side_a.admin, honor=revoked, reason="x")
    card = member_a.get(f"/a/{side_a.association.slug}/directory/{side_a.member.pk}/")
    text = card.content.decode()
    assert card.status_code == 200
    assert "公益荣誉" in text and "抗疫爱心企业" in text
    assert "不愿展示的荣誉" not in text and "已撤销的荣誉" not in text
    mine = member_a.get(f"/a/{side_a.association.slug}/me/card/")
    if mine.status_code == 200:
        assert "抗疫爱心企业" in mine.content.decode()

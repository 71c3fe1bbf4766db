"""Stopping and restarting a membership level."""

import pytest
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Level, Member
from shanghui.testing.fixtures import Side


def levels_page(side: Side) -> str:
    return f"/a/{side.association.slug}/office/levels/"


@pytest.mark.django_db
def test_a_level_in_use_cannot_be_stopped_until_its_members_move(
    side_a: Side, admin_a: Client
) -> None:
    a = side_a.association
    with tenant_context(a):
        old = Level.objects.create(association=a, name="常务理事单位", rank=3, annual_fee=8000)
        new = Level.objects.create(association=a, name="理事单位", rank=4, annual_fee=5000)
        Member.objects.filter(pk=side_a.member.pk).update(level=old)
    refused = admin_a.post(
        levels_page(side_a), {"level_id": old.pk, "level_active": "0"}, follow=True
    )
    assert "仍有 1 位会员属于“常务理事单位”" in refused.content.decode()
    with tenant_context(a):
        assert Level.objects.get(pk=old.pk).is_active
        Member.objects.filter(pk=side_a.member.pk).update(level=new)
    done = admin_a.post(levels_page(side_a), {"level_id": old.pk, "level_active": "0"}, follow=True)
    text = done.content.decode()
    assert "已停用“常务理事单位”" in text and "已停用" in text
    with tenant_context(a):
        assert not Level.objects.get(pk=old.pk).is_active
    # No longer offered when a member is added.
    form = admin_a.get(f"/a/{a.slug}/office/members/new/").content.decode()
    assert "常务理事单位" not in form and "理事单位" in form
    admin_a.post(levels_page(side_a), {"level_id": old.pk, "level_active": "1"})
    with tenant_context(a):
        assert Level.objects.get(pk=old.pk).is_active


@pytest.mark.django_db
def test_levels_are_stopped_through_the_api(side_a: Side, side_b: Side, admin_a: Client) -> None:
    a = side_a.association
    with tenant_context(a):
        level = Level.objects.create(association=a, name="会员单位", rank=5, annual_fee=1000)
    with tenant_context(side_b.association):
        foreign = Level.objects.create(
            association=side_b.association, name="乙市会员单位", rank=5, annual_fee=1000
        )
    body = {"name": "会员单位", "rank": 5, "annual_fee": "1200", "is_active": False}
    url = f"/api/v1/associations/{a.slug}/levels/{level.pk}"
    response = admin_a.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False and response.json()["annual_fee"] == "1200.00"
    foreign_url = f"/api/v1/associations/{a.slug}/levels/{foreign.pk}"
    assert admin_a.put(foreign_url, body, content_type="application/json").status_code == 404
    with tenant_context(a):
        Member.objects.filter(pk=side_a.member.pk).update(level=level)
    busy = admin_a.put(url, {**body, "annual_fee": "9"}, content_type="application/json")
    assert busy.status_code == 200  # already stopped: nothing to refuse
    with tenant_context(a):
        Level.objects.filter(pk=level.pk).update(is_active=True)
    refused = admin_a.put(url, {**body, "annual_fee": "7"}, content_type="application/json")
    assert refused.status_code == 400 and "请先调整他们的级别" in refused.content.decode()
    with tenant_context(a):
        kept = Level.objects.get(pk=level.pk)
    assert kept.is_active and kept.annual_fee == 9  # the refused change left nothing behind


@pytest.mark.django_db
def test_a_level_update_without_is_active_leaves_a_stopped_level_stopped(
    side_a: Side, side_b: Side, admin_a: Client
) -> None:
    """Clients written before levels could be stopped send name, rank and fee only: that must
    not start a stopped level again. Malformed and other associations' ids are not found."""
    a = side_a.association
    with tenant_context(a):
        level = Level.objects.create(
            association=a, name="常务理事单位", rank=3, annual_fee=8000, is_active=False
        )
    with tenant_context(side_b.association):
        foreign = Level.objects.create(
            association=side_b.association, name="乙市理事单位", rank=4, annual_fee=1000
        )
    url = f"/api/v1/associations/{a.slug}/levels/{level.pk}"
    body = {"name": "常务理事单位", "rank": 3, "annual_fee": "8800"}
    response = admin_a.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False and response.json()["annual_fee"] == "8800.00"
    with tenant_context(a):
        levels_before = Level.objects.filter(association=a).count()
    for level_id in ("abc", "²", "9" * 30, str(foreign.pk)):
        # Stopping another association's level, or one that is no id at all: not found.
        page = admin_a.post(levels_page(side_a), {"level_id": level_id, "level_active": "0"})
        assert page.status_code == 404
        # Nor may an edit of it become a new level of this association.
        edit = {"save_level": "1", "level_id": level_id, "name": "冒名单位", "rank": 9}
        assert admin_a.post(levels_page(side_a), {**edit, "annual_fee": "1"}).status_code == 404
    with tenant_context(side_b.association):
        assert Level.objects.get(pk=foreign.pk).is_active
    with tenant_context(a):
        assert Level.objects.filter(association=a).count() == levels_before

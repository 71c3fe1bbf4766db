"""我的 (issue 13.23): inside an association the tab bar's 我的 opens a page with the tab bar,
the entries a 商会 member expects (我的名片, 我的活动/电子票, 我的会费, 我的照片) and settings,
with the developer things folded under 高级; the secretariat's 个人中心 sits in the back-office
frame; and the personal center names no app above accounts."""

import ast
import re
from pathlib import Path

import pytest
from django.test import Client

from shanghui.accounts.models import Role
from shanghui.events.tests.factories import make_event, register
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import MemberFactory, RepresentativeFactory, RoleFactory
from shanghui.testing.fixtures import Side, client_for

ENTRIES = [
    "我的名片",
    "我的通知",
    "我的活动/电子票",
    "我的会费",
    "我的公益",
    "我的照片",
    "供需对接",
    "会员服务",
    "资料库",
]
ADVANCED = re.compile(r'<details class="m-advanced" id="advanced">(.*?)</details>', re.S)
TAB = re.compile(r'<a href="([^"]+)" class="weui-tabbar__item([^"]*)"[^>]*>(.*?)</a>', re.S)


def tabs(html: str) -> dict[str, tuple[str, bool]]:
    """The tab bar of a page: label → (url, lit)."""
    found = {}
    for url, classes, body in TAB.findall(html):
        label = re.search(r'<span class="weui-tabbar__label">([^<]+)', body)
        assert label, body
        found[label.group(1).strip()] = (url, "weui-bar__item_on" in classes)
    return found


def entry_links(html: str) -> dict[str, str]:
    """The entries of a 我的 page: title → url, in their order."""
    block = html[html.index('id="my-entries"') : html.index('id="my-settings"')]
    cells = re.findall(
        r'href="([^"]+)">\s*<div class="weui-cell__hd m-me__icon">.*?'
        r'<div class="weui-cell__bd">([^<]+)<',
        block,
        re.S,
    )
    return {title.strip(): url for url, title in cells}


@pytest.mark.django_db
def test_the_tab_bars_me_opens_my_page_in_the_association(side_a: Side, member_a: Client) -> None:
    slug = side_a.association.slug
    home = member_a.get(f"/a/{slug}/").content.decode()
    assert tabs(home)["我的"] == (f"/a/{slug}/me/", False)

    response = member_a.get(f"/a/{slug}/me/")
    assert response.status_code == 200
    page = response.content.decode()
    assert tabs(page)["我的"] == (f"/a/{slug}/me/", True)
    assert list(entry_links(page)) == ENTRIES
    assert side_a.association.short_name in page and side_a.member_user.name in page
    assert "设置" in page and "修改密码" in page and "退出登录" in page
    # API tokens and the data downloads are there, but only under 高级, folded.
    advanced = ADVANCED.search(page)
    assert advanced and "open" not in advanced.group(0)[:45]
    outside = ADVANCED.sub("", page)
    for developer_thing in ("/me/tokens/", "/me/data.json", "/me/data.xlsx", "/me/delete/"):
        assert developer_thing in advanced.group(1)
        assert developer_thing not in outside
    assert "API 令牌" not in outside and "JSON" not in outside


@pytest.mark.django_db
def test_every_entry_opens_for_the_member_with_me_lit(side_a: Side, member_a: Client) -> None:
    slug = side_a.association.slug
    event = make_event(side_a.association, side_a.admin)
    register(side_a.association, event, side_a.member_user)
    with as_app_role():  # as production reads them: under row-level security
        links = entry_links(member_a.get(f"/a/{slug}/me/").content.decode())
        for title, url in links.items():
            response = member_a.get(url)
            assert response.status_code == 200, (title, url)
            page = response.content.decode()
            assert tabs(page)["我的"] == (f"/a/{slug}/me/", True), title
            assert f'href="/a/{slug}/me/">‹ 我的' in page, title  # and a way back


@pytest.mark.django_db
def test_my_card_is_the_card_of_the_member_i_represent(side_a: Side, member_a: Client) -> None:
    slug = side_a.association.slug
    page = member_a.get(f"/a/{slug}/me/card/").content.decode()
    assert side_a.member.name in page
    # Sharing it shares the card's own address, not /me/card/ (someone else's card there).
    assert f'data-url="/a/{slug}/directory/{side_a.member.pk}/"' in page
    # Someone representing two members chooses.
    other = MemberFactory(association=side_a.association, name="甲市龚氏贸易有限公司")
    RepresentativeFactory(association=side_a.association, member=other, person=side_a.person)
    page = member_a.get(f"/a/{slug}/me/card/").content.decode()
    assert f"/a/{slug}/directory/{other.pk}/" in page
    assert f"/a/{slug}/directory/{side_a.member.pk}/" in page


@pytest.mark.django_db
def test_my_events_show_the_ticket_of_a_confirmed_registration(
    side_a: Side, member_a: Client
) -> None:
    slug = side_a.association.slug
    event = make_event(side_a.association, side_a.admin, title="理事会")
    make_event(side_a.association, side_a.admin, title="不相干的论坛")
    register(side_a.association, event, side_a.member_user)
    page = member_a.get(f"/a/{slug}/me/events/").content.decode()
    assert "理事会" in page and "不相干的论坛" not in page
    assert f"/a/{slug}/events/{event.pk}/ticket/" in page


@pytest.mark.django_db
def test_settings_lead_back_to_the_page_they_were_opened_from(
    side_a: Side, member_a: Client
) -> None:
    slug = side_a.association.slug
    member_a.get(f"/a/{slug}/me/")
    assert f'href="/a/{slug}/me/"' in member_a.get("/me/password/").content.decode()
    response = member_a.post("/me/phone-visibility/", {"show_phone": "on"})
    assert response.status_code == 302 and response["Location"] == f"/a/{slug}/me/"
    # From the account's own page, back there.
    member_a.get("/me/")
    assert member_a.post("/me/phone-visibility/", {})["Location"] == "/me/"


@pytest.mark.django_db
def test_the_secretariat_gets_its_personal_center_in_the_back_office(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    slug = side_a.association.slug
    dashboard = admin_a.get(f"/a/{slug}/office/").content.decode()
    assert f'class="office__user" href="/a/{slug}/office/me/"' in dashboard
    response = admin_a.get(f"/a/{slug}/office/me/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="office__side"' in page and "weui-tabbar" not in page
    assert "个人中心" in page and "修改密码" in page
    for entry in ENTRIES[:3]:
        assert entry in page
    advanced = re.search(
        r'<details class="card me-advanced" id="advanced">(.*?)</details>', page, re.S
    )
    assert advanced and "/me/tokens/" in advanced.group(1)
    assert "/me/tokens/" not in page.replace(advanced.group(0), "")
    # A member following that link gets their 我的 on the phone.
    assert member_a.get(f"/a/{slug}/office/me/")["Location"] == f"/a/{slug}/me/"


@pytest.mark.django_db
def test_a_stranger_gets_404_and_a_person_in_two_associations_can_switch(
    side_a: Side, side_b: Side, member_b: Client
) -> None:
    a, b = side_a.association.slug, side_b.association.slug
    for path in ("me/", "me/card/", "me/events/", "me/photo/", "office/me/"):
        assert member_b.get(f"/a/{a}/{path}").status_code == 404, path
    RoleFactory(association=side_a.association, user=side_b.member_user, kind=Role.Kind.MEMBER)
    page = client_for(side_b.member_user).get(f"/a/{b}/me/").content.decode()
    assert 'id="switch-association"' in page
    chooser = client_for(side_b.member_user).get("/me/").content.decode()
    assert f'href="/a/{a}/me/"' in chooser and f'href="/a/{b}/me/"' in chooser


# The floors (issue 14): the personal center learns its entries from the apps above it.
HIGHER_APPS = ("shanghui.events", "shanghui.dues")


def test_accounts_imports_neither_events_nor_dues() -> None:
    root = Path(__file__).resolve().parents[1]
    found = []
    for path in root.rglob("*.py"):
        if "tests" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found += [f"{path.name}: {n}" for n in names if n.startswith(HIGHER_APPS)]
    assert found == []

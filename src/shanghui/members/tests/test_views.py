import pytest
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, MemberStatusChange
from shanghui.testing.factories import make_uscc
from shanghui.testing.fixtures import Side


@pytest.mark.django_db
def test_secretariat_adds_edits_and_withdraws_a_member(side_a: Side, admin_a: Client) -> None:
    base = f"/a/{side_a.association.slug}/office/members"
    response = admin_a.post(
        f"{base}/new/",
        {
            "kind": "enterprise",
            "name": "吉安市井冈蜜柚种植有限公司",
            "uscc": make_uscc("91", "360800"),
            "rep_name": "仇志强",
            "rep_phone": "13900001111",
            "rep_title": "总经理",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(side_a.association):
        member = Member.objects.get(name="吉安市井冈蜜柚种植有限公司")
    response = admin_a.post(
        f"{base}/{member.pk}/edit/",
        {
            "kind": "enterprise",
            "name": "吉安市井冈蜜柚集团有限公司",
            "uscc": member.uscc,
            "member_no": member.member_no,
        },
    )
    assert response.status_code == 302
    admin_a.post(f"{base}/{member.pk}/status/", {"status": "withdrawn", "reason": "企业注销"})
    page = admin_a.get(f"{base}/{member.pk}/").content.decode()
    assert "吉安市井冈蜜柚集团有限公司" in page and "企业注销" in page
    with tenant_context(side_a.association):
        assert MemberStatusChange.objects.filter(member=member).count() == 2


@pytest.mark.django_db
def test_bad_form_input_shows_errors_and_creates_nothing(side_a: Side, admin_a: Client) -> None:
    response = admin_a.post(
        f"/a/{side_a.association.slug}/office/members/new/",
        {"kind": "enterprise", "name": "无效代码公司", "uscc": "123"},
    )
    assert response.status_code == 200
    assert "请填写 18 位统一社会信用代码（现为 3 位）" in response.content.decode()
    with tenant_context(side_a.association):
        assert not Member.objects.filter(name="无效代码公司").exists()


@pytest.mark.django_db
def test_members_cannot_reach_member_management(side_a: Side, member_a: Client) -> None:
    assert member_a.get(f"/a/{side_a.association.slug}/office/members/new/").status_code == 403
    assert member_a.get(f"/a/{side_a.association.slug}/office/levels/").status_code == 403


@pytest.mark.django_db
def test_levels_page_saves_levels_and_policy(side_a: Side, admin_a: Client) -> None:
    url = f"/a/{side_a.association.slug}/office/levels/"
    admin_a.post(url, {"save_level": "1", "name": "副会长单位", "rank": "3", "annual_fee": "10000"})
    admin_a.post(
        url,
        {"save_policy": "1", "member_no_pattern": "GDJX-{number:05d}", "required_referrers": "2"},
    )
    page = admin_a.get(url).content.decode()
    assert "副会长单位" in page and "GDJX-{number:05d}" in page


@pytest.mark.django_db
def test_back_office_masks_phones_until_revealed_and_logs_the_reveal(
    side_a: Side, admin_a: Client
) -> None:
    from shanghui.core.models import AuditEntry

    slug = side_a.association.slug
    phone = side_a.person.phone
    page = admin_a.get(f"/a/{slug}/office/members/{side_a.member.pk}/").content.decode()
    assert phone not in page and f"{phone[:3]}****{phone[7:]}" in page
    revealed = admin_a.post(f"/a/{slug}/office/members/{side_a.member.pk}/reveal/").content.decode()
    assert phone in revealed
    with tenant_context(side_a.association):
        entry = AuditEntry.objects.get(action="member.reveal_personal_data")
    assert entry.actor == side_a.admin and entry.target_id == str(side_a.member.pk)


@pytest.mark.django_db
def test_office_list_filters_by_level_and_join_year(side_a: Side, admin_a: Client) -> None:
    from datetime import date

    from shanghui.members.services.policy import level_save
    from shanghui.testing.factories import MemberFactory

    with tenant_context(side_a.association):
        level = level_save(
            association=side_a.association,
            actor=side_a.admin,
            name="理事单位",
            rank=4,
            annual_fee=5000,
        )
    MemberFactory(
        association=side_a.association,
        name="二〇一九年入会公司",
        level=level,
        joined_on=date(2019, 5, 1),
    )
    MemberFactory(
        association=side_a.association,
        name="二〇二〇年入会公司",
        level=level,
        joined_on=date(2020, 5, 1),
    )
    url = f"/a/{side_a.association.slug}/office/members/"
    page = admin_a.get(url, {"level": level.pk, "joined_year": "2019"}).content.decode()
    assert (
        "二〇一九年入会公司" in page
        and "二〇二〇年入会公司" not in page
        and side_a.member.name not in page
    )


@pytest.mark.django_db
def test_directory_letter_index_jumps_to_the_letters_page(side_a: Side, member_a: Client) -> None:
    from shanghui.testing.factories import MemberFactory

    for n in range(35):
        MemberFactory(association=side_a.association, name=f"阿里{n:02d}贸易有限公司")
    MemberFactory(association=side_a.association, name="章贡区百货有限公司")
    page = member_a.get(
        f"/a/{side_a.association.slug}/directory/", {"letter": "Z"}
    ).content.decode()
    assert "章贡区百货有限公司" in page and "阿里00贸易有限公司" not in page


@pytest.fixture
def committee_members(side_a: Side, side_b: Side) -> dict[str, object]:
    """Two members of A — one whose representative sits on A's 青年委员会, one from 赣州 in
    manufacturing — and B's committee, to prove B's ids filter nothing in."""
    from shanghui.org.services import units as unit_services
    from shanghui.testing.factories import MemberFactory, PersonFactory, RepresentativeFactory

    a = side_a.association
    youth_member = MemberFactory(association=a, name="青年委员企业有限公司", industry_code="51")
    MemberFactory(
        association=a, name="于都制造有限公司", hometown_code="360731", industry_code="39"
    )
    person = PersonFactory(association=a, name="龚志军")
    RepresentativeFactory(association=a, member=youth_member, person=person)
    with tenant_context(a):
        committee = unit_services.committee_create(
            association=a, actor=side_a.admin, data=unit_services.CommitteeInput(name="青年委员会")
        )
        unit_services.committee_member_add(
            association=a, actor=side_a.admin, committee=committee, person=person, role="member"
        )
    with tenant_context(side_b.association):
        foreign = unit_services.committee_create(
            association=side_b.association,
            actor=side_b.admin,
            data=unit_services.CommitteeInput(name="乙方委员会"),
        )
    return {"committee": committee, "foreign": foreign}


@pytest.mark.django_db
def test_lists_filter_by_committee_hometown_and_industry_section(
    side_a: Side, admin_a: Client, member_a: Client, committee_members: dict[str, object]
) -> None:
    from shanghui.org.models import Committee

    committee = committee_members["committee"]
    foreign = committee_members["foreign"]
    assert isinstance(committee, Committee) and isinstance(foreign, Committee)
    slug = side_a.association.slug
    office = f"/a/{slug}/office/members/"
    directory = f"/a/{slug}/directory/"
    for client, url in ((admin_a, office), (member_a, directory)):
        page = client.get(url, {"committee": committee.pk}).content.decode()
        assert "青年委员企业有限公司" in page and "于都制造有限公司" not in page
        page = client.get(url, {"hometown": "360700"}).content.decode()
        assert "于都制造有限公司" in page and "青年委员企业有限公司" not in page
        page = client.get(url, {"industry": "C"}).content.decode()  # section C holds 39
        assert "于都制造有限公司" in page and "青年委员企业有限公司" not in page
        page = client.get(url, {"committee": foreign.pk}).content.decode()
        assert "青年委员企业有限公司" not in page and "于都制造有限公司" not in page
    # The choices offered are the association's own and only what occurs among its members.
    page = admin_a.get(office).content.decode()
    assert "青年委员会" in page and "乙方委员会" not in page
    assert "江西省赣州市" in page and ">制造业<" in page
    api = Client()
    api.force_login(side_a.member_user)
    listed = api.get(f"/api/v1/associations/{slug}/members", {"committee": committee.pk}).json()
    assert [item["name"] for item in listed["items"]] == ["青年委员企业有限公司"]


@pytest.mark.django_db
def test_the_member_page_shows_its_history_and_status_form_once(
    side_a: Side, admin_a: Client
) -> None:
    import re

    page = admin_a.get(
        f"/a/{side_a.association.slug}/office/members/{side_a.member.pk}/"
    ).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and "<" not in title.group(1) and side_a.member.name in title.group(1)
    assert page.count("状态变更记录") == 1 and page.count('id="id_status"') == 1


@pytest.mark.django_db
def test_the_secretariat_adds_and_removes_representatives_on_the_member_page(
    side_a: Side, admin_a: Client
) -> None:
    from shanghui.members.models import Person, Representative

    slug, member = side_a.association.slug, side_a.member
    base = f"/a/{slug}/office/members/{member.pk}/representatives/"
    admin_a.post(
        base, {"name": "曾小华", "phone": "13912345678", "title": "副总", "kind": "contact"}
    )
    bad = admin_a.post(base, {"name": "", "phone": "12345", "kind": "contact"}, follow=True)
    assert "请填写会员代表姓名" in bad.content.decode()
    again = admin_a.post(base, {"name": "曾小华", "phone": "139 1234 5678"}, follow=True)
    assert "此人已是该会员的会员代表或联络人" in again.content.decode()
    with tenant_context(side_a.association):
        added = Representative.objects.get(member=member, person__phone="13912345678")
        assert (added.kind, added.title, added.person.name) == ("contact", "副总", "曾小华")
        assert Representative.objects.filter(member=member).count() == 2
    page = admin_a.get(f"/a/{slug}/office/members/{member.pk}/").content.decode()
    assert "曾小华" in page and "联络人" in page
    admin_a.post(f"{base}{added.pk}/remove/")
    with tenant_context(side_a.association):
        assert not Representative.objects.filter(pk=added.pk).exists()
        assert Person.objects.filter(phone="13912345678").exists()  # the person stays on record


@pytest.mark.django_db
def test_representatives_through_the_api(side_a: Side, side_b: Side) -> None:
    from shanghui.members.models import Representative

    api = Client()
    api.force_login(side_a.admin)
    base = f"/api/v1/associations/{side_a.association.slug}/members/{side_a.member.pk}"
    created = api.post(
        f"{base}/representatives",
        {"name": "解红", "phone": "13711110000", "title": "董事"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    reps = created.json()["representatives"]
    rep_id = next(r["id"] for r in reps if r["name"] == "解红")
    changed = api.patch(
        f"{base}/representatives/{rep_id}",
        {"title": "总经理", "kind": "contact"},
        content_type="application/json",
    )
    assert next(r for r in changed.json()["representatives"] if r["id"] == rep_id)["title"] == (
        "总经理"
    )
    refused = api.patch(
        f"{base}/representatives/{rep_id}", {"kind": "boss"}, content_type="application/json"
    )
    assert refused.status_code == 400
    with tenant_context(side_b.association):
        foreign = Representative.objects.get(member=side_b.member)
    assert api.delete(f"{base}/representatives/{foreign.pk}").status_code == 404
    assert api.delete(f"{base}/representatives/{rep_id}").status_code == 204
    member_api = Client()
    member_api.force_login(side_a.member_user)
    assert (
        member_api.post(
            f"{base}/representatives", {"name": "某人"}, content_type="application/json"
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_the_pager_shows_nearby_pages_and_gaps_not_every_page(
    side_a: Side, admin_a: Client
) -> None:
    from shanghui.members.models import Member

    with tenant_context(side_a.association):
        Member.objects.bulk_create(
            Member(
                association=side_a.association,
                name=f"分页测试{n:03d}有限公司",
                member_no=f"P{n:03d}",
                status=Member.Status.ACTIVE,
                sort_key=f"fenye{n:03d}",
                search_text=f"fenye{n:03d}",
            )
            for n in range(600)
        )
    # The back office's numbered pages (the directory loads more by cursor instead).
    office = f"/a/{side_a.association.slug}/office/members/"
    page = admin_a.get(office, {"page": 5}).content.decode()
    for number in (1, 3, 4, 5, 6, 7, 13):  # ends, the current page ±2
        assert f'page={number}"' in page or f'aria-current="page">{number}<' in page
    assert 'page=9"' not in page and "sh-pagination__gap" in page

from datetime import date

import pytest
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.org.models import Appointment, CommitteeMembership, GroupMember, Term
from shanghui.org.services import terms as term_services
from shanghui.org.tests.conftest import Org
from shanghui.testing.factories import PersonFactory
from shanghui.testing.fixtures import Side


def office(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/org/{path}"


@pytest.mark.django_db
def test_overview_shows_the_current_term_committees_and_group_members(
    org_a: Org, admin_a: Client
) -> None:
    page = admin_a.get(office(org_a.side)).content.decode()
    assert "第一届理事会" in page and "钟会长" in page and "赖理事、温理事" in page
    assert "青年企业家委员会" in page
    assert "组织架构" in page  # the office navigation's entry


@pytest.mark.django_db
def test_members_cannot_reach_the_back_office_pages(org_a: Org, member_a: Client) -> None:
    for path in ("", "terms/", f"terms/{org_a.term.pk}/", "posts/", "committees/", "sharing/"):
        assert member_a.get(office(org_a.side, path)).status_code == 403, path
    response = member_a.post(
        office(org_a.side, "terms/"), {"name": "越权届", "starts_on": "2030-01-01"}
    )
    assert response.status_code == 403
    with tenant_context(org_a.side.association):
        assert not Term.objects.filter(name="越权届").exists()


@pytest.mark.django_db
def test_another_associations_member_gets_404(org_a: Org, member_b: Client) -> None:
    for path in ("", f"terms/{org_a.term.pk}/", f"committees/{org_a.committee.pk}/"):
        response = member_b.get(office(org_a.side, path))
        assert response.status_code == 404, path
        assert "钟会长" not in response.content.decode()


@pytest.mark.django_db
def test_staff_appoint_people_but_do_not_change_the_term(org_a: Org, staff_a: Client) -> None:
    PersonFactory(association=org_a.side.association, name="黎新人", phone="13700000009")
    response = staff_a.post(
        office(org_a.side, f"terms/{org_a.term.pk}/"),
        {"post": org_a.posts["副会长"].pk, "person": "黎新人", "starts_on": "2024-05-01"},
    )
    assert response.status_code == 302
    with tenant_context(org_a.side.association):
        assert Appointment.objects.filter(person__name="黎新人", post__name="副会长").exists()
    assert staff_a.get(office(org_a.side, "terms/change/")).status_code == 403
    assert (
        staff_a.post(office(org_a.side, "posts/"), {"name": "会计", "sort_order": 1}).status_code
        == 403
    )


@pytest.mark.django_db
def test_appointing_by_name_needs_a_unique_name(org_a: Org, admin_a: Client) -> None:
    a = org_a.side.association
    PersonFactory(association=a, name="王伟", phone="13700000010")
    PersonFactory(association=a, name="王伟", phone="13700000011")
    url = office(org_a.side, f"terms/{org_a.term.pk}/")
    response = admin_a.post(url, {"post": org_a.posts["理事"].pk, "person": "王伟"})
    assert response.status_code == 200
    assert "有多位“王伟”，请改填手机号" in response.content.decode()
    response = admin_a.post(url, {"post": org_a.posts["理事"].pk, "person": "张无此人"})
    assert "未找到“张无此人”" in response.content.decode()
    with tenant_context(a):
        assert not Appointment.objects.filter(person__name="王伟").exists()
    response = admin_a.post(url, {"post": org_a.posts["理事"].pk, "person": "13700000011"})
    assert response.status_code == 302
    with tenant_context(a):
        assert Appointment.objects.get(person__name="王伟").person.phone == "13700000011"


@pytest.mark.django_db
def test_bad_term_input_shows_a_chinese_error_and_creates_nothing(
    org_a: Org, admin_a: Client
) -> None:
    response = admin_a.post(
        office(org_a.side, "terms/"),
        {"name": "第二届理事会", "starts_on": "2030-01-01", "ends_on": "2029-01-01"},
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    response = admin_a.post(
        office(org_a.side, "terms/"),
        {"name": "第二届理事会", "starts_on": "2030-01-01", "is_current": "on"},
    )
    assert "请通过换届产生新一届" in response.content.decode()
    with tenant_context(org_a.side.association):
        assert Term.objects.count() == 1


@pytest.mark.django_db
def test_change_of_term_page(org_a: Org, admin_a: Client) -> None:
    url = office(org_a.side, "terms/change/")
    page = admin_a.get(url).content.decode()
    assert "秘书长（1 人）" in page and "理事（2 人）" in page
    response = admin_a.post(
        url,
        {
            "name": "第二届理事会",
            "starts_on": "2029-01-01",
            "carry_over_post_ids": [str(org_a.posts["秘书长"].pk)],
        },
    )
    assert response.status_code == 302
    with tenant_context(org_a.side.association):
        new = Term.objects.get(is_current=True)
        assert new.name == "第二届理事会"
        holders = list(new.appointments.values_list("person__name", flat=True))
    assert holders == ["邱秘书长"]
    page = admin_a.get(response["Location"], follow=True).content.decode()
    assert "换届完成" in page


@pytest.mark.django_db
def test_committee_members_page(org_a: Org, admin_a: Client) -> None:
    url = office(org_a.side, f"committees/{org_a.committee.pk}/")
    response = admin_a.post(url, {"person": "13700000002", "role": "chair"})
    assert "已有主任钟会长" in response.content.decode()
    response = admin_a.post(url, {"person": "13700000002", "role": "vice_chair"})
    assert response.status_code == 302
    with tenant_context(org_a.side.association):
        membership = CommitteeMembership.objects.get(person=org_a.secretary)
    admin_a.post(
        office(org_a.side, f"committees/{org_a.committee.pk}/members/{membership.pk}/"),
        {"remove": "1"},
    )
    with tenant_context(org_a.side.association):
        assert not CommitteeMembership.objects.filter(person=org_a.secretary).exists()


@pytest.mark.django_db
def test_the_child_consents_in_its_office_and_the_parent_sees_the_count(
    side_a: Side, side_b: Side, admin_a: Client
) -> None:
    response = admin_a.post(
        office(side_a, "group-members/"), {"linked_association": side_b.association.slug}
    )
    assert response.status_code == 302
    page = admin_a.get(office(side_a, "group-members/")).content.decode()
    assert "未共享" in page
    child_admin = Client()
    child_admin.force_login(side_b.admin)
    response = child_admin.post(
        office(side_b, "sharing/"), {"parent": side_a.association.name, "shares": "on"}
    )
    assert response.status_code == 302
    page = admin_a.get(office(side_a, "group-members/")).content.decode()
    assert "未共享" not in page
    with tenant_context(side_a.association):
        assert GroupMember.objects.get().linked_association == side_b.association


@pytest.mark.django_db
def test_a_member_of_the_child_cannot_consent(side_a: Side, side_b: Side, member_b: Client) -> None:
    response = member_b.post(
        office(side_b, "sharing/"), {"parent": side_a.association.slug, "shares": "on"}
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_public_chart_shows_names_but_no_phone_numbers(org_a: Org) -> None:
    url = f"/a/{org_a.side.association.slug}/org-chart/"
    assert Client().get(url).status_code == 404  # not published yet
    with tenant_context(org_a.side.association):
        term_services.org_settings_update(
            association=org_a.side.association, actor=org_a.side.admin, publish_chart=True
        )
    response = Client().get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "第一届理事会" in page and "钟会长" in page and "邱秘书长" in page
    assert "赖理事、温理事" in page
    for phone in ("13700000001", "13700000002", "13700000003", "1370000"):
        assert phone not in page


@pytest.mark.django_db
def test_admin_publishes_the_chart(org_a: Org, admin_a: Client, member_a: Client) -> None:
    assert (
        member_a.post(office(org_a.side, "chart-settings/"), {"publish_chart": "on"}).status_code
        == 403
    )
    admin_a.post(office(org_a.side, "chart-settings/"), {"publish_chart": "on"})
    assert Client().get(f"/a/{org_a.side.association.slug}/org-chart/").status_code == 200


@pytest.mark.django_db
def test_editing_a_term_and_an_appointment(org_a: Org, admin_a: Client) -> None:
    response = admin_a.post(
        office(org_a.side, f"terms/{org_a.term.pk}/edit/"),
        {
            "name": "第一届理事会（2024—2028）",
            "number": 1,
            "starts_on": "2024-01-01",
            "is_current": "on",
        },
    )
    assert response.status_code == 302
    director = org_a.appointment(org_a.directors[0])
    response = admin_a.post(
        office(org_a.side, f"appointments/{director.pk}/"),
        {
            "post": org_a.posts["理事"].pk,
            "person": "13700000003",
            "starts_on": "2024-01-01",
            "ends_on": "2025-06-30",
        },
    )
    assert response.status_code == 302
    assert org_a.appointment(org_a.directors[0]).ends_on == date(2025, 6, 30)
    with tenant_context(org_a.side.association):
        assert Term.objects.get().name == "第一届理事会（2024—2028）"


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("posts/", "添加职务"),
        ("committees/", "添加委员会"),
        ("branches/", "添加分会"),
        ("group-members/", "添加团体会员"),
    ],
)
def test_each_list_ends_with_a_card_that_adds_to_it(
    org_a: Org, admin_a: Client, page: str, title: str
) -> None:
    url = office(org_a.side) + page
    html = admin_a.get(url).content.decode()
    card = html[html.index(f'<h2 class="card__title">{title}</h2>') :]
    assert f'<form method="post" action="{url}" class="sh-form">' in card
    assert 'name="csrfmiddlewaretoken"' in card and "添加</button>" in card

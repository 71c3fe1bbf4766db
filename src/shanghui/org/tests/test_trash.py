"""The recycle bin (回收站): deleting terms, posts, appointments, committees (with their
members), branches and members' representatives is never final. Deleted rows disappear from
every list, the org chart, event audiences and the API; the audit log keeps a snapshot of
what was deleted; the secretariat restores them from one page or the API, unless a row
created since holds the name; another association neither sees nor restores them; account
deletion purges what is kept of the person only in the bin.

On PostgreSQL the page and API flows run as the application role under row-level security."""

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from shanghui.accounts.personal_data import personal_data
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.events import selectors as event_selectors
from shanghui.events.services import events as event_services
from shanghui.events.tests.factories import make_event
from shanghui.members.models import Level, Member, Representative
from shanghui.members.selectors import MemberFilters, member_search
from shanghui.members.services import representatives
from shanghui.org import recycle_bin, selectors
from shanghui.org.models import (
    Appointment,
    Branch,
    Committee,
    CommitteeMembership,
    Post,
    Term,
)
from shanghui.org.services import posts as post_services
from shanghui.org.services import terms as term_services
from shanghui.org.services import units as unit_services
from shanghui.org.tests.conftest import Org
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import (
    PASSWORD,
    MemberFactory,
    PersonFactory,
    RepresentativeFactory,
)
from shanghui.testing.fixtures import Side, api_client_for, client_for


def office(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/{path}"


def api(side: Side, path: str) -> str:
    return f"/api/v1/associations/{side.association.slug}/{path}"


def body(response: Any) -> Any:
    return json.loads(response.content)


def page_text(response: Any) -> str:
    return response.content.decode()


def follow(client: Client, url: str, data: dict[str, str] | None = None) -> str:
    return page_text(client.post(url, data or {}, follow=True))


@pytest.fixture
def structure(org_a: Org) -> dict[str, Any]:
    """One of each kind in A besides the org fixture's: a past term without appointments, a
    post nobody holds, a committee of three, a branch, and a second representative."""
    a, admin = org_a.side.association, org_a.side.admin
    extra = PersonFactory(association=a, name="蔡联络", phone="13700000011")
    with tenant_context(a):
        past = term_services.term_create(
            association=a,
            actor=admin,
            data=term_services.TermInput(name="筹备届", number=9, starts_on=date(2020, 1, 1)),
        )
        post = post_services.post_create(
            association=a, actor=admin, data=post_services.PostInput(name="荣誉顾问")
        )
        committee = unit_services.committee_create(
            association=a, actor=admin, data=unit_services.CommitteeInput(name="乡贤联络委员会")
        )
        for person, role in [
            (org_a.secretary, "chair"),
            (org_a.directors[0], "vice_chair"),
            (org_a.directors[1], "member"),
        ]:
            unit_services.committee_member_add(
                association=a, actor=admin, committee=committee, person=person, role=role
            )
        branch = unit_services.branch_create(
            association=a,
            actor=admin,
            data=unit_services.BranchInput(name="赣州分会", leader=extra),
        )
    representative = RepresentativeFactory(
        association=a, member=org_a.side.member, person=extra, title="行政经理"
    )
    return {
        "term": past,
        "post": post,
        "committee": committee,
        "branch": branch,
        "representative": representative,
        "appointment": org_a.appointment(org_a.directors[0]),
    }


@pytest.mark.django_db
def test_a_deleted_committee_comes_back_with_all_its_members(
    org_a: Org, structure: dict[str, Any]
) -> None:
    a, admin = org_a.side.association, org_a.side.admin
    committee = structure["committee"]
    with tenant_context(a):
        unit_services.committee_delete(association=a, actor=admin, committee=committee)
        assert "乡贤联络委员会" not in [c.name for c in selectors.committees(association=a)]
        assert CommitteeMembership.with_deleted.filter(committee=committee).count() == 3
        assert not CommitteeMembership.objects.filter(committee=committee).exists()
        item = recycle_bin.access_deleted_committee(association=a, committee_id=committee.pk)
        unit_services.committee_restore(association=a, actor=admin, committee=item)
        members = selectors.committee_memberships(association=a, committee=committee)
        assert [(m.person.name, m.role) for m in members] == [
            ("邱秘书长", "chair"),
            ("赖理事", "vice_chair"),
            ("温理事", "member"),
        ]


@pytest.mark.django_db
def test_the_audit_log_keeps_a_snapshot_of_what_was_deleted(
    org_a: Org, structure: dict[str, Any]
) -> None:
    a, admin = org_a.side.association, org_a.side.admin
    with tenant_context(a):
        unit_services.committee_delete(association=a, actor=admin, committee=structure["committee"])
        rep = Representative.objects.select_related("person", "member").get(
            pk=structure["representative"].pk
        )
        representatives.representative_remove(association=a, actor=admin, representative=rep)
        post_services.appointment_delete(
            association=a, actor=admin, appointment=structure["appointment"]
        )
        entries = {e.action: e for e in AuditEntry.objects.filter(association=a)}
    committee = entries["org.committee.delete"].data
    assert committee["snapshot"]["name"] == "乡贤联络委员会"
    assert [(m["person_name"], m["role"]) for m in committee["memberships"]] == [
        ("邱秘书长", "chair"),
        ("赖理事", "vice_chair"),
        ("温理事", "member"),
    ]
    removed = entries["member.representative.remove"].data
    assert removed["person"] == {"id": rep.person_id, "name": "蔡联络"}
    assert removed["member"] == {"id": org_a.side.member.pk, "name": org_a.side.member.name}
    assert removed["snapshot"]["title"] == "行政经理"
    appointment = entries["org.appointment.delete"].data
    assert (appointment["term_name"], appointment["post_name"], appointment["person_name"]) == (
        "第一届理事会",
        "理事",
        "赖理事",
    )
    assert appointment["snapshot"]["starts_on"] == "2024-01-01"


def _delete_urls(side: Side, s: dict[str, Any]) -> list[str]:
    member = side.member.pk
    return [
        office(side, f"org/terms/{s['term'].pk}/delete/"),
        office(side, f"org/posts/{s['post'].pk}/delete/"),
        office(side, f"org/appointments/{s['appointment'].pk}/delete/"),
        office(side, f"org/committees/{s['committee'].pk}/delete/"),
        office(side, f"org/branches/{s['branch'].pk}/delete/"),
        f"/a/{side.association.slug}/office/members/{member}/representatives/"
        f"{s['representative'].pk}/remove/",
    ]


def _names(s: dict[str, Any]) -> list[str]:
    return ["筹备届", "荣誉顾问", "理事 赖理事", "乡贤联络委员会", "赣州分会", "蔡联络"]


def _is_deleted(side: Side, s: dict[str, Any]) -> list[bool]:
    with tenant_context(side.association):
        return [
            Term.with_deleted.get(pk=s["term"].pk).deleted_at is not None,
            Post.with_deleted.get(pk=s["post"].pk).deleted_at is not None,
            Appointment.with_deleted.get(pk=s["appointment"].pk).deleted_at is not None,
            Committee.with_deleted.get(pk=s["committee"].pk).deleted_at is not None,
            Branch.with_deleted.get(pk=s["branch"].pk).deleted_at is not None,
            Representative.with_deleted.get(pk=s["representative"].pk).deleted_at is not None,
        ]


@pytest.mark.django_db
def test_each_kind_is_deleted_and_restored_through_the_pages(
    org_a: Org, structure: dict[str, Any]
) -> None:
    side = org_a.side
    admin = client_for(side.admin)
    with as_app_role():
        for url in _delete_urls(side, structure):
            assert "可在" in follow(admin, url), url  # the message says where to restore it
        assert _is_deleted(side, structure) == [True] * 6
        assert "乡贤联络委员会" not in page_text(admin.get(office(side, "org/committees/")))
        assert "赣州分会" not in page_text(admin.get(office(side, "org/branches/")))
        assert "荣誉顾问" not in page_text(admin.get(office(side, "org/posts/")))
        assert "筹备届" not in page_text(admin.get(office(side, "org/terms/")))
        assert "赖理事" not in page_text(admin.get(office(side, f"org/terms/{org_a.term.pk}/")))
        member_page = page_text(admin.get(office(side, f"members/{side.member.pk}/")))
        assert "蔡联络" not in member_page and "龚志军" in member_page

        trash = page_text(admin.get(office(side, "org/trash/")))
        for name in ["筹备届", "荣誉顾问", "赖理事", "乡贤联络委员会", "含 3 位成员", "赣州分会"]:
            assert name in trash, name
        assert "蔡联络" in trash and side.member.name in trash and side.admin.name in trash

        restore = [
            f"org/trash/terms/{structure['term'].pk}/",
            f"org/trash/posts/{structure['post'].pk}/",
            f"org/trash/appointments/{structure['appointment'].pk}/",
            f"org/trash/committees/{structure['committee'].pk}/",
            f"org/trash/branches/{structure['branch'].pk}/",
            f"org/trash/representatives/{structure['representative'].pk}/",
        ]
        for path in restore:
            assert "已恢复" in follow(admin, office(side, path)), path
        assert _is_deleted(side, structure) == [False] * 6
        assert "回收站是空的" in page_text(admin.get(office(side, "org/trash/")))
        committee = page_text(
            admin.get(office(side, f"org/committees/{structure['committee'].pk}/"))
        )
        assert "邱秘书长" in committee and "温理事" in committee
        assert "蔡联络" in page_text(admin.get(office(side, f"members/{side.member.pk}/")))
    with tenant_context(side.association):
        restored = AuditEntry.objects.filter(action__endswith=".restore").count()
    assert restored == 6


@pytest.mark.django_db
def test_each_kind_is_deleted_and_restored_through_the_api(
    org_a: Org, structure: dict[str, Any]
) -> None:
    side = org_a.side
    client = api_client_for(side.admin)
    member = side.member.pk
    deletes = [
        f"org/terms/{structure['term'].pk}",
        f"org/posts/{structure['post'].pk}",
        f"org/appointments/{structure['appointment'].pk}",
        f"org/committees/{structure['committee'].pk}",
        f"org/branches/{structure['branch'].pk}",
        f"members/{member}/representatives/{structure['representative'].pk}",
    ]
    with as_app_role():
        for path in deletes:
            assert client.delete(api(side, path)).status_code in {200, 204}, path
        assert _is_deleted(side, structure) == [True] * 6
        committees = body(client.get(api(side, "org/committees")))["items"]
        assert "乡贤联络委员会" not in [c["name"] for c in committees]
        branches = body(client.get(api(side, "org/branches")))["items"]
        assert branches == []
        assert (
            client.get(api(side, f"org/committees/{structure['committee'].pk}")).status_code == 404
        )
        shown = body(client.get(api(side, f"members/{member}")))
        assert "蔡联络" not in json.dumps(shown, ensure_ascii=False)

        items = body(client.get(api(side, "org/trash"), {"page_size": 100}))["items"]
        assert {i["kind"] for i in items} == {
            "term", "post", "appointment", "committee", "branch", "representative",
        }  # fmt: skip
        assert [i["detail"] for i in items if i["kind"] == "committee"] == ["含 3 位成员"]
        for item in items:
            response = client.post(api(side, item["restore_path"]))
            assert response.status_code == 200, (item, response.content)
        assert _is_deleted(side, structure) == [False] * 6
        assert body(client.get(api(side, "org/trash")))["count"] == 0
        memberships = body(
            client.get(api(side, f"org/committees/{structure['committee'].pk}/memberships"))
        )
        assert memberships["count"] == 3


@pytest.mark.django_db
def test_restoring_is_refused_when_a_row_created_since_holds_the_name(
    org_a: Org, structure: dict[str, Any]
) -> None:
    side = org_a.side
    a, admin = side.association, side.admin
    committee = structure["committee"]
    with tenant_context(a):
        unit_services.committee_delete(association=a, actor=admin, committee=committee)
        unit_services.committee_create(
            association=a, actor=admin, data=unit_services.CommitteeInput(name="乡贤联络委员会")
        )
        term_services.term_delete(association=a, actor=admin, term=structure["term"])
        term_services.term_create(
            association=a,
            actor=admin,
            data=term_services.TermInput(name="另一届", number=9, starts_on=date(2019, 1, 1)),
        )
        rep = Representative.objects.select_related("person", "member").get(
            pk=structure["representative"].pk
        )
        representatives.representative_remove(association=a, actor=admin, representative=rep)
        RepresentativeFactory(association=a, member=side.member, person=rep.person)  # again
    with as_app_role():
        page = follow(client_for(admin), office(side, f"org/trash/committees/{committee.pk}/"))
        assert "已有名为“乡贤联络委员会”的委员会，不能恢复" in page
        response = api_client_for(admin).post(api(side, f"org/committees/{committee.pk}/restore"))
        assert response.status_code == 400
        assert "已有名为“乡贤联络委员会”的委员会" in response.content.decode()
        response = api_client_for(admin).post(
            api(side, f"org/terms/{structure['term'].pk}/restore")
        )
        assert response.status_code == 400 and "第 9 届已存在" in response.content.decode()
        page = follow(client_for(admin), office(side, f"org/trash/representatives/{rep.pk}/"))
        assert "蔡联络已是该会员的会员代表或联络人，不能恢复" in page
    with tenant_context(a):  # nothing changed
        assert Committee.with_deleted.get(pk=committee.pk).deleted_at is not None
        assert (
            CommitteeMembership.with_deleted.filter(
                committee=committee, deleted_at__isnull=False
            ).count()
            == 3
        )
        assert Term.with_deleted.get(pk=structure["term"].pk).deleted_at is not None
        assert Representative.with_deleted.get(pk=rep.pk).deleted_at is not None


@pytest.mark.django_db
def test_an_appointment_waits_for_its_post_to_be_restored(org_a: Org) -> None:
    a, admin = org_a.side.association, org_a.side.admin
    with tenant_context(a):
        post = post_services.post_create(
            association=a, actor=admin, data=post_services.PostInput(name="特邀顾问")
        )
        appointment = post_services.appointment_create(
            association=a,
            actor=admin,
            term=org_a.term,
            data=post_services.AppointmentInput(post=post, person=org_a.secretary),
        )
        post_services.appointment_delete(association=a, actor=admin, appointment=appointment)
        post_services.post_delete(association=a, actor=admin, post=post)  # nobody holds it now
    response = client_for(admin).post(
        office(org_a.side, f"org/trash/appointments/{appointment.pk}/"), follow=True
    )
    assert "请先恢复职务“特邀顾问”" in page_text(response)
    follow(client_for(admin), office(org_a.side, f"org/trash/posts/{post.pk}/"))
    follow(client_for(admin), office(org_a.side, f"org/trash/appointments/{appointment.pk}/"))
    with tenant_context(a):
        assert Appointment.objects.filter(pk=appointment.pk).exists()


@pytest.mark.django_db
def test_deleted_structure_leaves_the_chart_audiences_and_member_filters(
    org_a: Org, structure: dict[str, Any]
) -> None:
    side = org_a.side
    a, admin = side.association, side.admin
    committee = structure["committee"]
    # The member's own person (龚志军) sits on the committee, and a second member's
    # representative too: a committee audience invites both.
    with tenant_context(a):
        unit_services.committee_member_add(
            association=a, actor=admin, committee=committee, person=side.person, role="member"
        )
        term_services.org_settings_update(association=a, actor=admin, publish_chart=True)
    event = make_event(a, admin, title="乡贤座谈会")
    with tenant_context(a):
        event_services.audience_set(
            association=a,
            actor=admin,
            event=event,
            data=event_services.AudienceInput(committee_ids=[committee.pk]),
        )
        event.refresh_from_db()
        assert event_selectors.in_audience(event=event, user=side.member_user, is_member=True)
        on_committee = member_search(
            association=a, filters=MemberFilters(committee=str(committee.pk)), directory=False
        )
        assert list(on_committee) == [side.member]

        unit_services.committee_delete(association=a, actor=admin, committee=committee)
        president = org_a.appointment(org_a.president)
        post_services.appointment_delete(association=a, actor=admin, appointment=president)
        assert not event_selectors.in_audience(event=event, user=side.member_user, is_member=True)
        assert side.person.phone not in [
            phone for phone, _e, _u in event_selectors.audience_contacts(association=a, event=event)
        ]
        assert not member_search(
            association=a, filters=MemberFilters(committee=str(committee.pk)), directory=False
        )
        chart = selectors.org_chart(association=a)
    assert chart is not None and "会长" not in [p.name for p in chart.posts]
    member = client_for(side.member_user)
    assert "钟会长" not in page_text(member.get(f"/a/{a.slug}/org-chart/"))
    events = body(api_client_for(side.member_user).get(api(side, "events")))
    assert "乡贤座谈会" not in json.dumps(events, ensure_ascii=False)
    overview = page_text(client_for(admin).get(office(side, "org/")))
    assert "乡贤联络委员会" not in overview and "青年企业家委员会" in overview
    dashboard = client_for(admin).get(office(side))
    assert dashboard.context["committee_count"] == 1


def _phones(association: Any, event: Any) -> list[str]:
    contacts = event_selectors.audience_contacts(association=association, event=event)
    return [phone for phone, _email, _user in contacts]


@pytest.mark.django_db
def test_a_removed_representative_no_longer_acts_for_the_member(org_a: Org) -> None:
    """The member's own representative, removed: a level's audience and an all-members
    event no longer invite them, their home no longer lists the member, its card not them."""
    side = org_a.side
    a, admin = side.association, side.admin
    by_level = make_event(a, admin, title="理事单位恳谈会")
    everyone = make_event(a, admin, title="会员大会")
    with tenant_context(a):
        level = Level.objects.create(association=a, name="理事单位", rank=4, annual_fee=5000)
        Member.objects.filter(pk=side.member.pk).update(level=level, status="active")
        event_services.audience_set(
            association=a,
            actor=admin,
            event=by_level,
            data=event_services.AudienceInput(level_ids=[level.pk]),
        )
        by_level.refresh_from_db()

        def invited() -> tuple[bool, bool, bool]:
            return (
                event_selectors.in_audience(event=by_level, user=side.member_user, is_member=True),
                side.person.phone in _phones(a, by_level),
                side.person.phone in _phones(a, everyone),
            )

        assert invited() == (True, True, True)
        rep = Representative.objects.select_related("person", "member").get(person=side.person)
        representatives.representative_remove(association=a, actor=admin, representative=rep)
        assert invited() == (False, False, False)
    home = page_text(client_for(side.member_user).get(f"/a/{a.slug}/"))
    assert side.member.name not in home
    card = page_text(client_for(side.member_user).get(f"/a/{a.slug}/directory/{side.member.pk}/"))
    assert "龚志军" not in card


@pytest.mark.django_db
def test_staff_restore_people_but_not_terms_or_posts(
    org_a: Org, structure: dict[str, Any], staff_a: Client
) -> None:
    a, admin = org_a.side.association, org_a.side.admin
    with tenant_context(a):
        post_services.post_delete(association=a, actor=admin, post=structure["post"])
        unit_services.branch_delete(association=a, actor=admin, branch=structure["branch"])
    trash = page_text(staff_a.get(office(org_a.side, "org/trash/")))
    assert "赣州分会" in trash and "荣誉顾问" not in trash
    response = staff_a.post(office(org_a.side, f"org/trash/posts/{structure['post'].pk}/"))
    assert response.status_code == 403
    assert (
        client_for(org_a.side.member_user).get(office(org_a.side, "org/trash/")).status_code == 403
    )


@pytest.mark.django_db
def test_another_association_neither_sees_nor_restores_deleted_structure(
    org_a: Org, structure: dict[str, Any], side_b: Side
) -> None:
    a, admin = org_a.side.association, org_a.side.admin
    with tenant_context(a):
        unit_services.committee_delete(association=a, actor=admin, committee=structure["committee"])
        rep = Representative.objects.select_related("person", "member").get(
            pk=structure["representative"].pk
        )
        representatives.representative_remove(association=a, actor=admin, representative=rep)
    committee_id, rep_id = structure["committee"].pk, rep.pk
    b_admin = client_for(side_b.admin)
    with as_app_role():
        trash = page_text(b_admin.get(office(side_b, "org/trash/")))
        assert "乡贤联络委员会" not in trash and "蔡联络" not in trash
        # B's administrator with A's ids, on B's slug and on A's.
        for side in (side_b, org_a.side):
            for path in (
                f"org/trash/committees/{committee_id}/",
                f"org/trash/representatives/{rep_id}/",
            ):
                assert b_admin.post(office(side, path)).status_code == 404, (side, path)
        api_b = api_client_for(side_b.admin)
        items = body(api_b.get(api(side_b, "org/trash")))["items"]
        assert items == []
        assert api_b.get(api(org_a.side, "org/trash")).status_code == 404
        for side in (side_b, org_a.side):
            response = api_b.post(api(side, f"org/committees/{committee_id}/restore"))
            assert response.status_code == 404
            response = api_b.post(
                api(side, f"members/{org_a.side.member.pk}/representatives/{rep_id}/restore")
            )
            assert response.status_code == 404
    with tenant_context(a):
        assert Committee.with_deleted.get(pk=committee_id).deleted_at is not None
        assert Representative.with_deleted.get(pk=rep_id).deleted_at is not None


@pytest.mark.django_db
def test_a_row_that_is_not_deleted_is_not_restored(org_a: Org) -> None:
    response = client_for(org_a.side.admin).post(
        office(org_a.side, f"org/trash/committees/{org_a.committee.pk}/")
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_account_deletion_purges_what_the_bin_keeps_of_the_person(
    org_a: Org, structure: dict[str, Any]
) -> None:
    """The member's own person — an appointment, a committee seat and a representation, all
    in the bin — exports them while kept, and deleting the account deletes them for good;
    what the association's live register holds of the person stays (unlinked)."""
    side = org_a.side
    a, admin, person = side.association, side.admin, side.person
    other = MemberFactory(association=a, name="甲市龚氏贸易有限公司")
    RepresentativeFactory(association=a, member=other, person=person)  # live, stays
    committee = structure["committee"]
    with tenant_context(a):
        appointment = post_services.appointment_create(
            association=a,
            actor=admin,
            term=org_a.term,
            data=post_services.AppointmentInput(post=org_a.posts["副会长"], person=person),
        )
        post_services.appointment_delete(association=a, actor=admin, appointment=appointment)
        unit_services.committee_member_add(
            association=a, actor=admin, committee=committee, person=person, role="member"
        )
        unit_services.committee_delete(association=a, actor=admin, committee=committee)
        rep = Representative.objects.select_related("person", "member").get(
            person=person, member=side.member
        )
        representatives.representative_remove(association=a, actor=admin, representative=rep)
    kept = personal_data(side.member_user)["回收站中的记录"]
    assert {row["类别"] for row in kept} == {"任职", "专业委员会", "会员代表"}

    with as_app_role():
        response = client_for(side.member_user).post("/me/delete/", {"password": PASSWORD})
        assert response.status_code == 302
    with tenant_context(a):
        for model in (Representative, Appointment, CommitteeMembership):
            assert not model.with_deleted.filter(person=person, deleted_at__isnull=False).exists()
        assert Representative.objects.filter(person=person, member=other).exists()
        assert CommitteeMembership.with_deleted.filter(committee=committee).count() == 3
        unit_services.committee_restore(
            association=a,
            actor=admin,
            committee=recycle_bin.access_deleted_committee(
                association=a, committee_id=committee.pk
            ),
        )
        names = [
            m.person.name
            for m in selectors.committee_memberships(association=a, committee=committee)
        ]
    assert names == ["邱秘书长", "赖理事", "温理事"]

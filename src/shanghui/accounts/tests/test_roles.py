"""Roles can never be lowered by a grant, and an association never loses its last
administrator — whatever the path (issue 12, item 4). Adding a person by phone invites them and
reveals nothing about the account behind the number (item 7). The paths run as the
application role under row-level security on PostgreSQL."""

import json
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client

from shanghui.accounts.models import Invitation, Role, User
from shanghui.accounts.services.invitations import person_invite
from shanghui.accounts.services.roles import role_change, role_grant, role_revoke
from shanghui.accounts.services.tokens import api_token_create
from shanghui.core import notifications
from shanghui.core.rls import APP_DB_ROLE
from shanghui.core.tenancy import scopes_disabled, tenant_context
from shanghui.members.services import applications
from shanghui.members.tests.test_applications import application, licence
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import PASSWORD, RoleFactory, UserFactory
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.worker import run_worker

LAST_ADMIN = "至少需要保留一位管理员"


def _role(association_id: int, user: User) -> Role | None:
    with scopes_disabled():
        return Role.objects.filter(association_id=association_id, user=user).first()


def _admins(side: Side) -> int:
    with scopes_disabled():
        return Role.objects.filter(
            association=side.association, kind=Role.Kind.ADMIN, is_active=True
        ).count()


def _sent_to(phone: str) -> str:
    """The newest message sent to ``phone`` (the outbox's worker runs first)."""
    run_worker()
    texts = [m.text for m in notifications.outbox if m.to == phone]
    assert texts, notifications.outbox
    return texts[-1]


def _token(phone: str) -> str:
    match = re.search(r"/invite/([\w-]+)/", _sent_to(phone))
    assert match
    return match.group(1)


def _api(user: User) -> Client:
    _token_row, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _roles_url(side: Side) -> str:
    return f"/api/v1/associations/{side.association.slug}/roles"


# --- Item 4: a grant never lowers ---------------------------------------------------------


@pytest.mark.django_db
def test_granting_never_lowers_a_role(side_a: Side) -> None:
    a = side_a.association
    with as_app_role(), tenant_context(a):
        admin = role_grant(association=a, actor=None, user=side_a.admin, kind=Role.Kind.MEMBER)
        member = role_grant(
            association=a, actor=None, user=side_a.member_user, kind=Role.Kind.STAFF
        )
        again = role_grant(
            association=a, actor=None, user=side_a.member_user, kind=Role.Kind.MEMBER
        )
    assert admin.kind == Role.Kind.ADMIN
    assert member.kind == again.kind == Role.Kind.STAFF  # raised, then not lowered


@pytest.mark.django_db
def test_an_approved_application_with_an_administrators_phone_keeps_her_administrator(
    side_a: Side,
) -> None:
    """The attack: an anonymous application names the administrator's phone; approving it
    used to turn her into a member, leaving the association with no administrator."""
    a = side_a.association
    with tenant_context(a):
        filed = applications.application_submit(
            association=a,
            data=application(applicant_phone=side_a.admin.phone),
            licence=licence(),
        )
    admin = client_for(side_a.admin)
    with as_app_role():
        response = admin.post(
            f"/a/{a.slug}/office/applications/{filed.pk}/",
            {"decision": "approve", "text": ""},
        )
        assert response.status_code == 302
        assert admin.get(f"/a/{a.slug}/office/roles/").status_code == 200
    role = _role(a.pk, side_a.admin)
    assert role is not None and role.is_active and role.kind == Role.Kind.ADMIN
    assert _admins(side_a) == 1


# --- Item 4: the last administrator stays ------------------------------------------------


@pytest.mark.django_db
def test_the_last_administrator_cannot_be_demoted_or_removed_on_the_page(side_a: Side) -> None:
    a = side_a.association
    role = _role(a.pk, side_a.admin)
    assert role is not None
    admin = client_for(side_a.admin)
    base = f"/a/{a.slug}/office/roles/{role.pk}"
    with as_app_role():
        demoted = admin.post(f"{base}/change/", {"role": "member"}, follow=True)
        removed = admin.post(f"{base}/revoke/", follow=True)
    for response in (demoted, removed):
        assert response.status_code == 200
        assert LAST_ADMIN in response.content.decode()
    role.refresh_from_db()
    assert role.is_active and role.kind == Role.Kind.ADMIN


@pytest.mark.django_db
def test_the_last_administrator_cannot_be_demoted_or_removed_through_the_api(
    side_a: Side,
) -> None:
    a = side_a.association
    own = _role(a.pk, side_a.admin)
    assert own is not None
    api = _api(side_a.admin)
    url = f"{_roles_url(side_a)}/{own.pk}"
    with as_app_role():
        demoted = api.patch(url, {"role": "staff"}, content_type="application/json")
        removed = api.delete(url)
    for response in (demoted, removed):
        assert response.status_code == 400, response.content
        assert LAST_ADMIN in response.json()["error"]["message"]
    own.refresh_from_db()
    assert own.is_active and own.kind == Role.Kind.ADMIN


@pytest.mark.django_db
def test_with_a_second_administrator_one_may_go_but_not_both(side_a: Side) -> None:
    a = side_a.association
    second = UserFactory(name="甲市副秘书长")
    other = RoleFactory(association=a, user=second, kind=Role.Kind.ADMIN)
    own = _role(a.pk, side_a.admin)
    assert own is not None
    api = _api(side_a.admin)
    with as_app_role():
        response = api.patch(
            f"{_roles_url(side_a)}/{other.pk}", {"role": "staff"}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["kind"] == "staff"
        with tenant_context(a), pytest.raises(ValidationError, match=LAST_ADMIN):
            role_revoke(association=a, actor=second, role=own)
    assert _admins(side_a) == 1


@pytest.mark.postgres_only(reason="row locks; SQLite serializes writers")
@pytest.mark.django_db(transaction=True)
def test_two_administrators_demoting_each_other_at_once_leave_one(side_a: Side) -> None:
    """The first change holds the association's administrator roles until it commits; the
    second waits, then sees that it would remove the last administrator. Without the lock the
    second read the first's change as not yet made, and both went through."""
    a = side_a.association
    second = UserFactory(name="甲市副秘书长")
    other = RoleFactory(association=a, user=second, kind=Role.Kind.ADMIN)
    own = _role(a.pk, side_a.admin)
    assert own is not None
    first_done, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def change(actor: User, role: Role, key: str, hold: bool) -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
                with tenant_context(a):
                    role_change(association=a, actor=actor, role=role, kind=Role.Kind.MEMBER)
                if hold:
                    first_done.set()
                    release.wait(timeout=30)
            outcome[key] = "changed"
        except ValidationError as exc:
            outcome[key] = exc.messages[0]
        except Exception as exc:  # reported by the assertions below
            outcome[key] = repr(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=change, args=(side_a.admin, other, "first", True))
    first.start()
    assert first_done.wait(timeout=30)
    racer = threading.Thread(target=change, args=(second, own, "second", False))
    racer.start()
    # Let the first commit only once the second has either finished or is waiting for the
    # first's lock (seen in pg_stat_activity), so the race is the same on every run.
    with connections["default"].cursor() as cursor:
        for _ in range(3000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if not racer.is_alive() or cursor.fetchone()[0]:
                break
            threading.Event().wait(0.01)
    release.set()
    first.join(timeout=30)
    racer.join(timeout=30)
    assert outcome["first"] == "changed", outcome
    assert LAST_ADMIN in str(outcome["second"]), outcome
    assert _admins(side_a) == 1


@pytest.mark.django_db
def test_the_last_administrator_cannot_delete_their_account(side_a: Side) -> None:
    page = client_for(side_a.admin)
    api = _api(side_a.admin)
    with as_app_role():
        shown = page.get("/me/delete/")
        refused_page = page.post("/me/delete/", {"password": PASSWORD})
        refused_api = api.post(
            "/api/v1/me/deletion", {"password": PASSWORD}, content_type="application/json"
        )
    assert "请先指定另一位管理员" in shown.content.decode()
    assert side_a.association.name in shown.content.decode()
    assert refused_page.status_code == 200
    assert "请先指定另一位管理员" in refused_page.content.decode()
    assert refused_api.status_code == 400
    assert "请先指定另一位管理员" in refused_api.json()["error"]["message"]
    side_a.admin.refresh_from_db()
    assert side_a.admin.is_active and side_a.admin.phone
    assert _admins(side_a) == 1


@pytest.mark.django_db
def test_an_administrator_with_a_successor_may_delete_their_account(side_a: Side) -> None:
    RoleFactory(association=side_a.association, user=UserFactory(), kind=Role.Kind.ADMIN)
    page = client_for(side_a.admin)
    with as_app_role():
        response = page.post("/me/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    side_a.admin.refresh_from_db()
    assert not side_a.admin.is_active
    assert _admins(side_a) == 1


# --- Item 7: adding a person is an invitation that reveals nothing -------------------------


@pytest.mark.django_db
def test_adding_a_phone_answers_the_same_whether_it_has_an_account(
    side_a: Side, side_b: Side
) -> None:
    """A's administrator adds B's administrator (an account) and a number new to the
    platform: the answers differ only in what A typed, name nobody, and attach nobody."""
    api = _api(side_a.admin)
    existing = side_b.admin.phone or ""
    with as_app_role():
        answers = [
            api.post(
                _roles_url(side_a),
                {"phone": phone, "name": name, "role": "admin"},
                content_type="application/json",
            )
            for phone, name in ((existing, "张三"), ("13711112222", "李四"))
        ]
        pending = api.get(f"/api/v1/associations/{side_a.association.slug}/invitations")
        listed = api.get(_roles_url(side_a))
    assert [r.status_code for r in answers] == [201, 201]
    bodies = [r.json() for r in answers]
    assert bodies[0].keys() == bodies[1].keys()
    assert "user_id" not in bodies[0]
    typed = {"id", "name", "phone", "expires_at"}
    assert {k: v for k, v in bodies[0].items() if k not in typed} == {
        k: v for k, v in bodies[1].items() if k not in typed
    }
    assert (bodies[0]["name"], bodies[1]["name"]) == ("张三", "李四")
    for response in (*answers, pending, listed):
        text = response.content.decode()
        assert side_b.admin.name not in text
        assert f'"user_id": {side_b.admin.pk}' not in json.dumps(response.json())
    assert {item["name"] for item in pending.json()["items"]} == {"张三", "李四"}
    assert _role(side_a.association.pk, side_b.admin) is None  # nobody attached


@pytest.mark.django_db
def test_the_roles_page_answers_the_same_whether_the_phone_has_an_account(
    side_a: Side, side_b: Side
) -> None:
    page = client_for(side_a.admin)
    url = f"/a/{side_a.association.slug}/office/roles/"
    with as_app_role():
        answers = [
            page.post(url, {"phone": phone, "name": "王五", "role": "staff"}, follow=True)
            for phone in (side_b.admin.phone, "13711113333")
        ]
    texts = [r.content.decode() for r in answers]
    assert [r.status_code for r in answers] == [200, 200]
    for text in texts:
        assert "已发送邀请给 王五" in text
        assert side_b.admin.name not in text
    assert _role(side_a.association.pk, side_b.admin) is None


@pytest.mark.django_db
def test_an_existing_account_accepts_the_invitation_signed_in(side_a: Side, side_b: Side) -> None:
    a, invitee = side_a.association, side_b.admin
    with tenant_context(a):
        person_invite(
            association=a,
            actor=side_a.admin,
            phone=invitee.phone or "",
            name="张三",
            role_kind="staff",
        )
    token = _token(invitee.phone or "")
    url = f"/a/{a.slug}/invite/{token}/"
    with as_app_role():
        anonymous = Client().get(url)
        # The link is no way to set the account's password.
        Client().post(
            url,
            {"password": "Xinyu-2027-ok", "password2": "Xinyu-2027-ok", "accept_privacy": "on"},
        )
        stranger = client_for(side_a.member_user).post(url)
        stranger_api = _api(side_a.member_user).post(
            f"/api/v1/associations/{a.slug}/invitations/{token}/join"
        )
    assert anonymous.status_code == 200
    assert "登录后接受" in anonymous.content.decode()
    assert invitee.name not in anonymous.content.decode()
    invitee.refresh_from_db()
    assert invitee.check_password(PASSWORD)
    assert stranger.status_code == 403
    assert stranger_api.status_code == 404
    assert _role(a.pk, invitee) is None and _role(a.pk, side_a.member_user).kind == "member"  # type: ignore[union-attr]
    with as_app_role():
        accepted = client_for(invitee).post(url)
    assert accepted.status_code == 302
    assert accepted["Location"] == f"/a/{a.slug}/office/"
    role = _role(a.pk, invitee)
    assert role is not None and role.is_active and role.kind == Role.Kind.STAFF
    with scopes_disabled():
        assert Invitation.objects.get(association=a, user=invitee).accepted_at is not None


@pytest.mark.django_db
def test_accepting_an_invitation_through_the_api_never_lowers(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        person_invite(
            association=a,
            actor=side_a.admin,
            phone=side_a.admin.phone or "",
            name="曾秘书",
            role_kind="member",
        )
    token = _token(side_a.admin.phone or "")
    with as_app_role():
        response = _api(side_a.admin).post(
            f"/api/v1/associations/{a.slug}/invitations/{token}/join"
        )
    assert response.status_code == 200, response.content
    role = _role(a.pk, side_a.admin)
    assert role is not None and role.kind == Role.Kind.ADMIN

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from shanghui.accounts.models import ApiToken, Consent, Invitation, Role, User
from shanghui.accounts.services.account import phone_is_visible, profile_update
from shanghui.accounts.services.invitations import (
    access_invitation,
    invitation_accept,
    invitation_resend,
    person_invite,
)
from shanghui.accounts.services.roles import role_revoke
from shanghui.accounts.services.signin import password_reset_confirm, password_reset_request
from shanghui.accounts.services.tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from shanghui.core import notifications
from shanghui.core.models import AuditEntry, PlatformAuditEntry
from shanghui.core.tenancy import scopes_disabled, tenant_context
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import PASSWORD, UserFactory
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker


def _token_from_outbox() -> str:
    run_worker()  # the invitation is sent by a worker
    match = re.search(r"/invite/([\w-]+)/", notifications.outbox[-1].text)
    assert match, notifications.outbox
    return match.group(1)


@pytest.mark.django_db
def test_inviting_a_new_person_sends_a_link_that_activates_the_account(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        invitation = person_invite(
            association=a,
            actor=side_a.admin,
            phone="137 0000 1111",
            name="曾秘书",
            role_kind="staff",
        )
    user = User.objects.get(phone="13700001111")
    assert invitation.role_kind == Role.Kind.STAFF
    assert not user.has_usable_password()
    with tenant_context(a):  # the role starts when the person accepts
        assert not Role.objects.filter(user=user).exists()
    run_worker()
    assert notifications.outbox[-1].to == "13700001111"
    token = _token_from_outbox()
    with tenant_context(a):
        invitation_accept(association=a, token=token, password="Jiangxi-2026", accept_privacy=True)
        assert Role.objects.get(user=user).kind == Role.Kind.STAFF
    user.refresh_from_db()
    assert user.check_password("Jiangxi-2026")
    assert Consent.objects.filter(user=user).exists()
    with tenant_context(a), pytest.raises(ValidationError, match="已使用"):
        invitation_accept(association=a, token=token, password="Jiangxi-2026", accept_privacy=True)


@pytest.mark.django_db
def test_invitation_without_consent_or_with_weak_password_changes_nothing(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        person_invite(
            association=a, actor=side_a.admin, phone="13700002222", name="李四", role_kind="member"
        )
    token = _token_from_outbox()
    with tenant_context(a):
        with pytest.raises(ValidationError):
            invitation_accept(
                association=a, token=token, password="Jiangxi-2026", accept_privacy=False
            )
        with pytest.raises(ValidationError):
            invitation_accept(association=a, token=token, password="12345678", accept_privacy=True)
        assert Invitation.objects.get(user__phone="13700002222").accepted_at is None
    assert not User.objects.get(phone="13700002222").has_usable_password()


@pytest.mark.django_db
def test_expired_invitation_is_refused_with_a_clear_message(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        person_invite(
            association=a, actor=side_a.admin, phone="13700003333", name="王五", role_kind="member"
        )
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    token = _token_from_outbox()  # the worker runs outside the test's tenant transaction
    with tenant_context(a), pytest.raises(ValidationError, match="已过期"):
        invitation_accept(association=a, token=token, password="Jiangxi-2026", accept_privacy=True)


@pytest.mark.django_db
def test_an_invitation_token_does_not_work_in_another_association(
    side_a: Side, side_b: Side
) -> None:
    a, b = side_a.association, side_b.association
    with tenant_context(a):
        person_invite(
            association=a, actor=side_a.admin, phone="13700004444", name="赵六", role_kind="member"
        )
    from django.http import Http404

    token = _token_from_outbox()
    with tenant_context(b), pytest.raises(Http404):
        invitation_accept(association=b, token=token, password="Jiangxi-2026", accept_privacy=True)


@pytest.mark.django_db
def test_the_last_administrator_cannot_be_removed(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        role = Role.objects.get(user=side_a.admin)
        with pytest.raises(ValidationError, match="管理员"):
            role_revoke(association=a, actor=side_a.admin, role=role)
        assert Role.objects.get(pk=role.pk).is_active


@pytest.mark.django_db
def test_api_tokens_work_until_revoked_or_expired(side_a: Side) -> None:
    token, raw = api_token_create(user=side_a.admin, name="iPhone")
    assert api_token_authenticate(raw) == side_a.admin
    assert ApiToken.objects.get(pk=token.pk).key_hash != raw  # only the hash is stored
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_token_authenticate(raw) is None
    token2, raw2 = api_token_create(user=side_a.admin, name="iPad")
    api_token_revoke(user=side_a.admin, token_id=token2.pk)
    assert api_token_authenticate(raw2) is None


@pytest.mark.django_db
def test_someone_elses_token_cannot_be_revoked(side_a: Side, side_b: Side) -> None:
    from django.http import Http404

    token, _raw = api_token_create(user=side_b.admin, name="b")
    with pytest.raises(Http404):
        api_token_revoke(user=side_a.admin, token_id=token.pk)


@pytest.mark.django_db
def test_password_reset_with_a_one_time_code(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    password_reset_request(phone=phone)
    code = re.search(r"(\d{6})", notifications.outbox[-1].text)
    assert code
    with pytest.raises(ValidationError):
        password_reset_confirm(
            phone=phone,
            code="000000" if code.group(1) != "000000" else "111111",
            new_password="Nanchang-2027",
        )
    password_reset_confirm(phone=phone, code=code.group(1), new_password="Nanchang-2027")
    side_a.admin.refresh_from_db()
    assert side_a.admin.check_password("Nanchang-2027")
    with pytest.raises(ValidationError):  # a code works once
        password_reset_confirm(phone=phone, code=code.group(1), new_password="Nanchang-2028")


@pytest.mark.django_db
def test_a_code_locks_after_five_wrong_tries(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    password_reset_request(phone=phone)
    code = re.search(r"(\d{6})", notifications.outbox[-1].text).group(1)  # type: ignore[union-attr]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            password_reset_confirm(phone=phone, code=wrong, new_password="Nanchang-2027")
    with pytest.raises(ValidationError):
        password_reset_confirm(phone=phone, code=code, new_password="Nanchang-2027")


@pytest.mark.django_db
def test_reset_for_an_unknown_number_sends_nothing_and_says_nothing(db: None) -> None:
    password_reset_request(phone="13600009999")
    assert notifications.outbox == []


@pytest.mark.django_db
def test_sign_in_is_audited_with_its_origin(side_a: Side) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="MicroMessenger/8.0")
    response = client.post("/login/", {"phone": side_a.admin.phone, "password": PASSWORD})
    assert response.status_code == 302
    entry = PlatformAuditEntry.objects.get(action="auth.sign_in", actor=side_a.admin)
    assert entry.ip == "203.0.113.7"
    assert "MicroMessenger" in entry.user_agent


@pytest.mark.django_db
def test_five_failures_ask_the_phone_for_an_sms_code_at_that_address(side_a: Side) -> None:
    client = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(5):
        client.post("/login/", {"phone": side_a.admin.phone, "password": "wrong-password"})
    response = client.post("/login/", {"phone": side_a.admin.phone, "password": PASSWORD})
    assert response.status_code == 403
    assert "请用短信验证码登录" in response.content.decode()
    # Another address is not locked out.
    other = Client(REMOTE_ADDR="198.51.100.10")
    assert (
        other.post("/login/", {"phone": side_a.admin.phone, "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.django_db
def test_idle_sessions_end(side_a: Side, settings: object) -> None:
    client = Client()
    client.force_login(side_a.admin)
    assert client.get("/me/").status_code == 200
    session = client.session
    session["last_seen"] = int(timezone.now().timestamp()) - 3 * 60 * 60
    session.save()
    assert client.get("/me/").status_code == 302


@pytest.mark.django_db
def test_services_write_the_audit_log(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        person_invite(
            association=a, actor=side_a.admin, phone="13700005555", name="钱七", role_kind="member"
        )
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert "invitation.send" in actions


@pytest.mark.django_db
def test_argon2_is_the_production_hasher(settings: object) -> None:
    from shanghui.config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_profile_update_validates_email(side_a: Side) -> None:
    with pytest.raises(ValidationError):
        profile_update(user=side_a.admin, email="not-an-email")
    user = profile_update(user=side_a.admin, name="新名字", language="zh-hant")
    assert (user.name, user.language) == ("新名字", "zh-hant")


@pytest.mark.django_db
def test_scopes_disabled_is_not_needed_for_platform_tables(db: None) -> None:
    with scopes_disabled():
        UserFactory()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_resetting_the_password_lifts_the_lockout(side_a: Side) -> None:
    client = Client(REMOTE_ADDR="198.51.100.20")
    phone = side_a.admin.phone or ""
    for _ in range(5):
        client.post("/login/", {"phone": phone, "password": "wrong-password"})
    assert client.post("/login/", {"phone": phone, "password": PASSWORD}).status_code == 403
    password_reset_request(phone=phone)
    code = re.search(r"(\d{6})", notifications.outbox[-1].text).group(1)  # type: ignore[union-attr]
    password_reset_confirm(phone=phone, code=code, new_password="Ganzhou-2027")
    assert client.post("/login/", {"phone": phone, "password": "Ganzhou-2027"}).status_code == 302


@pytest.mark.django_db
def test_a_person_chooses_to_show_their_phone(side_a: Side) -> None:
    client = Client()
    client.force_login(side_a.member_user)
    with as_app_role():  # a person's write in every association: under row-level security
        assert not phone_is_visible(side_a.member_user)
        client.post("/me/phone-visibility/", {"show_phone": "on"})
    side_a.person.refresh_from_db()
    assert side_a.person.show_phone
    with as_app_role():
        client.post("/me/phone-visibility/", {})
    side_a.person.refresh_from_db()
    assert not side_a.person.show_phone


@pytest.mark.django_db
def test_pending_people_can_be_invited_again(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        person_invite(
            association=a, actor=side_a.admin, phone="13700006666", name="孙八", role_kind="staff"
        )
    first = _token_from_outbox()
    with tenant_context(a):
        person_invite(
            association=a, actor=side_a.admin, phone="13700006666", name="孙八", role_kind="staff"
        )
    second = _token_from_outbox()
    assert first != second
    with tenant_context(a):
        with pytest.raises(ValidationError, match="已过期"):  # the first link stopped working
            access_invitation(association=a, token=first)
        invitation_accept(association=a, token=second, password="Jiangxi-2026", accept_privacy=True)
        role = Role.objects.get(user__phone="13700006666")
        with pytest.raises(ValidationError, match="已开通"):
            invitation_resend(association=a, actor=side_a.admin, role=role)

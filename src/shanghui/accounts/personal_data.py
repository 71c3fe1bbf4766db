"""A person's rights over their personal information (PIPL): see and download everything the
platform holds about them, and delete their account."""

from importlib import import_module
from io import BytesIO
from types import ModuleType
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shanghui.accounts.models import ApiToken, Consent, Invitation, Role, User
from shanghui.accounts.services.roles import successor_required
from shanghui.associations.models import Association
from shanghui.core import personal_data as core_personal_data
from shanghui.core.audit import action_label, audit
from shanghui.core.excel import safe_cell
from shanghui.core.models import AuditEntry, PlatformAuditEntry
from shanghui.core.tenancy import person_context, tenant_context

Rows = list[dict[str, Any]]


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _app_parts() -> list[ModuleType]:
    """Every other installed app's ``personal_data`` module, in ``INSTALLED_APPS`` order: what
    that app keeps about a person. Each has ``tables(*, association, user)`` — its named tables
    of the person's rows in one association, called inside that association's tenant context —
    and may have ``association_ids(user)``: the associations where it keeps any, called inside
    the person's ``person_context`` (its tables need ``rls_person_field`` for that),
    ``erase(*, association, user)``: deletes for good, as the account is deleted, what the app
    keeps of the person only in its recycle bin (``core.softdelete``), and
    ``unlink(*, association, user)``: then unlinks the app's records of the person from the
    account (members: their member records, less the photos they set there themself). Both
    run inside each association's tenant context. What an app keeps of a person outside any
    association (a service provider's back-office users) comes from ``platform_tables(*, user)``
    and ends with ``platform_unlink(*, user)``, both optional, called in no tenant context."""
    parts = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.personal_data"
        if name == __name__:
            continue
        try:
            parts.append(import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return parts


def _in_associations(user: User, associations: list[Association]) -> tuple[dict[str, Rows], Rows]:
    """The apps' tables, each association's rows after the previous one's, led by its name;
    and what the person did in each association (its audit log, as the platform's below)."""
    parts = _app_parts()
    tables: dict[str, Rows] = {}
    done: Rows = []
    for association in associations:
        with tenant_context(association):
            for part in parts:
                for title, rows in part.tables(association=association, user=user).items():
                    tables.setdefault(title, []).extend(
                        {_("商协会"): association.name, **{k: _iso(v) for k, v in row.items()}}
                        for row in rows
                    )
            entries = AuditEntry.objects.filter(association=association, actor=user)
            done += [
                {
                    _("商协会"): association.name,
                    _("时间"): _iso(e.created_at),
                    _("操作"): action_label(e.action),
                    _("来源地址"): e.ip,
                    _("设备"): e.user_agent,
                }
                for e in entries.order_by("-created_at")[:1000]
            ]
    return tables, done


def _apps_association_ids(user: User) -> set[int]:
    """Inside the person's ``person_context``: where any other app keeps rows of theirs."""
    ids: set[int] = set()
    for part in _app_parts():
        if hasattr(part, "association_ids"):
            ids |= part.association_ids(user)
    return ids


def _platform_tables(user: User) -> dict[str, Rows]:
    """What the apps keep of the person outside any association."""
    tables: dict[str, Rows] = {}
    for part in _app_parts():
        if hasattr(part, "platform_tables"):
            tables.update(part.platform_tables(user=user))
    return tables


def personal_data(user: User) -> dict[str, Rows]:
    """Everything the platform holds about ``user``, as named tables of plain values: their
    account and what every app keeps about them in every association where they have a role,
    an invitation, a member record, a registration or a notice."""
    with person_context(user):
        roles = list(Role.objects.filter(user=user).order_by("created_at"))
        invitations = list(Invitation.objects.filter(user=user).order_by("created_at"))
        ids = {r.association_id for r in roles} | {i.association_id for i in invitations}
        ids |= _apps_association_ids(user)
    associations = list(Association.objects.filter(pk__in=ids).order_by("pk"))
    names = {association.pk: association.name for association in associations}
    in_associations, done = _in_associations(user, associations)
    return {
        _("账号"): [
            {
                _("手机号"): user.phone,
                _("姓名"): user.name,
                _("邮箱"): user.email,
                _("语言"): user.language,
                _("微信 OpenID"): user.wechat_openid,
                _("注册时间"): _iso(user.date_joined),
                _("最近登录"): _iso(user.last_login),
            }
        ],
        _("隐私政策同意记录"): [
            {_("版本"): c.notice.version, _("同意时间"): _iso(c.accepted_at), _("来源地址"): c.ip}
            for c in Consent.objects.filter(user=user).select_related("notice")
        ],
        _("商协会角色"): [
            {
                _("商协会"): names.get(r.association_id, ""),
                _("角色"): r.get_kind_display(),
                _("有效"): r.is_active,
                _("加入时间"): _iso(r.created_at),
            }
            for r in roles
        ],
        _("邀请"): [
            {
                _("商协会"): names.get(i.association_id, ""),
                _("姓名"): i.name,
                _("角色"): i.get_role_kind_display(),
                _("发出时间"): _iso(i.created_at),
                _("有效期至"): _iso(i.expires_at),
                _("接受时间"): _iso(i.accepted_at),
            }
            for i in invitations
        ],
        **in_associations,
        **_platform_tables(user),
        _("通知设置"): core_personal_data.preferences_table(user),
        _("API 令牌"): [
            {
                _("名称"): t.name,
                _("前缀"): t.prefix,
                _("创建时间"): _iso(t.created_at),
                _("最近使用"): _iso(t.last_used_at),
                _("已吊销"): t.revoked_at is not None,
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        _("操作记录"): [
            {
                _("时间"): _iso(e.created_at),
                _("操作"): action_label(e.action),
                _("来源地址"): e.ip,
                _("设备"): e.user_agent,
            }
            for e in PlatformAuditEntry.objects.filter(actor=user).order_by("-created_at")[:1000]
        ],
        _("商协会操作记录"): done,
    }


def personal_data_xlsx(user: User) -> bytes:
    workbook = Workbook(write_only=True)
    for title, rows in personal_data(user).items():
        sheet = workbook.create_sheet(title[:31])
        if not rows:
            continue
        sheet.append(list(rows[0].keys()))
        for row in rows:
            sheet.append([safe_cell(value) for value in row.values()])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _unlink(user: User) -> None:
    """Ends the person's roles and pending invitations and has the other apps unlink their
    records of the person (``unlink``: members removes the photos the person set and unlinks
    their member records), each in its association's tenant context: under row-level security
    a person context may not write them (``core.rls``)."""
    with person_context(user):
        ids = set(Role.objects.filter(user=user).values_list("association_id", flat=True))
        ids |= _apps_association_ids(user)
        ids |= set(
            Invitation.objects.filter(user=user, accepted_at__isnull=True).values_list(
                "association_id", flat=True
            )
        )
    parts = _app_parts()
    erasers = [part.erase for part in parts if hasattr(part, "erase")]
    unlinkers = [part.unlink for part in parts if hasattr(part, "unlink")]
    for association in Association.objects.filter(pk__in=ids).order_by("pk"):
        with tenant_context(association):
            for erase in erasers:  # what only a recycle bin keeps of the person goes for good
                erase(association=association, user=user)
            Role.objects.filter(association=association, user=user).update(is_active=False)
            for unlink in unlinkers:
                unlink(association=association, user=user)
            Invitation.objects.filter(
                association=association, user=user, accepted_at__isnull=True
            ).update(expires_at=timezone.now())


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Deletes a person's account at their request: the password confirms it is them; their
    sign-in, tokens and sessions end; their name, phone and email are erased from the account
    and unlinked from the member records the associations keep (an association's register of
    its member enterprises is its own record, not the person's account) — except the photos the
    person set there themself, which are removed. Audit entries keep the anonymous account id."""
    if not user.check_password(password):
        raise ValidationError({"password": _("密码不正确")})
    successor_required(user=user)  # an association never loses its last administrator
    _unlink(user)
    for part in _app_parts():
        if hasattr(part, "platform_unlink"):
            part.platform_unlink(user=user)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    core_personal_data.preferences_delete(user)
    # Every session ends by itself: Django checks each session against the password hash,
    # which set_unusable_password() below replaces.
    audit(actor=user, action="account.delete")
    user.phone = None
    user.name = _("已注销用户")
    user.email = ""
    user.wechat_openid = ""
    user.is_active = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save(
        update_fields=[
            "phone",
            "name",
            "email",
            "wechat_openid",
            "is_active",
            "deleted_at",
            "password",
        ]
    )

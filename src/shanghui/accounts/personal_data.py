"""A person's rights over their personal information (PIPL): see and download everything the
platform holds about them, and delete their account."""

from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shanghui.accounts.models import ApiToken, Consent, Invitation, Role, User
from shanghui.accounts.roles import successor_required
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.excel import safe_cell
from shanghui.core.models import PlatformAuditEntry
from shanghui.core.tenancy import person_context, tenant_context
from shanghui.members.models import Person, Representative
from shanghui.members.pictures import my_photos_remove


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def personal_data(user: User) -> dict[str, list[dict[str, Any]]]:
    """Everything the platform holds about ``user``, as named tables of plain values."""
    with person_context(user):
        roles = list(Role.objects.filter(user=user))
        people = list(Person.objects.filter(user=user))
    associations = Association.objects.in_bulk(
        {r.association_id for r in roles} | {p.association_id for p in people}
    )
    names = {pk: association.name for pk, association in associations.items()}
    representations: list[Representative] = []
    for person in people:
        with tenant_context(associations[person.association_id]):
            representations += Representative.objects.filter(person=person).select_related("member")
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
        _("会员资料"): [
            {
                _("商协会"): names.get(p.association_id, ""),
                _("姓名"): p.name,
                _("手机号"): p.phone,
                _("邮箱"): p.email,
                _("籍贯"): p.hometown_code,
                _("公开手机号"): p.show_phone,
            }
            for p in people
        ],
        _("代表的企业"): [
            {
                _("商协会"): names.get(r.association_id, ""),
                _("企业"): r.member.name,
                _("职务"): r.title,
            }
            for r in representations
        ],
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
                _("操作"): e.action,
                _("来源地址"): e.ip,
                _("设备"): e.user_agent,
            }
            for e in PlatformAuditEntry.objects.filter(actor=user).order_by("-created_at")[:1000]
        ],
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
    """Ends the person's roles and pending invitations and unlinks their member records, each
    in its association's tenant context: under row-level security a person context may not
    write them (``core.rls``)."""
    with person_context(user):
        ids = set(Role.objects.filter(user=user).values_list("association_id", flat=True))
        ids |= set(Person.objects.filter(user=user).values_list("association_id", flat=True))
        ids |= set(
            Invitation.objects.filter(user=user, accepted_at__isnull=True).values_list(
                "association_id", flat=True
            )
        )
    for association in Association.objects.filter(pk__in=ids).order_by("pk"):
        with tenant_context(association):
            Role.objects.filter(association=association, user=user).update(is_active=False)
            Person.objects.filter(association=association, user=user).update(user=None)
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
    my_photos_remove(user)  # before the records are unlinked from the account
    _unlink(user)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
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

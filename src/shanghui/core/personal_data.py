"""What the core keeps about a person, for their personal-data export and their account's
deletion (collected by ``accounts.personal_data``, which describes the contract): their
inbox (站内通知, by their account) and the delivery log's rows sent to their phone or email
address (收到的消息), as far as ``prune_tasks`` has kept them.

The delivery log has no user key — most recipients have no account, and an account's
deletion would otherwise have to follow the key into every association — so a person's rows
are found by their phone and email address, in each association the export or the deletion
visits (where they hold a role, a record, a registration or a message). On deletion those
rows lose their address, text and params (the status stays as the log); rows in
associations the person never had anything else in are emptied by ``prune_tasks`` after
``TASK_RETENTION_DAYS`` like every other."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from shanghui.core.models import InboxMessage, OutboxMessage
from shanghui.core.notify.kinds import message_kind
from shanghui.core.types import Account, Tenant

MESSAGES = 1000  # the newest, as for the audit logs


def _addressed(user: Account) -> Q:
    addressed = Q(phone=user.phone) if user.phone else Q(pk__in=[])
    if user.email:
        addressed |= Q(email=user.email)
    return addressed


def _kind_label(code: str) -> str:
    try:
        return str(message_kind(code).label) if code else ""
    except Exception:
        return code


def association_ids(user: Account) -> set[int]:
    """Inside the person's ``person_context``: where their inbox holds messages."""
    return set(
        InboxMessage.objects.filter(user=user.pk)
        .values_list("association_id", flat=True)
        .distinct()
    )


def tables(*, association: Tenant, user: Account) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    messages = OutboxMessage.objects.filter(_addressed(user), association=association.pk)
    inbox = InboxMessage.objects.filter(association=association.pk, user=user.pk).order_by(
        "created_at", "id"
    )
    return {
        _("站内通知"): [
            {
                _("类型"): _kind_label(n.kind),
                _("标题"): n.subject,
                _("内容"): n.text,
                _("链接"): n.link,
                _("时间"): n.created_at,
                _("已读时间"): n.read_at,
            }
            for n in inbox
        ],
        _("收到的消息"): [
            {
                _("时间"): m.created_at,
                _("类型"): _kind_label(m.kind),
                _("渠道"): m.get_channel_display(),
                _("手机号"): m.phone,
                _("邮箱"): m.email,
                _("标题"): m.subject,
                _("内容"): m.text,
                _("状态"): m.get_status_display(),
                _("尝试次数"): m.attempts,
            }
            for m in messages.order_by("-created_at")[:MESSAGES]
        ],
    }


def erase(*, association: Tenant, user: Account) -> None:
    """As the account is deleted, inside ``association``'s tenant context: its inbox goes,
    and the delivery log's rows sent to its phone or address keep only their status."""
    InboxMessage.objects.filter(association=association.pk, user=user.pk).delete()
    OutboxMessage.objects.filter(_addressed(user), association=association.pk).update(
        phone="", email="", subject="", text="", params={}, link="", last_error=""
    )


def preferences_table(user: Account) -> list[dict[str, Any]]:
    """The account's notification preferences (a platform table), for the export."""
    from shanghui.core.models import NotificationSettings

    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    if found is None:
        return []
    return [
        {
            _("关闭的通知"): "、".join(found.muted or []),
            _("免打扰开始"): found.quiet_start,
            _("免打扰结束"): found.quiet_end,
            _("修改时间"): found.updated_at,
        }
    ]


def preferences_delete(user: Account) -> None:
    from shanghui.core.models import NotificationSettings

    NotificationSettings.objects.filter(user_id=user.pk).delete()

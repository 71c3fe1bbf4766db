"""What the core keeps about a person, for their personal-data export (collected by
``accounts.personal_data``, which describes the contract): the messages sent to their phone or
email address from the association's outbox, as far as ``prune_tasks`` has kept them."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from shanghui.core.models import OutboxMessage
from shanghui.core.types import Account, Tenant

MESSAGES = 1000  # the newest, as for the audit logs


def tables(*, association: Tenant, user: Account) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    addressed = Q(phone=user.phone) if user.phone else Q(pk__in=[])
    if user.email:
        addressed |= Q(email=user.email)
    messages = OutboxMessage.objects.filter(addressed, association=association.pk)
    return {
        _("收到的消息"): [
            {
                _("时间"): m.created_at,
                _("手机号"): m.phone,
                _("邮箱"): m.email,
                _("标题"): m.subject,
                _("内容"): m.text,
                _("状态"): m.get_status_display(),
            }
            for m in messages.order_by("-created_at")[:MESSAGES]
        ]
    }

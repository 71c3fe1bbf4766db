"""The messages the providers app sends (``core.notifications`` kinds), registered from
contributions: the operator's decision to the applicant, a new lead to the provider's users.
Both are platform messages (no association): a provider is no association's."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.notifications import MessageKind

DECISION = "providers.decision"
NEW_LEAD = "providers.new_lead"

KINDS = (
    MessageKind(
        code=DECISION,
        label=_("服务商入驻审核结果"),
        subject=_("服务商入驻审核：{provider}"),
        text=_("您提交的服务商入驻申请（{provider}）审核结果：{decision}。{reason}"),
        sms_params=("provider", "decision"),
    ),
    MessageKind(
        code=NEW_LEAD,
        label=_("服务商新线索"),
        subject=_("新线索：{offer}"),
        text=_("{provider} 收到一条新线索（{offer}），请登录服务商后台跟进。"),
        sms_params=("provider", "offer"),
    ),
)

"""The messages the associations app sends (``core.notifications`` kinds), registered in
``AssociationsConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.notifications import MessageKind

ONBOARDING_REJECTED = "associations.onboarding_rejected"

KINDS = (
    MessageKind(
        code=ONBOARDING_REJECTED,
        label=_("入驻申请未通过"),
        subject=_("入驻申请未通过"),
        text=_("您为“{name}”提交的入驻申请未通过审核，原因：{reason}"),
        sms_params=("name", "reason"),
    ),
)

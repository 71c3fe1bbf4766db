"""What the associations app's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.associations.models import Association
from shanghui.core.audit import register_action_labels, status_label

register_action_labels(
    {
        "association.update": _("修改商会资料"),
        "association.site": _("修改官网设置"),
        "association.banner": _("更换官网横幅"),
        "association.quota": _("修改资料库存储容量"),
        "association.*": status_label(Association.Status, _("商会状态改为“%(status)s”")),
        "onboarding.apply": _("申请入驻平台"),
        "onboarding.approve": _("批准入驻"),
        "onboarding.reject": _("驳回入驻申请"),
    }
)

"""What the donations ledger's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "charity.donation.record": _("登记捐赠"),
        "charity.donation.reverse": _("冲正捐赠"),
        "charity.donation.acknowledge": _("出具捐赠证明"),
        "charity.evidence.add": _("上传捐赠凭证"),
    }
)

"""What the disclosure part's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels({"charity.settings.update": _("修改慈善公益公开设置")})

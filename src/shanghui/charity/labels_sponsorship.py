"""What student sponsorship's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "charity.beneficiary.create": _("登记受助学生"),
        "charity.beneficiary.update": _("修改受助学生信息"),
        "charity.beneficiary.reveal": _("查看受助学生身份证号"),
        "charity.beneficiary.erase": _("删除受助学生个人信息"),
        "charity.sponsorship.create": _("新建结对资助"),
        "charity.sponsorship.close": _("结束结对资助"),
        "charity.disbursement.generate": _("安排资助发放"),
        "charity.disbursement.pay": _("登记资助发放"),
        "charity.disbursement.alert": _("提醒逾期未发放的资助"),
        "charity.visit.create": _("登记走访"),
        "charity.visit.photo_add": _("上传走访照片"),
        "charity.academic_record.create": _("登记学业情况"),
    }
)

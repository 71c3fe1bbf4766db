"""What the charity app's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "charity.academic_record.create": _("登记学业情况"),
        "charity.beneficiary.create": _("登记受助学生"),
        "charity.beneficiary.erase": _("删除受助学生个人信息"),
        "charity.beneficiary.reveal": _("查看受助学生身份证号"),
        "charity.beneficiary.update": _("修改受助学生信息"),
        "charity.campaign.create": _("创建公益项目"),
        "charity.campaign.update": _("修改公益项目"),
        "charity.disbursement.alert": _("提醒逾期未发放的资助"),
        "charity.disbursement.generate": _("安排资助发放"),
        "charity.disbursement.pay": _("登记资助发放"),
        "charity.distribution.receipt": _("上传物资发放回执"),
        "charity.distribution.record": _("登记物资发放"),
        "charity.distribution.reverse": _("冲正物资发放"),
        "charity.donation.acknowledge": _("出具捐赠证明"),
        "charity.donation.record": _("登记捐赠"),
        "charity.donation.reverse": _("冲正捐赠"),
        "charity.evidence.add": _("上传捐赠凭证"),
        "charity.honor.certificate": _("出具荣誉证书"),
        "charity.honor.create": _("登记荣誉"),
        "charity.honor.image": _("上传荣誉照片"),
        "charity.honor.revoke": _("撤销荣誉"),
        "charity.honor.update": _("修改荣誉"),
        "charity.partner.create": _("添加合作机构"),
        "charity.partner.update": _("修改合作机构"),
        "charity.pledge.cancel": _("取消认捐"),
        "charity.pledge.create": _("登记认捐"),
        "charity.pledge.schedule": _("设置认捐分期"),
        "charity.settings.update": _("修改慈善公益公开设置"),
        "charity.sponsorship.close": _("结束结对资助"),
        "charity.sponsorship.create": _("新建结对资助"),
        "charity.visit.create": _("登记走访"),
        "charity.visit.photo_add": _("上传走访照片"),
    }
)

"""What the org app's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "org.appointment.create": _("任命职务"),
        "org.appointment.update": _("修改任职"),
        "org.appointment.delete": _("删除任职"),
        "org.appointment.restore": _("恢复任职"),
        "org.branch.create": _("新建分会"),
        "org.branch.update": _("修改分会"),
        "org.branch.delete": _("删除分会"),
        "org.branch.restore": _("恢复分会"),
        "org.chart.publish": _("公开组织架构"),
        "org.chart.unpublish": _("取消公开组织架构"),
        "org.committee.create": _("新建专委会"),
        "org.committee.update": _("修改专委会"),
        "org.committee.delete": _("删除专委会"),
        "org.committee.restore": _("恢复专委会"),
        "org.committee_member.add": _("添加专委会成员"),
        "org.committee_member.update": _("修改专委会成员"),
        "org.committee_member.remove": _("移除专委会成员"),
        "org.group_member.create": _("新增团体会员"),
        "org.group_member.update": _("修改团体会员"),
        "org.group_member.delete": _("删除团体会员"),
        "org.post.create": _("新建职务"),
        "org.post.update": _("修改职务"),
        "org.post.delete": _("删除职务"),
        "org.post.restore": _("恢复职务"),
        "org.post.defaults": _("添加常用职务"),
        "org.sharing_consent.grant": _("同意上级商会查看数据"),
        "org.sharing_consent.withdraw": _("撤回上级商会查看数据的同意"),
        "org.sharing_consent.charity_grant": _("同意上级商会查看慈善公益汇总"),
        "org.sharing_consent.charity_withdraw": _("撤回上级商会查看慈善公益汇总的同意"),
        "org.term.create": _("新建届次"),
        "org.term.update": _("修改届次"),
        "org.term.delete": _("删除届次"),
        "org.term.restore": _("恢复届次"),
        "org.term.change": _("换届"),
    }
)

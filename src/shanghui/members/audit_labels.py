"""What the members app's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels, status_label
from shanghui.members.models import Member

register_action_labels(
    {
        "level.activate": _("启用会员级别"),
        "level.deactivate": _("停用会员级别"),
        "level.save": _("保存会员级别"),
        "member.create": _("新增会员"),
        "member.update": _("修改会员资料"),
        "member.status.*": status_label(Member.Status, _("会员状态改为“%(status)s”")),
        "member.logo_set": _("更换会员标志"),
        "member.showcase": _("在官网展示会员"),
        "member.unshowcase": _("取消在官网展示会员"),
        "member.logo_remove": _("删除会员标志"),
        "member.representative.add": _("添加会员代表"),
        "member.representative.remove": _("移除会员代表"),
        "member.representative.restore": _("恢复会员代表"),
        "member.representative.update": _("修改会员代表"),
        "member.reveal_personal_data": _("查看会员完整个人信息"),
        "person.photo_set": _("更换人员照片"),
        "person.photo_remove": _("删除人员照片"),
        "member_application.amend": _("补充入会申请资料"),
        "member_application.approve": _("批准入会申请"),
        "member_application.reject": _("驳回入会申请"),
        "member_application.request_info": _("要求补充入会资料"),
        "member_application.submit": _("提交入会申请"),
        "application.reveal_personal_data": _("查看申请人完整个人信息"),
        "member_import.commit": _("导入会员名单"),
        "member_import.mapping": _("设置导入列对应"),
        "member_import.upload": _("上传会员名单"),
        "membership_policy.update": _("修改入会规则"),
    }
)

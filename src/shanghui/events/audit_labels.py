"""What the events app's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels, status_label
from shanghui.events.models import Registration

register_action_labels(
    {
        "events.audience.set": _("设置活动参加范围"),
        "events.calendar.publish": _("设置公开活动日历"),
        "events.calendar_feed.reset": _("重置日历订阅地址"),
        "events.checkin": _("签到"),
        "events.checkin.reenter": _("再次入场"),
        "events.checkout": _("签退"),
        "events.checkin_list.create": _("新建签到点"),
        "events.checkin_list.update": _("修改签到点"),
        "events.checkin_list.delete": _("删除签到点"),
        "events.checkin_staff.add": _("添加签到人员"),
        "events.checkin_staff.remove": _("移除签到人员"),
        "events.document.add": _("上传活动资料"),
        "events.document.delete": _("删除活动资料"),
        "events.event.create": _("新建活动"),
        "events.event.update": _("修改活动"),
        "events.event.publish": _("发布活动"),
        "events.event.cancel": _("取消活动"),
        "events.feedback": _("提交活动评价"),
        "events.minutes.save": _("保存会议纪要"),
        "events.payment.start": _("发起活动缴费"),
        "events.payment.confirm": _("活动缴费到账"),
        "events.registration.create": _("报名活动"),
        "events.registration.paid": _("登记报名缴费"),
        "events.registration.promote": _("候补转为报名"),
        "events.registration.*": status_label(Registration.Status, _("报名改为“%(status)s”")),
        "events.resolution.add": _("添加会议决议"),
        "events.session.create": _("新建议程"),
        "events.session.update": _("修改议程"),
        "events.session.delete": _("删除议程"),
        "events.ticket_type.create": _("新建票种"),
        "events.ticket_type.update": _("修改票种"),
        "events.ticket_type.delete": _("删除票种"),
        "registration.reveal_personal_data": _("查看报名人完整个人信息"),
    }
)

"""What announcements contribute when the app is ready (called from ``PublishingConfig``):
the message kinds and the recipient sources of the notification center, the back-office
entry, the member's 我的 entry, and who may follow a send's job."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.types import Position


def ready() -> None:
    from shanghui.accounts.permissions import Perm, has_perm
    from shanghui.core.contributions import (
        JOB_KINDS,
        OFFICE_NAV,
        PERSONAL_CENTER,
        JobKind,
        NavItem,
        PersonalEntry,
    )
    from shanghui.core.notifications import MessageKind, register_kind, register_recipient_source
    from shanghui.publishing.services import announcements as services

    def writes(role: Position | None) -> bool:
        return has_perm(role, Perm.EDIT_CONTENT)

    # Params: association (its short name), title, url (the person's own signed link),
    # deadline and reply (the 回执 sentence, empty when none is asked).
    register_kind(
        MessageKind(
            code=services.ANNOUNCEMENT_KIND,
            label=_("通知公告"),
            subject=_("{association}通知：{title}"),
            text=_("{association}发布通知“{title}”。{reply}请点击查看：{url}"),
            sms_params=("association", "title", "url"),
            wechat_keywords={"thing1": "title", "thing2": "association"},
        )
    )
    register_kind(
        MessageKind(
            code=services.REMINDER_KIND,
            label=_("通知未读提醒"),
            subject=_("{association}提醒：{title}"),
            text=_("您尚未阅读{association}的通知“{title}”。{reply}请点击查看：{url}"),
            sms_params=("association", "title", "url"),
            wechat_keywords={"thing1": "title", "thing2": "association"},
        )
    )
    JOB_KINDS.register(
        JobKind(services.JOB_KIND, lambda role: has_perm(role, Perm.PUBLISH_CONTENT))
    )
    register_recipient_source(services.SOURCE_ALL, services.source_all)
    register_recipient_source(services.SOURCE_UNREAD, services.source_unread)
    OFFICE_NAV.register(
        NavItem(
            label=_("通知公告"),
            url_name="publishing:office_announcements",
            visible_to=writes,
            order=56,
        )
    )
    PERSONAL_CENTER.register(
        PersonalEntry(
            title=_("我的通知"),
            url_name="publishing:announcements",
            icon="card",
            visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
            order=15,
        )
    )

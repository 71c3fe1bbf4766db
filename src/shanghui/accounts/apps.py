from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shanghui.accounts"
    label = "accounts"

    def ready(self) -> None:
        from shanghui.accounts import messages
        from shanghui.core.notifications import register_kinds

        register_kinds(messages.KINDS)  # its message kinds (core.notifications)
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.contributions import (
            JOB_KINDS,
            MOBILE_TABS,
            OFFICE_NAV,
            PERSONAL_CENTER,
            PLATFORM_NAV,
            JobKind,
            NavItem,
            PersonalEntry,
        )
        from shanghui.core.inbox import request_unread_count

        MOBILE_TABS.register(
            NavItem(
                label=_("我的"),
                url_name="accounts:space_me",
                icon="me",
                lit="personal",
                order=40,
                # The person's unread messages from every association (消息 on 我的).
                badge=request_unread_count,
            )
        )
        # A broadcast of the notification center (core.notifications.broadcast) started
        # without a kind of its app's: followed by those who manage members.
        JOB_KINDS.register(
            JobKind(
                prefix="core.broadcast",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_MEMBERS),
            )
        )
        PERSONAL_CENTER.register(
            PersonalEntry(
                title=_("我的照片"),
                url_name="accounts:space_me_photo",
                icon="photo",
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=40,
            )
        )
        # The association's own back-office pages and the platform console (accounts/views).
        for item in (
            NavItem(
                label=_("人员与角色"),
                url_name="accounts:office_roles",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_ROLES),
                order=60,
            ),
            NavItem(
                label=_("未送达"),
                url_name="accounts:office_deliveries",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_MEMBERS),
                order=65,
            ),
            NavItem(
                label=_("操作日志"),
                url_name="accounts:office_audit",
                visible_to=lambda role: has_perm(role, Perm.VIEW_AUDIT),
                order=70,
            ),
            NavItem(
                label=_("商会设置"),
                url_name="accounts:office_settings",
                visible_to=lambda role: has_perm(role, Perm.EDIT_SETTINGS),
                order=90,
            ),
        ):
            OFFICE_NAV.register(item)
        for item in (
            NavItem(label=_("概览"), url_name="accounts:platform_dashboard", lit="exact", order=10),
            NavItem(label=_("入驻审核"), url_name="accounts:platform_applications", order=20),
            NavItem(label=_("商协会"), url_name="accounts:platform_associations", order=30),
        ):
            PLATFORM_NAV.register(item)

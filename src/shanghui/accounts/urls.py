from django.urls import path

from shanghui.accounts.views import (
    association,
    invitations,
    me,
    notifications,
    onboarding,
    platform,
    roles,
    signin,
)
from shanghui.core.urls import OFFICE, SPACE

app_name = "accounts"

urlpatterns = [
    path("login/", signin.login_view, name="login"),
    path("logout/", signin.logout_view, name="logout"),
    path("login/code/", signin.login_code, name="login_code"),
    path("login/code/confirm/", signin.login_code_confirm, name="login_code_confirm"),
    path("password/reset/", signin.password_reset, name="password_reset"),
    path("password/reset/confirm/", signin.password_reset_confirm, name="password_reset_confirm"),
    path("me/", me.me, name="me"),
    path("me/profile/", me.profile, name="profile"),
    path("me/password/", me.password_change, name="password_change"),
    path("me/phone-visibility/", me.phone_visibility, name="phone_visibility"),
    path("me/photo/", me.me_photo, name="me_photo"),
    path("me/wechat/", me.wechat_start, name="wechat_start"),
    path("me/wechat/callback/", me.wechat_callback, name="wechat_callback"),
    path("me/wechat/unbind/", me.wechat_unbind, name="wechat_unbind"),
    path("me/tokens/", me.token_list, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", me.token_revoke, name="token_revoke"),
    path("me/data.<str:fmt>", me.data_export, name="data_export"),
    path("me/delete/", me.account_delete_view, name="account_delete"),
    path("me/inbox/", notifications.inbox, name="inbox"),
    path("me/inbox/read/", notifications.inbox_read, name="inbox_read"),
    path(
        "me/notifications/",
        notifications.notification_preferences,
        name="notification_preferences",
    ),
    # /join/…: applying to join the platform (入驻).
    path("join/", onboarding.onboarding_apply, name="onboarding_apply"),
    path("join/done/", onboarding.onboarding_done, name="onboarding_done"),
    # /platform/…: the platform console.
    path("platform/", platform.platform_dashboard, name="platform_dashboard"),
    path("platform/applications/", platform.platform_applications, name="platform_applications"),
    path(
        "platform/applications/<int:application_id>/",
        platform.platform_application,
        name="platform_application",
    ),
    path(
        "platform/applications/<int:application_id>/certificate/",
        platform.platform_application_certificate,
        name="platform_application_certificate",
    ),
    path("platform/associations/", platform.platform_associations, name="platform_associations"),
    path(
        "platform/associations/<int:association_id>/reinvite/",
        platform.platform_association_reinvite,
        name="platform_association_reinvite",
    ),
    path(
        "platform/associations/<int:association_id>/quota/",
        platform.platform_association_quota,
        name="platform_association_quota",
    ),
    path(
        "platform/associations/<int:association_id>/status/",
        platform.platform_association_status,
        name="platform_association_status",
    ),
    # /a/<association_slug>/…: 我的 in the member space (the tab bar's last tab); space_me and
    # space_me_photo, as /me/ and /me/photo/ above already hold the names me and me_photo …
    path(f"{SPACE}invite/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path(f"{SPACE}me/", me.space_me, name="space_me"),
    path(f"{SPACE}me/photo/", me.space_me_photo, name="space_me_photo"),
    # … /a/<association_slug>/office/…: the association's people and roles, its audit log and
    # its settings …
    path(f"{OFFICE}roles/", roles.office_roles, name="office_roles"),
    path(
        f"{OFFICE}roles/<int:role_id>/revoke/", roles.office_role_revoke, name="office_role_revoke"
    ),
    path(
        f"{OFFICE}roles/<int:role_id>/change/", roles.office_role_change, name="office_role_change"
    ),
    path(
        f"{OFFICE}roles/<int:role_id>/grants/", roles.office_role_grants, name="office_role_grants"
    ),
    path(
        f"{OFFICE}roles/<int:role_id>/reinvite/",
        roles.office_role_reinvite,
        name="office_role_reinvite",
    ),
    path(f"{OFFICE}audit/", association.office_audit, name="office_audit"),
    path(f"{OFFICE}deliveries/", notifications.office_deliveries, name="office_deliveries"),
    path(
        f"{OFFICE}deliveries/resend/",
        notifications.office_deliveries_resend,
        name="office_deliveries_resend",
    ),
    path(f"{OFFICE}settings/", association.office_settings, name="office_settings"),
    # … and /a/<association_slug>/office/me/: the secretariat's 个人中心 in the back office.
    path(f"{OFFICE}me/", me.office_me, name="office_me"),
]

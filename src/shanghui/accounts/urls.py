from django.urls import path

from shanghui.accounts.views import (
    association,
    invitations,
    me,
    onboarding,
    platform,
    roles,
    signin,
)

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
]

# /join/…: applying to join the platform (入驻).
onboarding_urlpatterns = [
    path("", onboarding.onboarding_apply, name="onboarding_apply"),
    path("done/", onboarding.onboarding_done, name="onboarding_done"),
]

# /platform/…: the platform console (namespace "platform").
platform_urlpatterns = [
    path("", platform.platform_dashboard, name="dashboard"),
    path("applications/", platform.platform_applications, name="applications"),
    path("applications/<int:application_id>/", platform.platform_application, name="application"),
    path(
        "applications/<int:application_id>/certificate/",
        platform.platform_application_certificate,
        name="application_certificate",
    ),
    path("associations/", platform.platform_associations, name="associations"),
    path(
        "associations/<int:association_id>/reinvite/",
        platform.platform_association_reinvite,
        name="association_reinvite",
    ),
    path(
        "associations/<int:association_id>/status/",
        platform.platform_association_status,
        name="association_status",
    ),
]

# /a/<association_slug>/…: 我的 in the member space (the tab bar's last tab) …
space_urlpatterns = [
    path("invite/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("me/", me.space_me, name="me"),
    path("me/photo/", me.space_me_photo, name="me_photo"),
]

# … /a/<association_slug>/office/…: the association's people and roles, its audit log and its
# settings …
association_office_urlpatterns = [
    path("roles/", roles.office_roles, name="roles"),
    path("roles/<int:role_id>/revoke/", roles.office_role_revoke, name="role_revoke"),
    path("roles/<int:role_id>/change/", roles.office_role_change, name="role_change"),
    path("roles/<int:role_id>/reinvite/", roles.office_role_reinvite, name="role_reinvite"),
    path("audit/", association.office_audit, name="audit"),
    path("settings/", association.office_settings, name="settings"),
]

# … and /a/<association_slug>/office/me/: the secretariat's 个人中心 in the back office.
office_urlpatterns = [
    path("me/", me.office_me, name="me"),
]

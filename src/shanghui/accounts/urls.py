from django.urls import path

from shanghui.accounts import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/code/", views.login_code, name="login_code"),
    path("login/code/confirm/", views.login_code_confirm, name="login_code_confirm"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/confirm/", views.password_reset_confirm, name="password_reset_confirm"),
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/phone-visibility/", views.phone_visibility, name="phone_visibility"),
    path("me/photo/", views.me_photo, name="me_photo"),
    path("me/wechat/", views.wechat_start, name="wechat_start"),
    path("me/wechat/callback/", views.wechat_callback, name="wechat_callback"),
    path("me/wechat/unbind/", views.wechat_unbind, name="wechat_unbind"),
    path("me/tokens/", views.token_list, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("me/data.<str:fmt>", views.data_export, name="data_export"),
    path("me/delete/", views.account_delete_view, name="account_delete"),
]

# /a/<association_slug>/…: 我的 in the member space (the tab bar's last tab) …
space_urlpatterns = [
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("me/", views.space_me, name="me"),
    path("me/photo/", views.space_me_photo, name="me_photo"),
]

# … and /a/<association_slug>/office/me/: the secretariat's 个人中心 in the back office.
office_urlpatterns = [
    path("me/", views.office_me, name="me"),
]

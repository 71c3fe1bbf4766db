"""What the accounts app's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "account.delete": _("注销账号"),
        "account.phone_visibility": _("设置手机号公开范围"),
        "account.photo_set": _("更换个人照片"),
        "account.photo_remove": _("删除个人照片"),
        "account.update": _("修改个人资料"),
        "account.wechat_bind": _("绑定微信"),
        "account.wechat_unbind": _("解绑微信"),
        "api_token.create": _("创建接口令牌"),
        "api_token.revoke": _("吊销接口令牌"),
        "api_token.revoke_all": _("吊销全部接口令牌"),
        "auth.password_change": _("修改密码"),
        "auth.password_reset": _("重置密码"),
        "auth.password_reset_request": _("申请重置密码"),
        "auth.sign_in": _("登录"),
        "auth.sign_in_code_request": _("申请登录验证码"),
        "invitation.accept": _("接受邀请"),
        "invitation.send": _("发送邀请"),
        "role.change": _("修改角色"),
        "role.grants": _("修改额外权限"),
        "role.grant": _("授予角色"),
        "role.revoke": _("撤销角色"),
    }
)

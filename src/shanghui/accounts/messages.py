"""The messages the accounts app sends (``core.notifications`` kinds), registered in
``AccountsConfig.ready``. One-time codes and invitations are urgent: they ignore quiet hours
and opt-outs."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.notifications import MessageKind

SIGN_IN_CODE = "accounts.signin_code"
PASSWORD_RESET_CODE = "accounts.password_reset_code"  # noqa: S105 (a kind, no secret)
INVITATION = "accounts.invitation"
INVITATION_NEW_ACCOUNT = "accounts.invitation_new_account"
ROLE_GRANTED = "accounts.role_granted"

KINDS = (
    MessageKind(
        code=SIGN_IN_CODE,
        label=_("登录验证码"),
        subject=_("登录验证码"),
        text=_("您的登录验证码为 {code}，10 分钟内有效。如非本人操作请忽略。"),
        sms_params=("code",),
        urgent=True,
        channels=("sms",),
    ),
    MessageKind(
        code=PASSWORD_RESET_CODE,
        label=_("重置密码验证码"),
        subject=_("重置密码"),
        text=_("您的验证码为 {code}，10 分钟内有效。如非本人操作请忽略。"),
        sms_params=("code",),
        urgent=True,
        channels=("sms",),
    ),
    MessageKind(
        code=INVITATION,
        label=_("加入邀请"),
        subject=_("{name} 邀请您加入云商会"),
        text=_("{name} 邀请您以“{role}”身份加入，请在 {days} 天内登录云商会后打开链接接受：{link}"),
        sms_params=("name", "role", "days", "link"),
        urgent=True,
        channels=("sms", "wechat", "email"),
    ),
    MessageKind(
        code=INVITATION_NEW_ACCOUNT,
        label=_("开通账号邀请"),
        subject=_("{name} 邀请您加入云商会"),
        text=_("{name} 邀请您开通云商会账号，请在 {days} 天内打开链接设置密码：{link}"),
        sms_params=("name", "days", "link"),
        urgent=True,
        channels=("sms", "wechat", "email"),
    ),
    MessageKind(
        code=ROLE_GRANTED,
        label=_("角色变更"),
        subject=_("{name}"),
        text=_("您已被加入“{name}”，角色：{role}。登录云商会即可使用。"),
        sms_params=("name", "role"),
    ),
)

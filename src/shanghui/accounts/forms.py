from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shanghui.accounts.models import Role
from shanghui.core.phone import normalize_mobile


class PhoneField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("手机号"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel", "placeholder": "13812345678"}
        )

    def clean(self, value: object) -> str:
        raw = super().clean(value)
        return normalize_mobile(raw) if raw else raw


class LoginForm(forms.Form):
    phone = PhoneField()
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PasswordResetRequestForm(forms.Form):
    phone = PhoneField()


class SignInCodeForm(forms.Form):
    """Sign in with the code sent by SMS (the step a phone locked at this address takes)."""

    phone = PhoneField()
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label=_("当前密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 10 位，不要全是数字，不要包含手机号"),
    )
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password2"):
            raise ValidationError(_("两次输入的密码不一致"))
        return data


class PasswordResetConfirmForm(forms.Form):
    phone = PhoneField()
    code = forms.CharField(label=_("短信验证码"), max_length=6, min_length=6)
    new_password = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 10 位，不要全是数字，不要包含手机号"),
    )
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password2"):
            raise ValidationError(_("两次输入的密码不一致"))
        return data


class AcceptInvitationForm(forms.Form):
    password = forms.CharField(
        label=_("设置密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 10 位，不要全是数字，不要包含手机号"),
    )
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput)
    accept_privacy = forms.BooleanField(label=_("我已阅读并同意《隐私政策》"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") != data.get("password2"):
            raise ValidationError(_("两次输入的密码不一致"))
        return data


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    email = forms.EmailField(label=_("邮箱"), required=False)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("输入密码以确认"), widget=forms.PasswordInput)


class InviteForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = PhoneField()
    role = forms.ChoiceField(label=_("角色"), choices=Role.Kind.choices, initial=Role.Kind.STAFF)
    email = forms.EmailField(label=_("邮箱"), required=False)


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.Kind.choices)

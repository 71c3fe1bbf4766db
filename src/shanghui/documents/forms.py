"""The library's forms (back office). The audience rules reuse ``events.forms.audience_form``,
the one builder every page with ``core.audience`` rules shares."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.documents.models import Folder
from shanghui.documents.services.folders import TEMPLATES
from shanghui.documents.services.shares import SHARE_DAYS_DEFAULT, SHARE_DAYS_MAX

TEMPLATE_CHOICES = [
    ("", _("空文件夹")),
    ("year", _("年度文件夹（会议纪要、通知公告、财务资料……）")),
    ("meeting", _("会议文件夹（会议通知、议程、签到表……）")),
]
assert {key for key, _label in TEMPLATE_CHOICES if key} == set(TEMPLATES)


class FolderNewForm(forms.Form):
    name = forms.CharField(
        label=_("文件夹名称"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": "2026年"}),
    )
    template = forms.ChoiceField(label=_("模板"), choices=TEMPLATE_CHOICES, required=False)


class FolderEditForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120)
    parent = forms.TypedChoiceField(label=_("位置"), coerce=int)
    audience = forms.ChoiceField(
        label=_("可见范围"),
        choices=Folder.Audience.choices,
        widget=forms.RadioSelect,
        help_text=_("秘书处始终可见；会员只能看到其上级文件夹也对其可见的文件夹。"),
    )


class FileEditForm(forms.Form):
    name = forms.CharField(label=_("文件名"), max_length=200)
    folder = forms.TypedChoiceField(label=_("位置"), coerce=int)


class ShareForm(forms.Form):
    days = forms.IntegerField(
        label=_("有效期（天）"), min_value=1, max_value=SHARE_DAYS_MAX, initial=SHARE_DAYS_DEFAULT
    )
    password = forms.CharField(
        label=_("提取密码"),
        required=False,
        max_length=64,
        help_text=_("可不填；填写后，打开链接的人须输入密码才能下载"),
    )


class SharePasswordForm(forms.Form):
    password = forms.CharField(
        label=_("提取密码"), max_length=64, widget=forms.PasswordInput(render_value=False)
    )


class ModuleFileSaveForm(forms.Form):
    """存入资料库: another module's file into a folder of the library."""

    name = forms.CharField(
        label=_("文件名"),
        max_length=255,
        help_text=_("文件夹中已有同名文件时，存为它的新版本"),
    )
    folder = forms.TypedChoiceField(label=_("存入文件夹"), coerce=int)

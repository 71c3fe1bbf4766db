"""The forms of the announcement pages: the draft (title, rich text, audience, 回执), the
audience rules, an attachment, and the 回执 itself (built from the stored definition)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shanghui.core.forms import DateTimeInput
from shanghui.core.library import FileOrLibraryForm
from shanghui.core.richtext import RichTextarea
from shanghui.publishing.models import Announcement
from shanghui.publishing.services.announcements import NO, YES, reply_fields_parse

PLACEHOLDER = "\n".join(
    [
        "是否参加 | 是否 | 必填",
        "参会人数 | 数字 | 必填",
        "午餐 | 选择 | 选填 | 需要/不需要",
        "备注 | 文本",
    ]
)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("正文"), required=False, widget=RichTextarea())
    audience = forms.ChoiceField(
        label=_("发送范围"),
        choices=Announcement.Audience.choices,
        help_text=_("选择“指定范围”后，在通知页设置具体的级别、专委会、职务或人员。"),
    )
    reply_fields = forms.CharField(
        label=_("回执表单"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": PLACEHOLDER}),
        help_text=_(
            "不需要回执请留空。每行一项：名称 | 类型（文本/选择/数字/是否） | 必填或选填 | "
            "选项（用 / 分隔，仅“选择”需要）"
        ),
    )
    reply_deadline = forms.DateTimeField(
        label=_("回执截止时间"), required=False, widget=DateTimeInput()
    )

    def clean_reply_fields(self) -> list[dict[str, Any]]:
        # The service's errors name their field ({"reply_fields": …}); a field's clean method
        # must raise plain messages, or Django refuses them (a TypeError, a 500).
        try:
            return reply_fields_parse(self.cleaned_data.get("reply_fields") or "")
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("reply_fields", exc.messages)) from exc


# What an attachment may be, uploaded or picked from the document library.
ATTACHMENT_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png", "docx", "xlsx", "pptx"})


class AttachmentForm(FileOrLibraryForm):
    file = forms.FileField(
        label=_("附件"), help_text=_("PDF、图片、Word、Excel 或 PPT 文件"), required=False
    )


def reply_form_class(fields: list[dict[str, Any]]) -> type[forms.Form]:
    """A form with one field per 回执 field (``f1``, ``f2`` …); the service checks again."""
    declared: dict[str, forms.Field] = {}
    for item in fields:
        common = {"label": item["label"], "required": item["required"]}
        if item["type"] == "choice":
            choices = [("", "—"), *[(c, c) for c in item["choices"]]]
            declared[item["key"]] = forms.ChoiceField(choices=choices, **common)
        elif item["type"] == "yesno":
            declared[item["key"]] = forms.ChoiceField(
                choices=[(YES, _("是")), (NO, _("否"))],
                widget=forms.RadioSelect,
                **common,
            )
        elif item["type"] == "number":
            declared[item["key"]] = forms.CharField(
                max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
            )
        else:
            declared[item["key"]] = forms.CharField(
                max_length=500, widget=forms.Textarea(attrs={"rows": 2}), **common
            )
    return type("ReplyForm", (forms.Form,), declared)

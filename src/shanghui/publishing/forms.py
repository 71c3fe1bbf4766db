"""The back office's forms for articles, categories, pictures and the WeChat import."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.core.forms import DateTimeInput
from shanghui.core.richtext import RichTextarea
from shanghui.publishing.models import Article


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    category = forms.ChoiceField(label=_("栏目"), required=False)
    summary = forms.CharField(
        label=_("摘要"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("列表和分享卡片上显示；不填则不显示"),
    )
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=RichTextarea(attrs={"rows": 16}),
        help_text=_("可设置加粗、标题、列表和链接；脚本和外部图片会被自动去掉"),
    )
    cover = forms.ChoiceField(label=_("封面图片"), required=False)
    tags = forms.CharField(
        label=_("标签"), max_length=200, required=False, help_text=_("用逗号分隔，最多 8 个")
    )
    author_name = forms.CharField(label=_("作者"), max_length=50, required=False)
    audience = forms.ChoiceField(
        label=_("阅读范围"),
        choices=Article.Audience.choices,
        help_text=_("选择“指定范围”时，在下方勾选会员级别、专委会、职务、理事会或指定人员"),
    )
    source_url = forms.CharField(label=_("原文链接"), max_length=200, required=False)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[str, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Its audience rules are on the shared audience form (events.forms.audience_form).
        for name, options in choices.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("定时发布"),
        widget=DateTimeInput(),
        required=False,
        help_text=_("不填则立即发布；填写将来的时间则到时自动出现"),
    )


class ImageForm(forms.Form):
    image = forms.FileField(label=_("图片（JPG、PNG）"))
    use = forms.ChoiceField(
        label=_("用作"),
        choices=[("body", _("插入正文末尾")), ("cover", _("设为封面"))],
        initial="body",
    )


class ImportForm(forms.Form):
    url = forms.CharField(
        label=_("公众号文章链接"),
        max_length=500,
        required=False,
        help_text=_("以 https://mp.weixin.qq.com/ 开头的文章链接"),
    )
    html = forms.CharField(
        label=_("或粘贴文章网页源代码"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("栏目名称"), max_length=20)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=0)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=200, required=False)

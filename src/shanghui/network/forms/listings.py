"""The listing forms. They only shape the input; ``services.listings`` and
``services.moderation`` validate it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.core.forms import DateInput, RegionField
from shanghui.core.industries import divisions
from shanghui.network.models import ListingKind, ListingReport, Visibility


def industry_choices() -> list[tuple[str, str]]:
    return [("", "——")] + [(i.code, f"{i.code} {i.name}") for i in divisions()]


class ListingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ListingKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("标题"), max_length=60)
    body = forms.CharField(
        label=_("详细说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    industry_code = forms.ChoiceField(label=_("行业"), choices=())
    region_code = RegionField(label=_("地区"), required=True)
    quantity = forms.CharField(
        label=_("数量"), required=False, max_length=60, help_text=_("例如：500 吨/月")
    )
    budget = forms.CharField(
        label=_("预算（元）"), required=False, max_length=20, help_text=_("需求可填写预算")
    )
    valid_until = forms.DateField(label=_("有效期至"), widget=DateInput(), help_text=_("最长一年"))
    visibility = forms.ChoiceField(label=_("可见范围"), choices=(), widget=forms.RadioSelect)
    contact = forms.CharField(
        label=_("联系方式"),
        required=False,
        max_length=200,
        help_text=_("其他商会的会员看不到；洽谈中由您决定是否告知对方"),
    )
    contact_visible_to_members = forms.BooleanField(label=_("本会会员可见联系方式"), required=False)

    def __init__(self, *args: object, platform: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["industry_code"].choices = industry_choices()  # type: ignore[attr-defined]
        choices = [c for c in Visibility.choices if platform or c[0] != Visibility.PLATFORM]
        self.fields["visibility"].choices = choices  # type: ignore[attr-defined]


class ImageForm(forms.Form):
    image = forms.ImageField(label=_("图片"))


class RenewForm(forms.Form):
    valid_until = forms.DateField(label=_("新的有效期至"), widget=DateInput(), required=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("举报原因"), choices=ListingReport.Reason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("补充说明"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=(("approve", _("通过并发布")), ("reject", _("不通过"))),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("审核意见"), required=False, max_length=200)


class TakeDownForm(forms.Form):
    reason = forms.CharField(label=_("下架原因"), max_length=200)
    block_poster = forms.BooleanField(label=_("同时暂停发布人发布供需信息"), required=False)


class ReportHandleForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"),
        choices=(("take_down", _("下架该信息")), ("dismiss", _("不予处理"))),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("处理说明"), required=False, max_length=200)
    block_poster = forms.BooleanField(label=_("暂停发布人使用平台供需网络"), required=False)


class BlockForm(forms.Form):
    listing_id = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("原因"), max_length=200)


class SettingsForm(forms.Form):
    joins_platform = forms.BooleanField(
        label=_("加入平台供需网络"),
        required=False,
        help_text=_(
            "加入后，会员可选择把供需信息发布到平台，其他已加入商会的会员可以搜索到"
            "（不含联系方式）；本会会员也能看到其他商会发布到平台的信息。"
        ),
    )
    moderate_before_publishing = forms.BooleanField(label=_("发布前由秘书处审核"), required=False)


class WordForm(forms.Form):
    word = forms.CharField(label=_("敏感词"), max_length=32)

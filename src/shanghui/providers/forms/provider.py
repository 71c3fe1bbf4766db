"""Forms of applying, vetting and the provider back office; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.core.forms import DateInput, RegionSelect
from shanghui.providers.models import Category, Lead, ProviderUser


class ProviderApplyForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=100)
    category = forms.ChoiceField(label=_("机构类别"), choices=Category.choices)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    licence_number = forms.CharField(label=_("许可证编号"), max_length=60)
    licence = forms.FileField(
        label=_("许可证扫描件"),
        help_text=_("PDF、JPG 或 PNG，不超过 10 MB"),
    )
    region_code = forms.CharField(label=_("所在地区"), widget=RegionSelect)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系人手机号"), max_length=20)
    website = forms.CharField(label=_("网站"), max_length=200, required=False)
    introduction = forms.CharField(
        label=_("机构简介"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ProviderDecisionForm(forms.Form):
    reason = forms.CharField(label=_("理由（驳回、暂停时必填）"), max_length=300, required=False)


class OfferForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=60)
    summary = forms.CharField(label=_("摘要"), max_length=200)
    body = forms.CharField(
        label=_("详细介绍"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    annual_rate_min = forms.CharField(
        label=_("年化利率下限（%）"),
        max_length=10,
        required=False,
        help_text=_("贷款类产品必填，例如 3.45"),
    )
    annual_rate_max = forms.CharField(label=_("年化利率上限（%）"), max_length=10, required=False)
    region_codes = forms.CharField(
        label=_("服务地区"),
        max_length=200,
        required=False,
        help_text=_("行政区划代码，多个用逗号分隔；不填为全国"),
    )
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DateInput)
    is_course = forms.BooleanField(label=_("培训课程（商会可办成培训活动）"), required=False)


class LeadStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Lead.Status.choices)


class LeadNoteForm(forms.Form):
    text = forms.CharField(
        label=_("跟进记录"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProviderUserForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20)
    kind = forms.ChoiceField(
        label=_("身份"), choices=ProviderUser.Kind.choices, initial=ProviderUser.Kind.STAFF
    )

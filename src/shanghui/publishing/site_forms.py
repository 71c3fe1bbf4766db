"""The form of the public site's settings page (官网设置)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.publishing.services.site import FIELDS, SiteSettingsData


class SiteSettingsForm(forms.Form):
    introduction = forms.CharField(
        label=_("商会简介"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    banner = forms.ImageField(
        label=_("横幅图片"),
        required=False,
        help_text=_("JPG 或 PNG，宽图最佳（如 1600×600），官网首页顶部显示"),
    )
    remove_banner = forms.BooleanField(label=_("删除现有横幅"), required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)
    contact_address = forms.CharField(label=_("联系地址"), max_length=200, required=False)
    icp_number = forms.CharField(
        label=_("ICP备案号"),
        max_length=40,
        required=False,
        help_text=_("如 京ICP备12345678号-1，显示在官网页脚"),
    )
    showcase_enabled = forms.BooleanField(
        label=_("展示会员风采"),
        required=False,
        help_text=_("在官网展示已同意展示的企业会员（名称、标志、行业、主营产品）"),
    )
    publish_calendar = forms.BooleanField(
        label=_("公开活动日历"), required=False, help_text=_("面向公众的活动显示在官网")
    )
    publish_chart = forms.BooleanField(
        label=_("公开组织架构"),
        required=False,
        help_text=_("官网显示本届领导班子和组织架构图（仅姓名和职务）"),
    )
    share_news_to_portal = forms.BooleanField(
        label=_("资讯同步到平台门户"),
        required=False,
        help_text=_("公开资讯同时显示在云商会首页的商会资讯中"),
    )

    def settings(self) -> SiteSettingsData:
        return SiteSettingsData(**{name: self.cleaned_data[name] for name in FIELDS})

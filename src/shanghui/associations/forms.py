from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.associations.models import Association
from shanghui.core.forms import DateInput, PhoneInput, RegionField
from shanghui.core.regions import children, provinces


def region_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Prefecture-level cities (and municipalities' districts) grouped by province — the
    level at which associations register."""
    groups = []
    for province in provinces():
        options = [(province.code, province.name)]
        for child in children(province.code):
            options.append((child.code, f"{province.name}{child.name}"))
        groups.append((province.name, options))
    return groups


class OnboardingForm(forms.Form):
    name = forms.CharField(
        label=_("商协会全称"), max_length=100, help_text=_("与社会团体法人登记证书一致")
    )
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False)
    slug = forms.CharField(
        label=_("网址标识"),
        max_length=40,
        help_text=_("3–40 位小写字母、数字或连字符，如 gdjx；将用于您的专属网址"),
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Association.Kind.choices)
    region_code = RegionField(label=_("所在地区"), required=True)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=DateInput())
    introduction = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    certificate = forms.FileField(
        label=_("社会团体法人登记证书"), help_text=_("PDF、JPG 或 PNG，不超过 20 MB")
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系人手机号"), max_length=20, widget=PhoneInput())
    contact_email = forms.EmailField(label=_("联系人邮箱"), required=False)
    note = forms.CharField(
        label=_("补充说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    accept_privacy = forms.BooleanField(label=_("我已阅读并同意《隐私政策》"), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("驳回理由"), widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(Association.Status.ACTIVE, _("恢复")), (Association.Status.SUSPENDED, _("暂停"))]
    )
    reason = forms.CharField(label=_("原因"), required=False)


class QuotaForm(forms.Form):
    quota_gb = forms.DecimalField(
        label=_("存储容量（GB）"), min_value=1, max_value=102400, decimal_places=1
    )


class ProfileForm(forms.Form):
    # The introduction is edited on 官网设置 (publishing:office_site_settings) only.
    short_name = forms.CharField(label=_("简称"), max_length=30)

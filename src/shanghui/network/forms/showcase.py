"""The showcase forms. They only shape the input; ``services.showcase`` validates it."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ShowcaseOptInForm(forms.Form):
    network_showcase = forms.BooleanField(
        label=_("加入平台企业展示与供需匹配"),
        required=False,
        help_text=_(
            "加入后，平台上其他商会的会员可以看到贵企业的名称、行业、地区和产品服务，"
            "并可能在供需匹配中推荐贵企业；不会显示任何个人信息或联系方式。可随时退出。"
        ),
    )


class ShowcaseItemForm(forms.Form):
    name = forms.CharField(label=_("产品/服务"), max_length=60)
    description = forms.CharField(
        label=_("介绍"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    position = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=0)
    image = forms.ImageField(label=_("图片"), required=False, help_text=_("JPEG 或 PNG"))

"""The charity settings form (公开与共享)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.charity.services.disclosure import INTRO_LIMIT


class CharitySettingsForm(forms.Form):
    disclose_publicly = forms.BooleanField(
        label=_("公开慈善公益信息"),
        required=False,
        help_text=_(
            "开启后，公众可在商会官网查看捐赠总额、公开的公益项目、商会获得的荣誉和同意署名的"
            "捐赠方；受助学生的信息任何时候都不公开。"
        ),
    )
    public_intro = forms.CharField(
        label=_("公开页简介"),
        required=False,
        max_length=INTRO_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

"""The honor form. It only shapes the input; ``services.honors`` validates it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.charity.models import Honor
from shanghui.core.forms import DateInput


class HonorForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("类别"), choices=Honor.Direction.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("荣誉名称"), max_length=100)
    awarded_by = forms.CharField(
        label=_("授予单位"), max_length=100, help_text=_("授予会员的荣誉一般为本会")
    )
    awarded_on = forms.DateField(label=_("授予日期"), widget=DateInput())
    member = forms.CharField(
        label=_("获得荣誉的会员"),
        max_length=100,
        required=False,
        help_text=_("会员编号或会员全称"),
    )
    recipient_name = forms.CharField(
        label=_("获得者名称"),
        max_length=100,
        required=False,
        help_text=_("授予非会员的捐赠方时填写；选择了会员则默认为会员名称"),
    )
    campaign = forms.TypedChoiceField(
        label=_("相关公益项目"), coerce=int, required=False, empty_value=None, choices=()
    )
    description = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    shown_on_card = forms.BooleanField(
        label=_("会员同意在名片展示"),
        required=False,
        help_text=_("仅在会员本人同意后勾选；勾选后该荣誉显示在会员名片上"),
    )
    is_public = forms.BooleanField(label=_("在公开页展示"), required=False)

    def __init__(
        self,
        *args: object,
        campaigns: list[tuple[int, str]],
        fixed_direction: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["campaign"].choices = [("", "—"), *campaigns]  # type: ignore[attr-defined]
        if fixed_direction:
            self.fields["direction"].disabled = True


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=300)

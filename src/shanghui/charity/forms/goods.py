"""Forms of the goods distribution pages. They only shape the input; the services validate
it, so the pages and the API refuse the same things with the same messages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shanghui.core.forms import DateInput


class DistributionForm(forms.Form):
    campaign = forms.TypedChoiceField(
        label=_("公益项目"), coerce=int, choices=(), widget=forms.HiddenInput
    )
    recipient = forms.TypedChoiceField(
        label=_("接收单位"),
        coerce=int,
        choices=(),
        help_text=_("在“合作机构”中添加学校等接收单位"),
    )
    item = forms.CharField(label=_("物资"), max_length=50)
    quantity = forms.CharField(
        label=_("数量"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    unit = forms.CharField(
        label=_("单位"), max_length=10, required=False, help_text=_("留空则沿用捐赠记录的单位")
    )
    distributed_on = forms.DateField(
        label=_("发放日期"), widget=DateInput(), initial=timezone.localdate
    )
    receipt = forms.FileField(
        label=_("接收单位回执"),
        required=False,
        help_text=_("学校签收的回执，PDF、JPG 或 PNG，可稍后补传"),
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(
        self,
        *args: object,
        campaigns: list[tuple[int, str]],
        partners: list[tuple[int, str]],
        items: list[str],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["campaign"].choices = [("", "—"), *campaigns]  # type: ignore[attr-defined]
        self.fields["recipient"].choices = [("", "—"), *partners]  # type: ignore[attr-defined]
        if items:
            self.fields["item"].widget = forms.Select(choices=[(i, i) for i in items])


class ReceiptForm(forms.Form):
    receipt = forms.FileField(label=_("接收单位回执"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300)

"""Forms of the dues pages. They only shape the input; the services validate it, so the pages
and the API refuse the same things with the same messages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shanghui.core.forms import DateInput
from shanghui.dues.models import DuesBill, Payment


class PolicyForm(forms.Form):
    arrears_after_days = forms.IntegerField(
        label=_("逾期多少天转为欠费"), min_value=0, max_value=365
    )
    due_month = forms.IntegerField(label=_("默认应缴月份"), min_value=1, max_value=12)
    due_day = forms.IntegerField(label=_("默认应缴日"), min_value=1, max_value=31)
    payee_note = forms.CharField(
        label=_("收款说明"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("显示在会员的账单页，例如对公账户：户名、开户行、账号"),
    )


class BillRunForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    due_on = forms.DateField(label=_("应缴日期"), widget=DateInput())


class PaymentForm(forms.Form):
    amount = forms.CharField(
        label=_("金额（元）"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    method = forms.ChoiceField(
        label=_("缴费方式"),
        choices=[
            (Payment.Method.BANK_TRANSFER.value, Payment.Method.BANK_TRANSFER.label),
            (Payment.Method.CASH.value, Payment.Method.CASH.label),
        ],
    )
    paid_on = forms.DateField(label=_("缴费日期"), widget=DateInput(), initial=timezone.localdate)
    reference = forms.CharField(label=_("流水号/凭证号"), max_length=100, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300)


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("处理方式"),
        choices=[
            (DuesBill.Status.WAIVED.value, _("减免未缴部分")),
            (DuesBill.Status.CANCELLED.value, _("作废账单")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("原因"), max_length=300)

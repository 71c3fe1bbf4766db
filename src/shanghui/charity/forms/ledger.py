"""Forms of the ledger's pages. They only shape the input; ``services.ledger`` parses and
validates it, so the pages and the API refuse the same things with the same messages."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shanghui.charity.models import Donation, DonationEvidence, DonorKind, GiftKind, ValueBasis
from shanghui.charity.services.ledger import DonationData
from shanghui.core.forms import DateInput


def _choice(label: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=False, **kwargs)


class DonationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"), choices=GiftKind.choices, initial=GiftKind.CASH, widget=forms.RadioSelect
    )
    donor_kind = forms.ChoiceField(
        label=_("捐赠方类型"),
        choices=DonorKind.choices,
        initial=DonorKind.MEMBER,
        widget=forms.RadioSelect,
    )
    donor_member = forms.CharField(
        label=_("会员"),
        max_length=100,
        required=False,
        help_text=_("会员编号或全称，可输入拼音或简称后从列表中选择"),
        widget=forms.TextInput(attrs={"list": "donor-members", "autocomplete": "off"}),
    )
    donor_group_member = _choice(_("团体会员"), [])
    donor_person = forms.CharField(
        label=_("本会人员"),
        max_length=50,
        required=False,
        help_text=_("个人捐赠：本会登记的人员填姓名或手机号；其他个人留空并填写下方名称"),
    )
    donor_name = forms.CharField(
        label=_("捐赠方名称"),
        max_length=100,
        required=False,
        help_text=_("个人或其他捐赠方的名称；匿名捐赠可留空"),
    )
    donor_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    anonymous = forms.BooleanField(
        label=_("匿名捐赠"),
        required=False,
        help_text=_("只在台账中记名，公开页面显示为“爱心人士”"),
    )
    amount = forms.CharField(
        label=_("金额（元）"),
        max_length=20,
        help_text=_("现金为捐赠金额；物资为其价值"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    item = forms.CharField(label=_("物资名称"), max_length=50, required=False)
    quantity = forms.CharField(
        label=_("数量"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit = forms.CharField(label=_("单位"), max_length=10, required=False)
    value_basis = _choice(_("价值依据"), [("", "—"), *ValueBasis.choices])
    donated_on = forms.DateField(
        label=_("捐赠日期"), widget=DateInput(), initial=timezone.localdate
    )
    campaign = _choice(_("公益项目"), [])
    pledge = _choice(_("对应认捐"), [])
    channel = forms.ChoiceField(
        label=_("捐赠渠道"),
        choices=Donation.Channel.choices,
        initial=Donation.Channel.ORGANIZED,
        widget=forms.RadioSelect,
    )
    recipient = _choice(_("受赠机构"), [])
    recipient_name = forms.CharField(
        label=_("受赠方名称"),
        max_length=100,
        required=False,
        help_text=_("不在合作机构列表中时填写"),
    )
    official_receipt_no = forms.CharField(
        label=_("公益事业捐赠统一票据号"),
        max_length=50,
        required=False,
        help_text=_("慈善总会、红十字会等开具票据时填写"),
    )
    name_public = forms.BooleanField(label=_("捐赠方同意在光荣榜公开署名"), required=False)
    reported_to_parent = forms.BooleanField(label=_("已同时报备上级商会"), required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        group_members: list[tuple[str, str]],
        campaigns: list[tuple[str, str]],
        pledges: list[tuple[str, str]],
        partners: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        none = [("", "—")]
        self.fields["donor_group_member"].choices = none + group_members  # type: ignore[attr-defined]
        self.fields["campaign"].choices = none + campaigns  # type: ignore[attr-defined]
        self.fields["pledge"].choices = none + pledges  # type: ignore[attr-defined]
        self.fields["recipient"].choices = none + partners  # type: ignore[attr-defined]

    def data_input(self) -> DonationData:
        d = self.cleaned_data

        def pk(name: str) -> int | None:
            return int(d[name]) if d.get(name) else None

        return DonationData(
            kind=d["kind"],
            amount=d["amount"],
            donated_on=d["donated_on"],
            donor_kind=d["donor_kind"],
            donor_member_text=d["donor_member"],
            donor_group_member_id=pk("donor_group_member"),
            donor_person_text=d["donor_person"],
            donor_name=d["donor_name"],
            donor_uscc=d["donor_uscc"],
            anonymous=d["anonymous"],
            item=d["item"],
            quantity=d["quantity"],
            unit=d["unit"],
            value_basis=d["value_basis"],
            campaign_id=pk("campaign"),
            pledge_id=pk("pledge"),
            channel=d["channel"],
            recipient_id=pk("recipient"),
            recipient_name=d["recipient_name"],
            official_receipt_no=d["official_receipt_no"],
            name_public=d["name_public"],
            reported_to_parent=d["reported_to_parent"],
            note=d["note"],
        )


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正原因"), max_length=300)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=DonationEvidence.Kind.choices,
        initial=DonationEvidence.Kind.RECEIPT,
    )
    file = forms.FileField(
        label=_("文件"),
        required=False,
        help_text=_("PDF、JPG 或 PNG"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)

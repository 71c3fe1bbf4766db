"""Forms of the campaign, partner and pledge pages. They only shape the input (amounts and
quantities stay text as typed); the services validate it, so the pages and the API refuse
the same things with the same messages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.charity.models import Campaign, GiftKind, Partner
from shanghui.charity.services.campaigns import PledgeInput
from shanghui.core.forms import DateInput, RegionField
from shanghui.core.regions import region_display_name
from shanghui.members.models import Member

_MONEY_ATTRS = {"inputmode": "decimal", "placeholder": _("例如 50000 或 50,000.00")}


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=100)
    summary = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(label=_("状态"), choices=Campaign.Status.choices)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())
    goal_amount = forms.CharField(
        label=_("目标金额（元）"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs=_MONEY_ATTRS),
    )
    goal_item = forms.CharField(
        label=_("目标物资"), required=False, max_length=50, help_text=_("例如 书包、名著套装")
    )
    goal_quantity = forms.CharField(
        label=_("目标数量"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    goal_unit = forms.CharField(label=_("单位"), required=False, max_length=10)
    regions_kept = forms.MultipleChoiceField(
        label=_("受益地区"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("取消勾选即移除该地区"),
    )
    region_add = RegionField(
        label=_("添加受益地区"), help_text=_("选到省、市或区县；保存后可继续添加")
    )
    partners = forms.TypedMultipleChoiceField(
        label=_("合作机构"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    pledge_deadline = forms.DateField(
        label=_("认捐截止日期"),
        required=False,
        widget=DateInput(),
        help_text=_("填写后，会员可在手机上认捐至该日（项目须为进行中）"),
    )
    public_fundraising_url = forms.CharField(
        label=_("公开募捐链接"),
        required=False,
        max_length=200,
        help_text=_("合作慈善组织在依法指定的互联网公开募捐信息平台上的募捐页面"),
    )
    is_public = forms.BooleanField(label=_("在公开页展示"), required=False)

    def __init__(
        self, *args: Any, partners: list[Partner], region_codes: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"{p.name}（{p.get_kind_display()}）") for p in partners
        ]
        self.fields["regions_kept"].choices = [  # type: ignore[attr-defined]
            (code, region_display_name(code) or code) for code in region_codes
        ]
        if not region_codes:
            del self.fields["regions_kept"]
            self.fields["region_add"].label = _("受益地区")

    def region_codes(self) -> list[str]:
        codes = list(self.cleaned_data.get("regions_kept") or [])
        added = self.cleaned_data.get("region_add") or ""
        if added and added not in codes:
            codes.append(added)
        return codes


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Partner.Kind.choices)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    region_code = RegionField(label=_("所在地区"))
    issues_official_receipts = forms.BooleanField(
        label=_("可开具公益事业捐赠统一票据"), required=False
    )


class PledgeWhatForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("认捐类别"),
        choices=GiftKind.choices,
        initial=GiftKind.CASH,
        widget=forms.RadioSelect,
    )
    amount = forms.CharField(
        label=_("金额（元）"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs=_MONEY_ATTRS),
        help_text=_("物资认捐可填估值，也可不填"),
    )
    item = forms.CharField(label=_("物资名称"), required=False, max_length=50)
    quantity = forms.CharField(
        label=_("数量"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit = forms.CharField(label=_("单位"), required=False, max_length=10)
    due_on = forms.DateField(label=_("承诺到位日期"), widget=DateInput())
    note = forms.CharField(label=_("备注"), required=False, max_length=300)

    # Marked required (asterisk, browser check) only for the kind they belong to.
    REQUIRED_FOR = {"amount": GiftKind.CASH, "item": GiftKind.GOODS, "quantity": GiftKind.GOODS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self["kind"].value() or GiftKind.CASH
        for name, wanted in self.REQUIRED_FOR.items():
            field = self.fields[name]
            field.required_when = f"kind={wanted}"  # type: ignore[attr-defined]
            field.required_now = kind == wanted  # type: ignore[attr-defined]
            field.widget.attrs["data-sh-required-if"] = f"kind={wanted}"


class OfficePledgeForm(PledgeWhatForm):
    """The secretariat takes a pledge down: from a member (found by what the clerk types),
    or from an outside donor."""

    member = forms.CharField(
        label=_("认捐会员"),
        required=False,
        max_length=100,
        help_text=_("会员名称、会员编号或统一社会信用代码"),
    )
    donor_name = forms.CharField(
        label=_("其他认捐方名称"),
        required=False,
        max_length=100,
        help_text=_("非会员认捐时填写，不填会员"),
    )
    anonymous = forms.BooleanField(label=_("匿名"), required=False)
    field_order = ["member", "donor_name", "anonymous"]


class MemberPledgeForm(PledgeWhatForm):
    """A member pledges for one of the members they represent."""

    member = forms.TypedChoiceField(label=_("认捐单位"), coerce=int)
    field_order = ["member"]

    def __init__(self, *args: Any, members: list[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.name) for m in members]  # type: ignore[attr-defined]
        if len(members) == 1:
            self.fields["member"].initial = members[0].pk
            self.fields["member"].widget = forms.HiddenInput()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


def pledge_input(data: dict[str, Any]) -> PledgeInput:
    """What a pledge form's cleaned data pledges."""
    return PledgeInput(
        kind=data["kind"],
        amount=data["amount"],
        item=data["item"],
        quantity=data["quantity"],
        unit=data["unit"],
        due_on=data["due_on"],
        note=data["note"],
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.core.forms import DateInput, PhoneInput, RegionField
from shanghui.core.industries import divisions
from shanghui.members.models import Level, Member
from shanghui.members.services.members import MemberInput, RepresentativeInput


def industry_choices() -> list[tuple[str, str]]:
    return [("", "——")] + [(i.code, f"{i.code} {i.name}") for i in divisions()]


class MemberForm(forms.Form):
    """The secretariat's member form: the member's details and its first representative."""

    kind = forms.ChoiceField(label=_("会员类型"), choices=Member.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    level_id = forms.TypedChoiceField(
        label=_("会员级别"), coerce=int, required=False, empty_value=None
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    industry_code = forms.ChoiceField(label=_("行业"), required=False, choices=())
    region_code = RegionField(label=_("注册地区"))
    hometown_code = RegionField(label=_("籍贯"))
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    main_products = forms.CharField(label=_("主营产品"), max_length=300, required=False)
    website = forms.CharField(label=_("网站"), max_length=200, required=False)
    joined_on = forms.DateField(label=_("入会日期"), required=False, widget=DateInput())
    member_no = forms.CharField(
        label=_("会员编号"),
        max_length=30,
        required=False,
        help_text=_("留空则按本会编号格式自动生成"),
    )
    introduction = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rep_name = forms.CharField(label=_("会员代表姓名"), max_length=50, required=False)
    rep_title = forms.CharField(label=_("职务"), max_length=50, required=False)
    rep_phone = forms.CharField(
        label=_("会员代表手机号"), max_length=20, required=False, widget=PhoneInput(own=False)
    )

    def __init__(
        self, *args: object, levels: list[Level], with_representative: bool = True, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Adding a member takes its first representative; later ones are managed on its page.
        self.with_representative = with_representative
        if not with_representative:
            for name in ("rep_name", "rep_title", "rep_phone"):
                del self.fields[name]
        self.fields["level_id"].choices = [("", "——")] + [(lv.pk, lv.name) for lv in levels]  # type: ignore[attr-defined]
        self.fields["industry_code"].choices = industry_choices()  # type: ignore[attr-defined]

    def to_input(self) -> MemberInput:
        data = self.cleaned_data
        reps = []
        rep_name = data.get("rep_name")
        if self.with_representative and data.get("rep_phone") and not rep_name:
            # An individual member represents themself (as in the import).
            rep_name = data["name"] if data["kind"] == Member.Kind.INDIVIDUAL else ""
        if self.with_representative and rep_name:
            reps.append(
                RepresentativeInput(name=rep_name, phone=data["rep_phone"], title=data["rep_title"])
            )
        return MemberInput(
            kind=data["kind"],
            name=data["name"],
            uscc=data["uscc"],
            level_id=data["level_id"],
            legal_representative=data["legal_representative"],
            industry_code=data["industry_code"],
            region_code=data["region_code"],
            hometown_code=data["hometown_code"],
            address=data["address"],
            main_products=data["main_products"],
            website=data["website"],
            joined_on=data["joined_on"],
            member_no=data["member_no"],
            introduction=data["introduction"],
            representatives=reps,
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=Member.Status.choices)
    reason = forms.CharField(label=_("原因"), max_length=300, required=False)
    effective_on = forms.DateField(label=_("生效日期"), required=False, widget=DateInput())


class LevelForm(forms.Form):
    name = forms.CharField(label=_("级别名称"), max_length=30)
    rank = forms.IntegerField(
        label=_("级别序号"), min_value=1, max_value=99, help_text=_("1 为最高级别")
    )
    # Text, parsed by the service's one money parser (exact to the fen, bounded).
    annual_fee = forms.CharField(label=_("年度会费（元）"), max_length=30)


class PolicyForm(forms.Form):
    member_no_pattern = forms.CharField(
        label=_("会员编号格式"),
        max_length=40,
        help_text=_("{number} 为流水号，{year} 为入会年份，例如 GDJX-{number:06d}"),
    )
    required_referrers = forms.IntegerField(label=_("入会需要介绍人数"), min_value=0, max_value=10)
    referrer_min_level = forms.TypedChoiceField(
        label=_("介绍人最低级别"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, *args: object, levels: list[Level], with_representative: bool = True, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Adding a member takes its first representative; later ones are managed on its page.
        self.with_representative = with_representative
        if not with_representative:
            for name in ("rep_name", "rep_title", "rep_phone"):
                del self.fields[name]
        choices = [("", _("不限")), *[(lv.pk, lv.name) for lv in levels]]
        self.fields["referrer_min_level"].choices = choices  # type: ignore[attr-defined]

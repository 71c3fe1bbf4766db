"""Forms of the sponsorship pages. They only shape the input; the services validate it, so
the pages and the API refuse the same things with the same messages. Pickers list only the
association's own rows (schools, members, campaigns)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shanghui.charity.models import Beneficiary, Campaign, Partner, Sponsorship
from shanghui.charity.selectors import sponsorship as selectors
from shanghui.core.forms import DateInput
from shanghui.core.types import Tenant
from shanghui.members.models import Member

CONSENT_HELP = _(
    "个人信息保护法：未满 18 周岁的学生须取得监护人同意；身份证号和家庭情况属于敏感个人信息，"
    "须取得单独同意。"
)


class BeneficiaryForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(
        label=_("性别"), choices=[("", "—"), *Beneficiary.Gender.choices], required=False
    )
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput(), required=False)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        required=False,
        help_text=_("加密保存，页面只显示首尾；修改时留空则保持不变"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    region_code = forms.CharField(label=_("户籍地区代码"), max_length=6, required=False)
    school: forms.ModelChoiceField[Partner] = forms.ModelChoiceField(
        label=_("学校（合作机构）"), queryset=None, required=False, empty_label="—"
    )
    school_name = forms.CharField(
        label=_("学校名称"),
        max_length=100,
        required=False,
        help_text=_("学校不在合作机构中时填写"),
    )
    grade = forms.CharField(label=_("年级"), max_length=30, required=False)
    stage = forms.ChoiceField(label=_("阶段"), choices=Beneficiary.Stage.choices)
    family_situation = forms.CharField(
        label=_("家庭情况"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("加密保存；修改时留空则保持不变"),
    )
    guardian_name = forms.CharField(label=_("监护人"), max_length=50, required=False)
    guardian_relation = forms.CharField(label=_("与学生关系"), max_length=20, required=False)
    guardian_phone = forms.CharField(label=_("监护人电话"), max_length=20, required=False)
    guardian_consent_on = forms.DateField(
        label=_("监护人同意日期"), widget=DateInput(), required=False, help_text=CONSENT_HELP
    )
    sensitive_consent_on = forms.DateField(
        label=_("敏感信息单独同意日期"), widget=DateInput(), required=False
    )
    consent_note = forms.CharField(
        label=_("同意方式说明"),
        max_length=200,
        required=False,
        help_text=_("例如：监护人签署书面同意书，原件存秘书处"),
    )
    photo = forms.ImageField(label=_("照片（仅后台可见）"), required=False)
    graduated_on = forms.DateField(label=_("毕业日期"), widget=DateInput(), required=False)
    outcome = forms.CharField(label=_("去向/就业情况"), max_length=200, required=False)
    ended_on = forms.DateField(
        label=_("资助结束日期"),
        widget=DateInput(),
        required=False,
        help_text=_("个人信息自此日起保存规定年限后删除"),
    )

    def __init__(self, *args: Any, association: Tenant, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = selectors.schools(association)  # type: ignore[attr-defined]
        if not editing:
            for name in ("graduated_on", "outcome", "ended_on"):
                del self.fields[name]


class SponsorshipForm(forms.Form):
    sponsor_member: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        label=_("资助会员"), queryset=None, required=False, empty_label="—"
    )
    sponsor_name = forms.CharField(
        label=_("其他资助方"),
        max_length=100,
        required=False,
        help_text=_("资助方不是会员时填写"),
    )
    campaign: forms.ModelChoiceField[Campaign] = forms.ModelChoiceField(
        label=_("所属公益项目"), queryset=None, required=False, empty_label="—"
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    expected_end_on = forms.DateField(label=_("预计结束日期"), widget=DateInput(), required=False)
    amount_per_term = forms.CharField(
        label=_("每学期资助金额（元）"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args: Any, association: Tenant, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["sponsor_member"].queryset = selectors.sponsor_members(association)  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = selectors.campaigns(association)  # type: ignore[attr-defined]


class ScheduleForm(forms.Form):
    until = forms.DateField(
        label=_("排期截止日期"),
        widget=DateInput(),
        required=False,
        help_text=_("留空则排到预计结束日期；已排的学期不会重复"),
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("结束方式"),
        choices=[
            (Sponsorship.Status.COMPLETED.value, Sponsorship.Status.COMPLETED.label),
            (Sponsorship.Status.ENDED.value, Sponsorship.Status.ENDED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("发放日期"), widget=DateInput(), initial=timezone.localdate)
    reference = forms.CharField(label=_("凭证号"), max_length=100, required=False)


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("走访日期"), widget=DateInput(), initial=timezone.localdate
    )
    visitors = forms.CharField(label=_("走访人员"), max_length=200)
    notes = forms.CharField(
        label=_("走访记录"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AcademicForm(forms.Form):
    term = forms.CharField(label=_("学期"), max_length=40, help_text=_("例如：2026年春季学期"))
    school_name = forms.CharField(label=_("学校"), max_length=100, required=False)
    grade = forms.CharField(label=_("年级"), max_length=30, required=False)
    summary = forms.CharField(
        label=_("成绩与表现"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    recorded_on = forms.DateField(
        label=_("记录日期"), widget=DateInput(), initial=timezone.localdate
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("撤回同意的说明"),
        max_length=200,
        required=False,
        help_text=_("例如：监护人来电要求删除"),
    )

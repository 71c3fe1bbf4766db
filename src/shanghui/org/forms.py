"""Back-office forms. They only parse input; the rules (dates in order, one current term, one
chair per committee …) are the services' and reach the form through ``add_service_errors``.
People, members and associations are named in text (name or mobile number, member number,
full name or web id): a select of 20,000 people would not load."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.associations.forms import region_choices
from shanghui.core.forms import DateInput
from shanghui.org.models import CommitteeMembership, Post


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _region_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("所在地区"), required=False, choices=())


class _RegionMixin(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region_code"].choices = [("", "——"), *region_choices()]  # type: ignore[attr-defined]


class TermForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60, help_text=_("如：第六届理事会"))
    number = forms.IntegerField(
        label=_("届次"), required=False, min_value=1, max_value=32767, help_text=_("不填则顺延")
    )
    starts_on = _date(_("开始日期"), required=True)
    ends_on = _date(_("结束日期"))
    is_current = forms.BooleanField(label=_("当届"), required=False)


class TermChangeForm(forms.Form):
    name = forms.CharField(label=_("新一届名称"), max_length=60, help_text=_("如：第七届理事会"))
    number = forms.IntegerField(
        label=_("届次"), required=False, min_value=1, max_value=32767, help_text=_("不填则顺延")
    )
    starts_on = _date(_("新一届开始日期"), required=True)
    ends_on = _date(_("新一届结束日期"))
    carry_over_post_ids = forms.TypedMultipleChoiceField(
        label=_("连任的职务"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("勾选的职务由现任者在新一届继续担任；其余职务的任职在本届结束时全部卸任。"),
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["carry_over_post_ids"].choices = choices  # type: ignore[attr-defined]


class PostForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=30)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=0)
    is_council = forms.BooleanField(label=_("理事会成员"), required=False)
    is_secretariat = forms.BooleanField(label=_("秘书处职务"), required=False)


class AppointmentForm(forms.Form):
    post: forms.ModelChoiceField[Post] = forms.ModelChoiceField(
        label=_("职务"), queryset=Post.objects.none()
    )
    person = forms.CharField(label=_("人员"), max_length=50, help_text=_("姓名或手机号"))
    member = forms.CharField(
        label=_("代表会员"), max_length=100, required=False, help_text=_("会员编号或名称，可不填")
    )
    starts_on = _date(_("任职日期"))
    ends_on = _date(_("卸任日期"))

    def __init__(self, *args: object, posts: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=0)


class MembershipForm(forms.Form):
    person = forms.CharField(label=_("人员"), max_length=50, help_text=_("姓名或手机号"))
    role = forms.ChoiceField(
        label=_("职务"),
        choices=CommitteeMembership.Role.choices,
        initial=CommitteeMembership.Role.MEMBER,
    )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("职务"), choices=CommitteeMembership.Role.choices)


class BranchForm(_RegionMixin):
    name = forms.CharField(label=_("名称"), max_length=60, help_text=_("如：深圳分会"))
    region_code = _region_field()
    leader = forms.CharField(
        label=_("负责人"), max_length=50, required=False, help_text=_("姓名或手机号，可不填")
    )


class GroupMemberForm(_RegionMixin):
    linked_association = forms.CharField(
        label=_("平台上的商协会"),
        max_length=100,
        required=False,
        help_text=_("填写全称或网址标识即可关联；平台外的组织不填"),
    )
    name = forms.CharField(
        label=_("名称"), max_length=100, required=False, help_text=_("关联平台商协会时可不填")
    )
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    region_code = _region_field()
    joined_on = _date(_("加入日期"))


class SharingConsentForm(forms.Form):
    parent = forms.CharField(
        label=_("上级商协会"), max_length=100, help_text=_("全称或网址标识，如 gdjx")
    )
    shares = forms.BooleanField(
        label=_("同意该商协会查看本会的会员总数"), required=False, initial=True
    )
    shares_charity = forms.BooleanField(
        label=_("同意该商协会查看本会的慈善公益汇总（捐赠总额，不含明细）"), required=False
    )


class ChartSettingsForm(forms.Form):
    publish_chart = forms.BooleanField(label=_("公开组织架构图"), required=False)

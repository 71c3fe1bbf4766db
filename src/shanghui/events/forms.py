"""Forms of the event pages. They only shape the input; the services check the rules."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.core.forms import DateTimeInput, PhoneInput
from shanghui.core.library import FileOrLibraryForm
from shanghui.core.models import AudienceRule
from shanghui.core.richtext import RichTextarea
from shanghui.events.models import Event, EventDocument
from shanghui.members.models import Level, Person
from shanghui.org.models import Committee, Post


class EventForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Event.Kind.choices)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    venue = forms.CharField(label=_("地点"), max_length=100, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    online_url = forms.CharField(label=_("线上参会链接"), max_length=200, required=False)
    summary = forms.CharField(label=_("简介"), max_length=300, required=False)
    cover = forms.FileField(label=_("封面图片（JPG、PNG）"), required=False)
    organizing_committee = forms.ChoiceField(label=_("组委会（专委会）"), required=False)
    description = forms.CharField(
        label=_("详细介绍"),
        required=False,
        widget=RichTextarea(),
        help_text=_("可设置加粗、标题、列表和链接；脚本和外部图片会被自动去掉"),
    )
    organizer = forms.CharField(label=_("主办/承办"), max_length=200, required=False)
    speakers = forms.CharField(
        label=_("嘉宾/讲师"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一位"),
    )
    audience = forms.ChoiceField(
        label=_("参加范围"),
        choices=Event.Audience.choices,
        help_text=_("选择“指定范围”后，在“参加范围”页选择级别、专委会、理事会、职务或人员"),
    )
    registration_opens_at = forms.DateTimeField(
        label=_("报名开始"), widget=DateTimeInput(), required=False
    )
    registration_closes_at = forms.DateTimeField(
        label=_("报名截止"), widget=DateTimeInput(), required=False
    )
    capacity = forms.IntegerField(
        label=_("总名额"), min_value=0, required=False, help_text=_("不填为不限")
    )
    requires_approval = forms.BooleanField(label=_("报名需审核"), required=False)
    fee = forms.CharField(
        label=_("费用（元）"), initial="0", required=False, help_text=_("线下收取；0 为免费")
    )
    max_companions = forms.IntegerField(
        label=_("最多随行人数"), min_value=0, max_value=20, initial=0
    )
    questions = forms.CharField(
        label=_("报名问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个，以 * 结尾为必填，例如：饮食禁忌、发票抬头*"),
    )
    quorum_rule = forms.ChoiceField(
        label=_("法定人数"), choices=Event.Quorum.choices, required=False
    )
    min_sessions_for_certificate = forms.IntegerField(
        label=_("结业所需出勤课次"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("仅培训课程；0 为须出勤全部课次"),
    )

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        from django.utils import timezone

        data: dict[str, Any] = {
            name: getattr(event, name)
            for name in (
                "title",
                "kind",
                "venue",
                "address",
                "online_url",
                "summary",
                "description",
                "organizer",
                "speakers",
                "audience",
                "capacity",
                "requires_approval",
                "fee",
                "max_companions",
                "quorum_rule",
                "min_sessions_for_certificate",
            )
        }
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            value = getattr(event, name)
            data[name] = timezone.localtime(value) if value else None
        data["questions"] = "\n".join(
            q["label"] + ("*" if q.get("required") else "") for q in event.questions or []
        )
        return data


class StaffRegistrationForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=PhoneInput(own=False))
    company = forms.CharField(label=_("单位"), max_length=100, required=False)
    companions = forms.IntegerField(label=_("随行人数"), min_value=0, max_value=20, initial=0)


class RegisterForm(forms.Form):
    """The member's registration: companions, ticket type and the event's questions."""

    def __init__(self, *args: Any, event: Event, ticket_types: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ticket_types:
            self.fields["ticket_type"] = forms.ChoiceField(
                label=_("票种"),
                choices=[
                    (str(t.pk), f"{t.name}（{t.price} 元）" if t.price else t.name)
                    for t in ticket_types
                ],
            )
        if event.max_companions:
            self.fields["companions"] = forms.IntegerField(
                label=_("随行人数"), min_value=0, max_value=event.max_companions, initial=0
            )
        for question in event.questions or []:
            self.fields[question["key"]] = forms.CharField(
                label=question["label"], max_length=200, required=bool(question.get("required"))
            )


class AudienceForm(forms.Form):
    levels = forms.MultipleChoiceField(
        label=_("会员级别"), required=False, widget=forms.CheckboxSelectMultiple
    )
    committees = forms.MultipleChoiceField(
        label=_("专委会"), required=False, widget=forms.CheckboxSelectMultiple
    )
    posts = forms.MultipleChoiceField(
        label=_("职务"), required=False, widget=forms.CheckboxSelectMultiple
    )
    council = forms.BooleanField(label=_("理事会成员（当届）"), required=False)
    phones = forms.CharField(
        label=_("指定人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个手机号（须为本会已登记的联系人）"),
    )


class TicketTypeForm(forms.Form):
    name = forms.CharField(label=_("票种名称"), max_length=40)
    price = forms.CharField(label=_("价格（元）"), initial="0", required=False)
    capacity = forms.IntegerField(label=_("名额"), min_value=0, required=False)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("议程/课次"), max_length=100)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput(), required=False)
    location = forms.CharField(label=_("地点"), max_length=100, required=False)
    speaker = forms.CharField(label=_("主讲/主持"), max_length=100, required=False)


class CheckinListForm(forms.Form):
    name = forms.CharField(
        label=_("签到点名称"), max_length=40, help_text=_("例如：晚宴、班车、第二天")
    )


class CheckinStaffForm(forms.Form):
    phone = forms.CharField(
        label=_("签到员手机号"),
        max_length=20,
        widget=PhoneInput(own=False),
        help_text=_("须已开通本会账号；签到员只能为本活动签到，看不到后台的其他内容"),
    )


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("纪要正文"), required=False, widget=RichTextarea(attrs={"rows": 14})
    )


class ResolutionForm(forms.Form):
    title = forms.CharField(label=_("决议事项"), max_length=200)
    text = forms.CharField(
        label=_("决议内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0, initial=0)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("弃权"), min_value=0, initial=0)
    passed = forms.BooleanField(label=_("通过"), required=False)


# What an event's documents may be, uploaded or picked from the document library.
DOCUMENT_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png"})


class DocumentForm(FileOrLibraryForm):
    """A PDF, JPG or PNG uploaded, or picked from the document library."""

    file = forms.FileField(label=_("文件（PDF、JPG、PNG）"), required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=EventDocument.Kind.choices)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("评分"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
    )
    comment = forms.CharField(
        label=_("意见建议"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GuestForm(forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=50, widget=forms.TextInput({"autocomplete": "name"})
    )
    company = forms.CharField(
        label=_("单位"),
        max_length=100,
        required=False,
        widget=forms.TextInput({"autocomplete": "organization"}),
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=PhoneInput())
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        required=False,
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def audience_form(data: Any, *, association: Any, rules: Iterable[AudienceRule]) -> AudienceForm:
    """The audience form of anything with ``core.audience`` rules (an event, an announcement):
    filled from its current ``rules``, its choices the association's levels, committees and
    posts, the people it names as their phone numbers."""
    rules = list(rules)

    def targets(kind: str) -> list[int]:
        return [r.target_id for r in rules if r.kind == kind and r.target_id]

    initial = {
        "levels": [str(i) for i in targets("level")],
        "committees": [str(i) for i in targets("committee")],
        "posts": [str(i) for i in targets("post")],
        "council": any(r.kind == "council" for r in rules),
        "phones": "\n".join(
            Person.objects.filter(association=association, pk__in=targets("person")).values_list(
                "phone", flat=True
            )
        ),
    }
    form = AudienceForm(data or None, initial=initial)
    choices = {
        "levels": Level.objects.filter(association=association).order_by("rank"),
        "committees": Committee.objects.filter(association=association),
        "posts": Post.objects.filter(association=association).order_by("sort_order"),
    }
    for name, qs in choices.items():
        form.fields[name].choices = [(str(x.pk), x.name) for x in qs]  # type: ignore[attr-defined]
    return form

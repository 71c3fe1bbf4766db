"""The member's application (consent) and rating forms, and the catalogue's filter. They only
shape the input; ``services.applications`` validates it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shanghui.members.models import Member
from shanghui.providers.models import Category
from shanghui.providers.selectors.offers import ConsentChoice


class ApplicationForm(forms.Form):
    """Each field to share is ticked on its own, next to the value the provider would
    receive; nothing is ticked in advance."""

    member = forms.TypedChoiceField(
        label=_("申请企业"), coerce=int, required=False, empty_value=None, choices=()
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("同意提供的信息"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=(),
    )
    agree = forms.BooleanField(label=_("我同意"), required=False)

    def __init__(
        self,
        *args: object,
        members: list[Member],
        choices: list[ConsentChoice],
        provider_name: str,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if members:
            self.fields["member"].choices = [  # type: ignore[attr-defined]
                ("", _("以个人身份申请")),
                *((m.pk, m.name) for m in members),
            ]
        else:
            del self.fields["member"]
        self.fields["shared_fields"].choices = [  # type: ignore[attr-defined]
            (c.field, f"{c.label}：{c.value}" if c.value else f"{c.label}（{_('未登记')}）")
            for c in choices
        ]
        self.fields["agree"].label = _(
            "我同意将以上勾选的信息提供给“%(provider)s”，仅用于上述用途；我可以随时撤回授权"
        ) % {"provider": provider_name}


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("评分"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("评价"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class CatalogueFilter(forms.Form):
    category = forms.ChoiceField(
        label=_("类别"),
        required=False,
        choices=[("", _("全部")), *Category.choices],
        widget=forms.Select(attrs={"id": "catalogue-category"}),
    )

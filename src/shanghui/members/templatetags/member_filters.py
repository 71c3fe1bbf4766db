"""``{% filter_select name label all_label options selected url %}``: one filter of a member
list (``members/_filter_select.html``), rendered once per process for the same choices,
selection and language and then reused. The choices change only when the association's
members, levels or committees do (``selectors.filter_choices``), yet the five selects of a
list — some eighty options — were rendered by the template engine on every page, about a
millisecond of the back office's member list. The markup is a pure function of the
arguments, which are the cache's key (the option labels carry the language), so a change of
choices or of language is a new entry, never a stale one."""

from collections.abc import Iterable
from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString

from shanghui.members.selectors import FilterChoice

register = template.Library()


@register.simple_tag
def filter_select(
    name: str,
    label: str,
    all_label: str,
    options: Iterable[FilterChoice] | None,
    selected: str,
    url: str,
) -> SafeString:
    return _markup(
        str(name), str(label), str(all_label), tuple(options or ()), str(selected), str(url)
    )


@lru_cache(maxsize=256)
def _markup(
    name: str,
    label: str,
    all_label: str,
    options: tuple[FilterChoice, ...],
    selected: str,
    url: str,
) -> SafeString:
    return SafeString(
        get_template("members/_filter_select.html").render(
            {
                "name": name,
                "label": label,
                "all_label": all_label,
                "options": options,
                "selected": selected,
                "url": url,
            }
        )
    )

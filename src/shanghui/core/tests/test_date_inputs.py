"""Every date field of every form renders its value in the ISO form a browser's date picker
requires, in every language: anything else shows empty and is saved empty."""

import importlib
import pkgutil
from datetime import date, datetime

import pytest
from django import forms
from django.utils import translation

import shanghui


def project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(shanghui.__path__, "shanghui."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("shanghui."):
            found.append(cls)
    return found


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_every_date_field_renders_iso(language: str) -> None:
    checked = 0
    with translation.override(language):
        for form_class in project_forms():
            for name, field in form_class.base_fields.items():
                if isinstance(field, forms.DateTimeField):
                    value, expected = datetime(2006, 9, 16, 8, 5), 'value="2006-09-16T08:05"'
                elif isinstance(field, forms.DateField):
                    value, expected = date(2006, 9, 16), 'value="2006-09-16"'
                else:
                    continue
                html = field.widget.render(name, value)
                assert expected in html, f"{form_class.__name__}.{name}: {html}"
                checked += 1
    assert checked >= 10  # the forms with dates were found

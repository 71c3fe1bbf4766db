from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shanghui.core.regions import children, get_region, provinces, region_label
from shanghui.core.uploads import KeptUpload


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Shows a service's ValidationError on the form: field errors beside their fields,
    the rest at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                for message in error.messages:
                    form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (``2006-09-16``) whatever the language's
    date format: a browser shows any other value as empty and submits it empty, so saving a
    form unchanged would erase the date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker, with its value in the ISO form it requires."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class PhoneInput(forms.TextInput):
    """A mobile number: the phone's digit keypad and, for one's own number, the browser's
    autofill. Pass ``own=False`` where staff type someone else's number (autofill would offer
    their own)."""

    input_type = "tel"

    def __init__(self, attrs: dict[str, str] | None = None, *, own: bool = True) -> None:
        defaults = {
            "inputmode": "tel",
            "autocomplete": "tel" if own else "off",
            "placeholder": "13812345678",
        }
        super().__init__({**defaults, **(attrs or {})})


class RegionSelect(forms.Widget):
    """A cascading province › city › county picker for one 6-digit GB/T 2260 code.

    Three selects: ``<name>`` (provinces), ``<name>_city`` and ``<name>_county``; the value is
    the deepest choice that belongs to the one above it, so a province changed without its
    city gives the province, never a city of another province. The lower selects are filled
    for the current value on the server; ``static/shanghui/app.js`` refills them from
    ``region_children`` when a choice above changes. Without JavaScript a province can be
    chosen, and the city and county after the page comes back. A stored code that is no
    longer in the data stays chosen (shown as invalid), so saving never erases it silently."""

    template_name = "core/widgets/region_select.html"
    LEVELS = ("", "_city", "_county")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        code = str(data.get(name) or "").strip()
        for suffix in self.LEVELS[1:]:
            child = get_region(str(data.get(name + suffix) or "").strip())
            if child is None or child.parent_code != code:
                break
            code = child.code
        return code

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def format_value(self, value: Any) -> str:
        return str(value or "")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        code = self.format_value(value)
        chain: list[str] = []
        region = get_region(code)
        while region is not None:
            chain.insert(0, region.code)
            region = get_region(region.parent_code) if region.parent_code else None
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        top = [(r.code, region_label(r.name)) for r in provinces()]
        if code and not chain:
            top.append((code, _("%(code)s（代码无效，请重新选择）") % {"code": code}))
            chain = [code]
        placeholders = (_("省/自治区/直辖市"), _("市/区"), _("区/县"))
        selects = []
        for depth, suffix in enumerate(self.LEVELS):
            if depth == 0:
                options = top
            else:
                parent = chain[depth - 1] if len(chain) >= depth else ""
                below = children(parent) if parent else []
                options = [(r.code, region_label(r.name)) for r in below]
            selects.append(
                {
                    "name": name + suffix,
                    "id": base_id + suffix,
                    "placeholder": placeholders[depth],
                    "options": options,
                    "selected": chain[depth] if len(chain) > depth else "",
                    "hidden": depth > 0 and not options,
                }
            )
        context["widget"]["selects"] = selects
        # The lower selects are filled from a shared cache: the language is part of its URL.
        context["widget"]["language"] = get_language()
        return context

    def id_for_label(self, id_: str) -> str:
        return id_


class RegionField(forms.CharField):
    """A region chosen with ``RegionSelect``: "" or a code known to GB/T 2260 (an invalid
    stored code comes back as itself, for the service to refuse with its message)."""

    widget = RegionSelect

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class KeptFileInput(forms.FileInput):
    """A file input that shows the file kept from the last try (``core.uploads.upload_keep``)
    as "已选择：营业执照.png（重新选择）" and sends its token back in ``<name>_kept``; choosing
    another file replaces it. The form sets ``kept`` and reads the token."""

    template_name = "core/widgets/kept_file.html"
    kept: KeptUpload | None = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["kept"] = self.kept
        return context

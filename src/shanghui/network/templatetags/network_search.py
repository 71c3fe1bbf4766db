"""Names of codes on the network's pages: ``{{ code|industry_label }}``,
``{{ code|region_label }}``."""

from django import template

from shanghui.core.industries import industry_display_name
from shanghui.core.regions import region_display_name

register = template.Library()


@register.filter
def industry_label(code: str) -> str:
    return industry_display_name(code) if code else ""


@register.filter
def region_label(code: str) -> str:
    return region_display_name(code) if code else ""

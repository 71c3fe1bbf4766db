"""``{{ entry.action|action_label }}`` and ``{{ entry|audit_summary }}``: an audit entry as its
reader reads it, in their language (``core.audit``)."""

from django import template
from django.db import models

from shanghui.core.audit import action_label as label_of
from shanghui.core.audit import entry_summary

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return label_of(action)


@register.filter
def audit_summary(entry: models.Model) -> str:
    return entry_summary(entry)

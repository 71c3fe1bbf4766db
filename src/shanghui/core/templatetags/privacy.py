"""``{{ phone|masked_mobile }}``: a phone number as screens show it to everyone who has not
revealed it (``accounts.permissions.personal_data_unmasked``)."""

from django import template

from shanghui.core.phone import mask_mobile

register = template.Library()


@register.filter
def masked_mobile(phone: str | None) -> str:
    return mask_mobile(phone or "")

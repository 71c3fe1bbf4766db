"""The links other apps add to an association's public site (``core.contributions.
PUBLIC_SITE_LINKS``): ``{% load public_site %}{% public_site_links as links %}`` in the site's
frame, for the association of the request."""

from typing import Any

from django import template

from shanghui.core.contributions import PersonalLink
from shanghui.core.contributions import public_site_links as links_of

register = template.Library()


@register.simple_tag(takes_context=True)
def public_site_links(context: Any) -> list[PersonalLink]:
    association = getattr(context.get("request"), "association", None)
    return links_of(association) if association is not None else []

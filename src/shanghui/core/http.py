"""Request types for views (what the middleware puts on a request), and ids from requests."""

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from shanghui.accounts.models import Role
    from shanghui.associations.models import Association


class AppRequest(HttpRequest):
    htmx: HtmxDetails
    association: "Association | None"
    role: "Role | None"


class TenantRequest(AppRequest):
    """A request for a page inside an association's space (``TenantMiddleware`` ran)."""

    association: "Association"


def whole_number(value: object, *, below: int = 2**63) -> int | None:
    """A whole number written in ASCII digits — a query parameter, a form field — below
    ``below``, or None. ``str.isdigit`` alone also admits “²” and other digits ``int``
    refuses (a 500), and numbers beyond a database integer."""
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number < below else None


def id_or_404(value: object) -> int:
    """A database id from a URL or a form field; anything that is not one (malformed, beyond
    bigint) is answered with the same 404 as a missing id."""
    try:
        number = int(str(value))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 0 < number < 2**63:
        raise Http404
    return number

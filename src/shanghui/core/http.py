"""Request types for views: what the middleware puts on a request."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
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

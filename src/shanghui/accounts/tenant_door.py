"""The tenant door — the one way a request enters an association's scope.

``tenant_door`` resolves the association a request names, lets it through only if its status
is one a visitor may see, opens ``tenant_context`` for it and finds the caller's role there.
Both doormen call it and only translate its refusals into their own answers:

- pages: ``accounts.middleware.TenantMiddleware``, for every URL under ``/a/<association_slug>/``
  — the 404 page, or the suspended notice page (403);
- API: ``tenant_operation`` below, a view-mode decorator on every operation under
  ``/api/v1/associations/{slug}/`` that runs before parameters are parsed — the JSON 404, or
  ``association_suspended`` (403).

An unknown or not-yet-approved association is ``NoSuchAssociation``. A suspended one is
``AssociationSuspended`` for its own people and the platform's operators (``sees_suspension``),
and ``NoSuchAssociation`` for everyone else: a suspended association's name and status are not
for strangers. Requests open a scope only through this door; tasks and commands open a scope for
the one association they work on; reads across scopes happen only inside named ``access_*``
helpers."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from shanghui.accounts.callers import api_user
from shanghui.accounts.models import Role
from shanghui.accounts.permissions import role_in, sees_suspension
from shanghui.associations.models import Association
from shanghui.core.apikit.errors import error_response
from shanghui.core.tenancy import tenant_context

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shanghui.accounts.models import User


class AppRequest(HttpRequest):
    """A request as the middleware leaves it: htmx details, and the association and role the
    tenant door found (None outside an association's space)."""

    htmx: HtmxDetails
    association: Association | None
    role: Role | None


class TenantRequest(AppRequest):
    """A request for a page inside an association's space (the tenant door let it in:
    ``accounts.middleware.TenantMiddleware`` ran)."""

    association: Association


# The one rule of who may be entered: an allow-list, so a status added later stays shut
# until someone decides otherwise.
ENTERABLE = frozenset({Association.Status.ACTIVE, Association.Status.SUSPENDED})


class DoorRefused(Exception):
    """Raised by ``tenant_door`` before anything of the request ran."""


class NoSuchAssociation(DoorRefused):
    """Answer as for an association that does not exist (404)."""


class AssociationSuspended(DoorRefused):
    """The caller is told the association is suspended (403); ``request.association`` is set
    so the notice can name it."""


def tenant_door(
    request: HttpRequest,
    *,
    slug: str,
    user: "User | AnonymousUser | None",
    inside: Callable[[], HttpResponse],
) -> HttpResponse:
    """Runs ``inside`` in the scope of the association ``slug`` names, with
    ``request.association`` and ``request.role`` (None for callers without a role there) set.
    Raises ``DoorRefused`` instead, before ``inside`` runs, when the association is unknown,
    not enterable or suspended. A server error from ``inside`` keeps none of its writes."""
    association = Association.objects.filter(slug=slug).first()
    if association is None or association.status not in ENTERABLE:
        raise NoSuchAssociation
    if association.status == Association.Status.SUSPENDED:
        if not sees_suspension(user, association):
            raise NoSuchAssociation
        request.association = association  # type: ignore[attr-defined]
        raise AssociationSuspended
    request.association = association  # type: ignore[attr-defined]
    if request.method == "POST" and request.content_type == "multipart/form-data":
        # Read the uploaded files now, before the tenant's transaction opens: a large file
        # arrives over seconds or minutes, and no transaction (nor, on SQLite, the write
        # lock) should wait on a phone's upload. Django spools big files to
        # FILE_UPLOAD_TEMP_DIR; a malformed body is Django's 400 as before.
        request.FILES  # noqa: B018 - parsing the body is the point
    with tenant_context(association):
        request.role = role_in(user, association) if user is not None else None  # type: ignore[attr-defined]
        response = inside()
        if response.status_code >= 500 and connection.in_atomic_block:
            # The view failed after writing: keep nothing of it.
            transaction.set_rollback(True)
    return response


def tenant_operation(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's doorman: every operation under ``/api/v1/associations/{slug}/``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return tenant_door(
                request,
                slug=kwargs.get("slug", ""),
                user=api_user(request),
                inside=lambda: view(request, *args, **kwargs),
            )
        except NoSuchAssociation:
            return error_response("not_found", status=404)
        except AssociationSuspended:
            return error_response("association_suspended", status=403)

    return wrapper


def current_association(request: HttpRequest) -> Association:
    """The association the door let this request into."""
    return request.association  # type: ignore[attr-defined]


def current_role(request: HttpRequest) -> Role | None:
    """The caller's role in it (None for people without one)."""
    return request.role  # type: ignore[attr-defined]

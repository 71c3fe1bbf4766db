"""The API's tenancy hook — the one place the API opens a tenant scope.

Every operation under ``/api/v1/associations/{slug}/`` runs through ``tenant_operation``
before its parameters are even parsed: an unknown or not-yet-approved slug is a 404, and the
operation then runs inside ``tenant_context`` for that association (a transaction carrying the
association id for row-level security on PostgreSQL). A suspended association answers 403
``association_suspended`` to its own people and the platform's operators, and the same 404 as
an unknown slug to everyone else."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse

from shanghui.accounts.callers import api_user
from shanghui.accounts.models import Role
from shanghui.accounts.permissions import role_in, sees_suspension
from shanghui.associations.models import Association
from shanghui.core.apikit.errors import error_response
from shanghui.core.tenancy import tenant_context


def tenant_operation(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        association = Association.objects.filter(slug=kwargs.get("slug", "")).first()
        if association is None or association.status not in {
            Association.Status.ACTIVE,
            Association.Status.SUSPENDED,
        }:
            return error_response("not_found", status=404)
        if association.status == Association.Status.SUSPENDED:
            if not sees_suspension(api_user(request), association):
                return error_response("not_found", status=404)
            return error_response("association_suspended", status=403)
        request.association = association  # type: ignore[attr-defined]
        with tenant_context(association):
            user = api_user(request)
            request.role = role_in(user, association) if user else None  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            if response.status_code >= 500 and connection.in_atomic_block:
                transaction.set_rollback(True)
        return response

    return wrapper


def current_association(request: HttpRequest) -> Association:
    return request.association  # type: ignore[attr-defined]


def current_role(request: HttpRequest) -> Role | None:
    return request.role  # type: ignore[attr-defined]

"""Tenancy: every association is a tenant, and a query for tenant-owned rows must name one.

Two walls keep one association's data from another:

1. In the application, tenant-owned models use a django-scopes manager that refuses to run
   outside an open scope and filters by the scoped association inside one; ``tenant_context``
   opens it. Requests open a scope only through the tenant door (``accounts.tenant_door``,
   which the page middleware and the API's tenant hook both call); tasks and commands open a
   scope for the one association they work on; reads across scopes happen only inside named
   ``access_*`` helpers. (Core holds only this primitive: the door needs associations and
   roles, which stand above core.)
2. On PostgreSQL, row-level security: ``tenant_context`` sets ``app.association_id`` for the
   current transaction only (``set_config(..., true)``), and every tenant table's policy
   compares against it (see ``core.rls``). A pooled connection therefore never carries one
   request's association into the next.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, models, transaction
from django_scopes import ScopedManager, scope, scopes_disabled

from shanghui.core.types import Account, Tenant

__all__ = [
    "TenantModel",
    "person_context",
    "scopes_disabled",
    "tenant_context",
]


ASSOCIATION_SETTING = "app.association_id"


class TenantModel(models.Model):
    """Base of every tenant-owned table: a direct, non-null association foreign key and the
    scoped manager. Subclasses lead their indexes and unique constraints with ``association``.

    ``rls_person_field`` names a user foreign key on tables whose rows a person may read across
    all their associations (their own roles, their own member records). ``rls_person_updates``
    names the only fields a person may change in those rows from ``person_context`` (on
    PostgreSQL the database refuses any other change there, and any insert or delete)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="+", db_index=False
    )

    objects = ScopedManager(association="association")  # type: ignore[django-manager-missing]

    rls_person_field: str | None = None
    rls_person_updates: tuple[str, ...] = ()

    class Meta:
        abstract = True


def _set_local(name: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _swap_local(name: str, value: str) -> str:
    """Sets ``name`` for the transaction and answers what it was, in one statement
    (PostgreSQL evaluates a SELECT list from left to right)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting(%s, true), set_config(%s, %s, true)", [name, name, value]
        )
        value = cursor.fetchone()[0]
    return value or ""


# The associations ``tenant_context`` has set ``app.association_id`` to in the transaction
# now open, innermost last: re-entering the same association (the door's, again in a
# service) needs no statement at all, and a nested one knows what to go back to. A context
# variable is per thread, as Django's connections are.
_entered: ContextVar[tuple[int, ...]] = ContextVar("tenant_entered", default=())


@contextmanager
def tenant_context(association: Tenant) -> Iterator[None]:
    """Open the tenant scope for one association (and, on PostgreSQL, a transaction carrying
    the association id for row-level security). Nesting for another association is allowed
    for the few cross-tenant reads that consent permits; on exit the outer scope is back.

    On PostgreSQL a request's scope costs BEGIN, one ``set_config`` and COMMIT: the outermost
    context opens the transaction, so the setting ends with it and needs no reset; re-entering
    the association already set (a service called inside the door) issues nothing."""
    with scope(association=association):
        if connection.vendor != "postgresql":
            yield
            return
        entered = _entered.get()
        if entered and entered[-1] == association.pk and connection.in_atomic_block:
            yield
            return
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost:
                _set_local(ASSOCIATION_SETTING, str(association.pk))
                outer = ""
            elif entered:
                _set_local(ASSOCIATION_SETTING, str(association.pk))
                outer = str(entered[-1])
            else:  # inside a transaction someone else opened: the setting may be anything
                outer = _swap_local(ASSOCIATION_SETTING, str(association.pk))
            token = _entered.set((*entered, association.pk))
            try:
                yield
            finally:
                _entered.reset(token)
                if not outermost and not connection.needs_rollback:
                    # Nested use (a parent reading a consenting child's figures) returns
                    # to the outer association rather than to none.
                    _set_local(ASSOCIATION_SETTING, outer)


@contextmanager
def person_context(user: Account) -> Iterator[None]:
    """Read one person's own rows across every association they belong to (their roles, their
    member records). Callers filter by ``user`` themselves; on PostgreSQL the policy admits only
    rows whose person column is this user, and writes only to the fields a table names in
    ``rls_person_updates`` (anything else is written in the row's ``tenant_context``)."""
    with scopes_disabled():
        if connection.vendor == "postgresql":
            with transaction.atomic():
                _set_local("app.user_id", str(user.pk))
                try:
                    yield
                finally:
                    if not connection.needs_rollback:
                        _set_local("app.user_id", "")
        else:
            yield


@contextmanager
def person_setting(user: Account) -> Iterator[None]:
    """PostgreSQL only, inside a transaction the caller holds: sets the person of
    ``person_context`` for the block and empties it after, without a savepoint — for one read
    of the person's own rows (the inbox's unread badge) on a page inside an association."""
    _set_local("app.user_id", str(user.pk))
    try:
        yield
    finally:
        if not connection.needs_rollback:
            _set_local("app.user_id", "")

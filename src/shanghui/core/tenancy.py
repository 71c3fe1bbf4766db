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
   current transaction only (``SET LOCAL``), and every tenant table's policy
   compares against it (see ``core.rls``). A pooled connection therefore never carries one
   request's association into the next.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from django.db import connection, models, transaction
from django_scopes import ScopedManager, scope, scopes_disabled

from shanghui.core.types import Account, Tenant

__all__ = [
    "TenantModel",
    "person_context",
    "provider_context",
    "read_inside",
    "scopes_disabled",
    "tenant_context",
]


ASSOCIATION_SETTING = "app.association_id"
PROVIDER_SETTING = "app.provider_id"
PERSON_SETTING = "app.user_id"


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

    # The stubs describe Django 6's signature; the arguments pass through unchanged.
    def _do_update(self, base_qs: Any, *args: Any, **kwargs: Any) -> Any:
        # save() updates by id; the row's association goes into the WHERE too. On Citus it
        # names the shard, and there an UPDATE that sets the distribution column (every save
        # writes association_id) is refused unless the WHERE fixes it to the same value.
        # Elsewhere it is the same row: a row never moves to another association.
        filtered = base_qs.filter(association_id=self.association_id)
        return super()._do_update(filtered, *args, **kwargs)


_SETTINGS = frozenset({ASSOCIATION_SETTING, PROVIDER_SETTING, PERSON_SETTING})


def _set_local(name: str, value: str) -> None:
    """``SET LOCAL``, not ``set_config(…, true)``: the same transaction-local setting, and the
    one form Citus passes on to its workers (with ``citus.propagate_set_commands = 'local'``),
    where the row-level-security policies of the shards read it (docs/architecture.md,
    "Scale-out plan"). SET takes no parameters: the name is one of ours and the value an id."""
    _checked(name, value)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {name} = '{value}'")


def _checked(name: str, value: str) -> None:
    if name not in _SETTINGS or not (value == "" or value.isdigit()):
        raise ValueError(f"not a tenancy setting: {name}={value!r}")


def _swap_local(name: str, value: str) -> str:
    """Sets ``name`` for the transaction and answers what it was, in one round trip (two
    statements of one simple query; the first one's result is the answer)."""
    _checked(name, value)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT current_setting('{name}', true); SET LOCAL {name} = '{value}'")
        row = cursor.fetchone()
    return (row[0] if row else "") or ""


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

    On PostgreSQL a request's scope costs BEGIN, one ``SET LOCAL`` and COMMIT: the outermost
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
                _set_local(PERSON_SETTING, str(user.pk))
                try:
                    yield
                finally:
                    if not connection.needs_rollback:
                        _set_local(PERSON_SETTING, "")
        else:
            yield


def set_person(user: Account) -> None:
    """PostgreSQL only, inside a transaction the caller holds and empties the setting again
    before it ends: the person of ``person_context`` without its savepoint — for one read of
    the person's own rows (the inbox's unread badge) on a page inside an association."""
    _set_local(PERSON_SETTING, str(user.pk))


def clear_person() -> None:
    """Empties the person ``set_person`` set, in the same transaction."""
    _set_local(PERSON_SETTING, "")


@contextmanager
def read_inside(association: Tenant) -> Iterator[None]:
    """Reads inside another association's tenant scope and comes back to the caller's
    unchanged. On PostgreSQL the read runs in a savepoint that is rolled back: that also undoes
    the other association's transaction-local ``app.association_id``, so the caller's
    row-level-security setting holds again afterwards (``tenant_context`` alone would leave it
    empty). The one door for the few reads across associations that a consent or a choice
    permits: a parent reading a consenting child's figures (org, the charity roll-up), a
    member opening another association's published listing (``network.access_listing``).
    Nothing written inside is kept."""
    if connection.vendor != "postgresql":
        with tenant_context(association):
            yield
        return
    with transaction.atomic():
        with tenant_context(association):
            yield
        transaction.set_rollback(True)


class ProviderScope(Protocol):
    """What the provider context needs of a service provider (``providers.Provider``)."""

    pk: Any


@contextmanager
def provider_context(provider: ProviderScope) -> Iterator[None]:
    """Open the scope of one service provider — the second kind of tenant: its users, offers'
    leads and notes (``providers``). Like ``tenant_context``: django-scopes' ``provider``
    dimension for the scoped managers and, on PostgreSQL, ``app.provider_id`` for the
    transaction only, which the provider tables' policies compare against. Opened by the
    provider door for ``/p/<provider_slug>/`` and by the few services that write into a
    provider's scope on a member's behalf (an application creates its lead). On exit the
    setting is what it was (nested use inside an association's request leaves that request's
    association in place)."""
    with scope(provider=provider):
        if connection.vendor != "postgresql":
            yield
            return
        with transaction.atomic():
            outer = _swap_local(PROVIDER_SETTING, str(provider.pk))
            try:
                yield
            finally:
                if not connection.needs_rollback:
                    _set_local(PROVIDER_SETTING, outer)

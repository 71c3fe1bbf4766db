"""What the kernel knows of the objects other apps own: the association (the tenant), the
person's account and their role in an association — each as a ``Protocol`` of only what core
and the slots it holds read of it. ``associations.Association``, ``accounts.User`` and
``accounts.Role`` match them structurally, so core names none of those classes, not even for
mypy. Members are read-only properties, so a model's field (a plain attribute) matches them.

The django-stubs plugin types a foreign key's argument as the model it points to, so core's
queries name these by key: ``filter(association=association.pk)``,
``create(association_id=association.pk)`` — the same SQL."""

from typing import Any, Protocol, TypeAlias


class Tenant(Protocol):
    """An association, as core sees it: a row every tenant table points to."""

    @property
    def pk(self) -> int: ...

    @property
    def slug(self) -> str: ...


class Account(Protocol):
    """A person's account (``settings.AUTH_USER_MODEL``)."""

    @property
    def pk(self) -> int: ...

    @property
    def phone(self) -> str | None: ...

    @property
    def email(self) -> str: ...

    @property
    def language(self) -> str: ...

    @property
    def is_authenticated(self) -> bool: ...


class Position(Protocol):
    """A person's role in one association. Core only hands it to the ``visible_to`` callables
    apps register in its slots (``core.contributions``); those read its kind."""

    @property
    def kind(self) -> str: ...


# The association, and the account, as a callback an app registers with core receives them
# back: the app's own model instance, which core passes through without reading (what the
# app's seed put into ``DemoContext``, what ``PerAssociationCommand`` hands its subclass,
# what a slot's ``figures``/``items`` or an audience kind's ``people`` are called with). A
# callback's parameter is contravariant, so ``Tenant`` there would refuse every app function
# that takes ``Association``; core cannot name that model, so these stay open.
AppTenant: TypeAlias = Any
AppAccount: TypeAlias = Any

"""Every permission decision on the platform is made here.

A person's power inside an association comes from their ``Role`` there; platform operators
review onboarding and suspend associations but do not see inside an association's space
unless they also hold a role in it.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from shanghui.accounts.models import Role
from shanghui.core.tenancy import scopes_disabled, tenant_context
from shanghui.core.types import Position

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shanghui.accounts.models import User
    from shanghui.associations.models import Association


class Perm(StrEnum):
    VIEW_SPACE = "space.view"  # member pages: home, directory, own profile
    VIEW_OFFICE = "office.view"  # the back office
    MANAGE_MEMBERS = "members.manage"
    VIEW_PERSONAL_DATA = "members.personal_data"  # unmasked phone numbers etc.
    EXPORT_MEMBERS = "members.export"
    MANAGE_ROLES = "roles.manage"
    VIEW_AUDIT = "audit.view"
    EDIT_SETTINGS = "association.settings"
    EDIT_CONTENT = "content.edit"  # write news and notices (drafts, submit for review)
    PUBLISH_CONTENT = "content.publish"  # publish, schedule, unpublish and pin them
    MANAGE_EVENTS = "events.manage"  # events, registrations, check-in, attendance, minutes
    MANAGE_DOCUMENTS = "documents.manage"  # the library: upload, organize, share, trash
    PURGE_DOCUMENTS = "documents.purge"  # empty the library's trash for good
    MANAGE_CHARITY = "charity.manage"  # campaigns, the donations ledger, sponsorship, honors
    MODERATE_NETWORK = "network.moderate"  # review, take down and block in 供需对接; reports
    CHOOSE_OFFERS = "providers.choose"  # which providers' offers members see; their use


_MEMBER = {Perm.VIEW_SPACE}
_STAFF = _MEMBER | {
    Perm.VIEW_OFFICE,
    Perm.MANAGE_MEMBERS,
    Perm.VIEW_PERSONAL_DATA,
    Perm.EDIT_CONTENT,
    Perm.MANAGE_EVENTS,
    Perm.MANAGE_DOCUMENTS,
    Perm.MANAGE_CHARITY,
    Perm.MODERATE_NETWORK,
}
_ADMIN = _STAFF | {
    Perm.CHOOSE_OFFERS,
    Perm.EXPORT_MEMBERS,
    Perm.MANAGE_ROLES,
    Perm.VIEW_AUDIT,
    Perm.EDIT_SETTINGS,
    Perm.PUBLISH_CONTENT,
    Perm.PURGE_DOCUMENTS,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.Kind.MEMBER: frozenset(_MEMBER),
    Role.Kind.STAFF: frozenset(_STAFF),
    Role.Kind.ADMIN: frozenset(_ADMIN),
}


def role_in(user: "User | AnonymousUser", association: "Association") -> Role | None:
    """The active role of ``user`` in ``association``, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    with scopes_disabled():
        return (
            Role.objects.filter(association=association, user=user, is_active=True)
            .only("id", "kind", "grants", "association_id", "user_id")
            .first()
        )


def sees_suspension(user: "User | AnonymousUser | None", association: "Association") -> bool:
    """Whether ``user`` is told that ``association`` is suspended: its own people (an active
    role there) and the platform's operators. Both doors (``TenantMiddleware``,
    ``tenant_operation``) answer everyone else the 404 of an association that does not exist:
    a suspended association's name and status are not for strangers."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_platform_operator", False):
        return True
    with tenant_context(association):  # roles are read under row-level security
        return role_in(user, association) is not None


# What an administrator may grant a staff member beyond their role (``Role.grants``, on the
# people & roles page): publishing content is the administrators' unless granted.
GRANTABLE: dict[str, frozenset[Perm]] = {Role.Kind.STAFF: frozenset({Perm.PUBLISH_CONTENT})}


def permissions_of(role: Position | None) -> frozenset[Perm]:
    """The role's kind's permissions, with the grants its kind admits (``GRANTABLE``)."""
    if not role:
        return frozenset()
    base = ROLE_PERMISSIONS.get(role.kind, frozenset())
    grants = getattr(role, "grants", None)
    if not grants:
        return base
    return base | (
        GRANTABLE.get(role.kind, frozenset()) & {Perm(g) for g in grants if g in _VALUES}
    )


_VALUES = frozenset(p.value for p in Perm)


def has_perm(role: Position | None, perm: Perm) -> bool:
    return perm in permissions_of(role)


def require_member(role: Role | None) -> Role:
    """Inside an association's space a stranger gets the same 404 as for a space that does not
    exist: the answer must not tell whether the association's private pages exist."""
    if role is None:
        raise Http404
    return role


def require_perm(role: Role | None, perm: Perm) -> Role:
    """404 for strangers; 403 for members whose role lacks the permission."""
    role = require_member(role)
    if not has_perm(role, perm):
        raise PermissionDenied
    return role


def may_check_in(role: Role | None, *, assigned: bool) -> bool:
    """Working one event's door: whoever manages events, or a person with a role in the
    association whom the secretariat assigned as that event's 签到员 (``assigned``, decided
    by the events module from its own table). Nothing else of the back office follows."""
    return role is not None and (has_perm(role, Perm.MANAGE_EVENTS) or assigned)


def require_check_in(role: Role | None, *, assigned: bool) -> Role:
    """404 for strangers; 403 for members who neither manage events nor are assigned."""
    role = require_member(role)
    if not may_check_in(role, assigned=assigned):
        raise PermissionDenied
    return role


# Personal data — a person's phone number, email, ID number, home address — follows one rule on
# every page, in every API answer and in every export (``personal_data_unmasked``):
#
# - on screen it is masked (138****5678) for everyone until a reveal: the secretariat
#   (``Perm.VIEW_PERSONAL_DATA``) unmasks one record at a time, on the page or through the
#   API's matching ``…/reveal`` endpoint;
# - handed over as data — an API answer, an export file — it is unmasked only for whoever may
#   export (``Perm.EXPORT_MEMBERS``), the same permission on both doors; everyone else gets
#   it masked there too;
# - members and door volunteers never unmask anything, except a phone its owner chose to show
#   to members (``Person.show_phone``); a person always sees their own.
#
# Audited and rate-limited per user (``core.privacy``): every reveal, and every page of a list
# of people the secretariat reads, masked or not, as one record (who, which list, how many
# rows, which filter).


def personal_data_unmasked(
    role: Role | None, *, revealed: bool = False, on_screen: bool = False
) -> bool:
    """Whether ``role`` sees other people's personal data unmasked (the rule above):
    ``revealed`` — one record the viewer asked to reveal (the caller audits it with
    ``core.privacy.personal_data_reveal``); ``on_screen`` — a page rather than data handed
    over (API answer, export file)."""
    if revealed:
        return may_reveal_personal_data(role)
    return not on_screen and has_perm(role, Perm.EXPORT_MEMBERS)


def may_reveal_personal_data(role: Role | None) -> bool:
    return has_perm(role, Perm.VIEW_PERSONAL_DATA)


def reads_people_audited(role: Role | None) -> bool:
    """Whether this role's reads of lists of people are audited and rate-limited as bulk
    reads of personal data (the secretariat's; a member's directory has its own limit)."""
    return has_perm(role, Perm.VIEW_PERSONAL_DATA)


def require_platform_operator(user: "User | AnonymousUser") -> None:
    if not (
        user.is_authenticated and user.is_active and getattr(user, "is_platform_operator", False)
    ):
        raise PermissionDenied

"""The one rule for roles. Every path that grants, changes or ends a person's role in an
association comes through here — the people & roles page and API, accepted invitations,
approved membership and onboarding applications, the demo seed and account deletion:

- granting never lowers a role the person holds (administrator > staff > member): whoever may
  grant a role by phone (an anonymous application approved, an invitation accepted late) can
  only add rights, never take them;
- an association always keeps an active administrator: revoking, demoting or deleting the
  account of the last one is refused with the reason. The check locks the association's
  administrator roles until the transaction ends, so two administrators removing each other
  at the same moment cannot both succeed (on SQLite the IMMEDIATE transaction serializes)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import GRANTABLE
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.tenancy import person_context, tenant_context

RANK = {Role.Kind.MEMBER: 1, Role.Kind.STAFF: 2, Role.Kind.ADMIN: 3}


def _kind(kind: str) -> Role.Kind:
    if kind not in Role.Kind.values:
        raise ValidationError({"role": _("请选择角色")})
    return Role.Kind(kind)


def _locked_admin_ids(association: Association) -> set[int]:
    """Ids of the association's active administrators (whose account is not deleted), locked
    until the caller's transaction ends. Must run inside the association's tenant context."""
    return set(
        Role.objects.select_for_update(of=("self",))
        .filter(association=association, kind=Role.Kind.ADMIN, is_active=True, user__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _keep_an_administrator(association: Association, role: Role) -> None:
    admins = _locked_admin_ids(association)
    if role.pk in admins and not admins - {role.pk}:
        raise ValidationError(
            _("至少需要保留一位管理员：请先指定另一位管理员，再移除或更改此人的角色"),
            code="last_admin",
        )


def _drop_grants_not_admitted(role: Role) -> list[str]:
    """Keeps only the grants ``GRANTABLE`` admits for the role's (new) kind and returns those
    dropped: a grant must not lie dormant, to come back should the kind change again."""
    allowed = {perm.value for perm in GRANTABLE.get(role.kind, frozenset())}
    current = list(role.grants or [])
    role.grants = [grant for grant in current if grant in allowed]
    return [grant for grant in current if grant not in allowed]


@transaction.atomic
def role_grant(*, association: Association, actor: User | None, user: User, kind: str) -> Role:
    """Gives ``user`` at least the role ``kind`` in ``association``: a person without an active
    role here gets it; one who holds a higher role keeps it (granting never lowers). Must run
    inside the association's tenant context."""
    kind = _kind(kind)
    role, created = Role.objects.get_or_create(
        association=association, user=user, defaults={"kind": kind}
    )
    if not created:
        role = Role.objects.select_for_update().get(pk=role.pk)
        if role.is_active and RANK[Role.Kind(role.kind)] >= RANK[kind]:
            return role
        role.kind, role.is_active = kind, True
        role.save(update_fields=["kind", "is_active"])
    audit(
        actor=actor,
        action="role.grant",
        association=association,
        target=role,
        summary=f"{user.name} → {role.get_kind_display()}",
    )
    return role


@transaction.atomic
def role_change(*, association: Association, actor: User, role: Role, kind: str) -> Role:
    """Sets an active role to ``kind`` — up or down — for someone who may manage roles
    (checked by the caller). The last administrator cannot be demoted. Must run inside the
    association's tenant context."""
    kind = _kind(kind)
    if kind != Role.Kind.ADMIN:
        _keep_an_administrator(association, role)
    role = Role.objects.select_for_update(of=("self",)).select_related("user").get(pk=role.pk)
    if not role.is_active:
        raise ValidationError(_("该角色已被移除"), code="inactive_role")
    if role.kind == kind:
        return role
    before = role.get_kind_display()
    role.kind = kind
    dropped = _drop_grants_not_admitted(role)
    role.save(update_fields=["kind", "grants"])
    audit(
        actor=actor,
        action="role.change",
        association=association,
        target=role,
        summary=f"{role.user.name}: {before} → {role.get_kind_display()}",
        data={"grants_cleared": dropped} if dropped else None,
    )
    return role


@transaction.atomic
def role_revoke(*, association: Association, actor: User, role: Role) -> Role:
    """Ends a person's role in ``association``. The last administrator cannot be removed.
    Must run inside the association's tenant context."""
    _keep_an_administrator(association, role)
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.is_active:
        role.is_active = False
        role.save(update_fields=["is_active"])
        audit(actor=actor, action="role.revoke", association=association, target=role)
    return role


@transaction.atomic
def role_grants_set(
    *, association: Association, actor: User, role: Role, grants: list[str]
) -> Role:
    """Sets the permissions an administrator grants ``role`` beyond its kind's — only those
    ``accounts.permissions.GRANTABLE`` admits for its kind (a staff member: publishing
    content); anything else is refused. Must run inside the association's tenant context."""
    role = Role.objects.select_for_update(of=("self",)).select_related("user").get(pk=role.pk)
    if not role.is_active:
        raise ValidationError(_("该角色已被移除"), code="inactive_role")
    allowed = {perm.value for perm in GRANTABLE.get(role.kind, frozenset())}
    wanted = sorted(set(grants))
    if any(grant not in allowed for grant in wanted):
        raise ValidationError({"grants": _("该角色不能授予此权限")})
    if wanted == sorted(role.grants or []):
        return role
    role.grants = wanted
    role.save(update_fields=["grants"])
    audit(
        actor=actor,
        action="role.grants",
        association=association,
        target=role,
        summary=f"{role.user.name}: {', '.join(wanted) or '-'}",
        data={"grants": wanted},
    )
    return role


def access_role(*, association: Association, role_id: int) -> Role:
    """A role in ``association`` by id; the same 404 for missing and foreign ids."""
    role = Role.objects.filter(association=association, pk=role_id).select_related("user").first()
    if role is None:
        raise Http404
    return role


def sole_admin_of(user: User, *, lock: bool = False) -> list[Association]:
    """The associations in which ``user`` is the only active administrator. With ``lock``
    (inside a transaction), their administrator roles stay locked until it ends."""
    with person_context(user):
        ids = list(
            Role.objects.filter(user=user, kind=Role.Kind.ADMIN, is_active=True)
            .order_by("association_id")
            .values_list("association_id", flat=True)
        )
    sole: list[Association] = []
    for association in Association.objects.filter(pk__in=ids).order_by("pk"):
        with tenant_context(association):
            if lock:
                admins = _locked_admin_ids(association)
            else:
                admins = set(
                    Role.objects.filter(
                        association=association,
                        kind=Role.Kind.ADMIN,
                        is_active=True,
                        user__is_active=True,
                    ).values_list("pk", flat=True)
                )
            if len(admins) <= 1:
                sole.append(association)
    return sole


def successor_required(*, user: User) -> None:
    """Refuses (ValidationError) while ``user`` is the last administrator of an association:
    deleting their account would leave it with none. Called at the start of account deletion,
    in its transaction, so a second administrator deleting at once waits and is refused."""
    sole = sole_admin_of(user, lock=True)
    if sole:
        raise ValidationError(
            _(
                "请先指定另一位管理员，再注销账号：您是“%(names)s”唯一的管理员，"
                "注销后该会将无人管理。"
            )
            % {"names": "”“".join(a.name for a in sole)},
            code="last_admin",
        )

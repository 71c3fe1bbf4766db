"""The association's lifecycle on the platform (suspending, restoring) and its profile."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.models import StoredFile
from shanghui.core.storage.files import file_attach, store_refusals
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Account
from shanghui.core.uploads import image_normalized, picture_put


@transaction.atomic
def association_set_status(
    *, actor: Account, association: Association, status: str, reason: str
) -> Association:
    """Suspends an active association or restores a suspended one (operator only)."""
    allowed = {
        Association.Status.ACTIVE: {Association.Status.SUSPENDED},
        Association.Status.SUSPENDED: {Association.Status.ACTIVE},
    }
    if status not in allowed.get(Association.Status(association.status), set()):
        raise ValidationError(_("当前状态下不能执行该操作"), code="invalid_transition")
    if status == Association.Status.SUSPENDED and not reason.strip():
        raise ValidationError({"reason": _("请填写暂停原因")})
    association.status = status
    association.save(update_fields=["status"])
    audit(
        actor=actor,
        action=f"association.{status}",
        target=association,
        summary=reason.strip(),
    )
    return association


# What an operator may give one association: 1 GB to 100 TB.
QUOTA_MIN = 1024**3
QUOTA_MAX = 100 * 1024**4


@transaction.atomic
def association_set_quota(*, actor: Account, association: Association, quota: int) -> Association:
    """The operator sets the association's storage quota (bytes) for its document library
    and every other stored file. Lowering it below what is used removes nothing: new uploads
    are refused until enough is purged."""
    if not QUOTA_MIN <= quota <= QUOTA_MAX:
        raise ValidationError({"quota_gb": _("存储容量须在 1 GB 到 100 TB 之间")})
    old = association.storage_quota
    association.storage_quota = quota
    association.save(update_fields=["storage_quota"])
    audit(
        actor=actor,
        action="association.quota",
        target=association,
        data={"old": old, "new": quota},
    )
    return association


@transaction.atomic
def association_update_profile(
    *, actor: Account, association: Association, short_name: str
) -> Association:
    """The secretariat edits the association's short name (administrators only, checked by
    the caller). Its introduction is public text: edited with the rest of the public site
    (``association_update_site``, the 官网设置 page and its API), nowhere else."""
    short_name = short_name.strip()
    if not short_name:
        raise ValidationError({"short_name": _("请填写简称")})
    association.short_name = short_name[:30]
    association.save(update_fields=["short_name"])
    audit(actor=actor, action="association.update", association=association, target=association)
    return association


@dataclass(frozen=True)
class SiteProfile:
    """How the association presents itself on its public site (官网)."""

    introduction: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    icp_number: str = ""
    showcase_enabled: bool = False


SITE_PROFILE_FIELDS = tuple(SiteProfile.__dataclass_fields__)


@transaction.atomic
def association_update_site(
    *, actor: Account, association: Association, profile: SiteProfile
) -> Association:
    """Saves the public site's introduction, contact, ICP 备案号 and whether the member
    showcase shows (administrators only, checked by the caller)."""
    values: dict[str, str | bool] = {
        "introduction": profile.introduction.strip(),
        "contact_phone": profile.contact_phone.strip()[:30],
        "contact_email": profile.contact_email.strip()[:254],
        "contact_address": profile.contact_address.strip()[:200],
        "icp_number": profile.icp_number.strip()[:40],
        "showcase_enabled": profile.showcase_enabled is True,
    }
    email = str(values["contact_email"])
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"contact_email": _("请填写有效的邮箱地址")}) from None
    changed = [name for name, value in values.items() if getattr(association, name) != value]
    for name in changed:
        setattr(association, name, values[name])
    if changed:
        association.save(update_fields=changed)
        audit(
            actor=actor,
            action="association.site",
            association=association,
            target=association,
            summary=", ".join(changed),
        )
    return association


BANNER_MAX_SIDE = 1600
BANNER_HOLDER = "associations.association.banner"


def banner_prepare(
    upload: UploadedFile, *, association: Association, actor: Account | None
) -> StoredFile:
    """The banner re-encoded (``core.uploads.image_normalized``, at most 1600 px wide) and
    stored for ``association``, not yet attached: Pillow's work and the store's, to be done
    before a transaction opens (on SQLite a transaction holds the database's write lock
    meanwhile). ValidationError on ``banner`` when the picture is refused or the association's
    storage is full."""
    picture = image_normalized(upload, field="banner", max_side=BANNER_MAX_SIDE)
    with store_refusals("banner"):
        return picture_put(association, picture, holder=BANNER_HOLDER, by=actor)


@transaction.atomic
def association_set_banner(
    *, actor: Account, association: Association, picture: StoredFile | None
) -> Association:
    """Makes ``picture`` (from ``banner_prepare``) the public site's banner; None removes it.
    Only rows are written here: the picture was decoded and stored beforehand. The banner it
    replaces is kept as a version (a removed one goes to the trash)."""
    # What it holds now (another administrator may have changed it since the page loaded).
    association.banner_id = (
        Association.objects.select_for_update()
        .values_list("banner_id", flat=True)
        .get(pk=association.pk)
    )
    with tenant_context(association):
        file_attach(association, "banner", picture)
    audit(
        actor=actor,
        action="association.banner",
        association=association,
        target=association,
    )
    return association

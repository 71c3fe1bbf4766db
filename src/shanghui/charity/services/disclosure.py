"""The association's charity settings: whether it discloses its charity work publicly and
the introduction of its public page. (Whether a campaign shows is the campaign's own
``is_public``.)"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.charity.models import CharitySettings
from shanghui.core.audit import audit
from shanghui.core.types import Tenant

INTRO_LIMIT = 2000


@transaction.atomic
def charity_settings_update(
    *, association: Tenant, actor: User | None, disclose_publicly: bool, public_intro: str
) -> CharitySettings:
    """Saves the settings (the row is created on first save); audit-logged as
    ``charity.settings.update`` with what changed. Callers check MANAGE_CHARITY."""
    intro = (public_intro or "").strip()
    if len(intro) > INTRO_LIMIT:
        raise ValidationError(
            {"public_intro": _("不能超过 %(limit)d 个字") % {"limit": INTRO_LIMIT}}
        )
    settings, created = CharitySettings.objects.select_for_update().get_or_create(
        association_id=association.pk
    )
    changed = {
        name: value
        for name, value in (("disclose_publicly", disclose_publicly), ("public_intro", intro))
        if getattr(settings, name) != value
    }
    if not changed and not created:
        return settings
    settings.disclose_publicly = disclose_publicly
    settings.public_intro = intro
    settings.save(update_fields=["disclose_publicly", "public_intro", "updated_at"])
    audit(
        actor=actor,
        action="charity.settings.update",
        association=association,
        target=settings,
        summary=_("公开慈善公益信息：%(state)s")
        % {"state": _("开启") if disclose_publicly else _("关闭")},
        data={"changed": sorted(changed)},
    )
    return settings

"""The public site's settings (官网设置): one page and one API call for what is kept in
several apps — the association's profile for the site (associations), the public calendar
(events), the public organisation chart (org) and sharing news on the platform portal (this
app)."""

from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.associations.models import Association
from shanghui.associations.services.associations import (
    SiteProfile,
    association_set_banner,
    association_update_site,
    banner_prepare,
)
from shanghui.core.models import StoredFile
from shanghui.events import selectors as event_selectors
from shanghui.events.services.events import calendar_settings_update
from shanghui.org import selectors as org_selectors
from shanghui.org.services.terms import org_settings_update
from shanghui.publishing.models import SiteSettings
from shanghui.publishing.services.categories import portal_sharing_set


@dataclass(frozen=True)
class SiteSettingsData:
    introduction: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    icp_number: str = ""
    showcase_enabled: bool = False
    publish_calendar: bool = False
    publish_chart: bool = False
    share_news_to_portal: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FIELDS = tuple(SiteSettingsData.__dataclass_fields__)


def site_settings_read(*, association: Association) -> SiteSettingsData:
    share = SiteSettings.objects.filter(association=association, share_news_to_portal=True).exists()
    return SiteSettingsData(
        introduction=association.introduction,
        contact_phone=association.contact_phone,
        contact_email=association.contact_email,
        contact_address=association.contact_address,
        icp_number=association.icp_number,
        showcase_enabled=association.showcase_enabled,
        publish_calendar=event_selectors.calendar_published(association=association),
        publish_chart=org_selectors.chart_published(association=association),
        share_news_to_portal=share,
    )


def site_settings_update(
    *,
    association: Association,
    actor: User,
    role: Role | None,
    data: SiteSettingsData,
    banner: UploadedFile | None = None,
    remove_banner: bool = False,
) -> SiteSettingsData:
    """Saves the whole page — for whoever holds ``EDIT_SETTINGS`` (checked here:
    ``PermissionDenied`` otherwise, whichever door called); each app's part through that
    app's own service, which audits it — only the parts that changed. A new banner is
    decoded, re-encoded and stored before the transaction opens: only rows are written
    inside it."""
    if not has_perm(role, Perm.EDIT_SETTINGS):
        raise PermissionDenied
    picture = (
        banner_prepare(banner, association=association, actor=actor) if banner is not None else None
    )
    with transaction.atomic():
        return _site_settings_write(
            association=association,
            actor=actor,
            role=role,
            data=data,
            picture=picture,
            remove_banner=remove_banner,
        )


def _site_settings_write(
    *,
    association: Association,
    actor: User,
    role: Role | None,
    data: SiteSettingsData,
    picture: StoredFile | None,
    remove_banner: bool,
) -> SiteSettingsData:
    before = site_settings_read(association=association)
    association_update_site(
        actor=actor,
        association=association,
        profile=SiteProfile(
            **{name: getattr(data, name) for name in SiteProfile.__dataclass_fields__}
        ),
    )
    if picture is not None or (remove_banner and association.banner_id):
        association_set_banner(actor=actor, association=association, picture=picture)
    if data.publish_calendar != before.publish_calendar:
        calendar_settings_update(
            association=association, actor=actor, publish_calendar=data.publish_calendar
        )
    if data.publish_chart != before.publish_chart:
        org_settings_update(association=association, actor=actor, publish_chart=data.publish_chart)
    if data.share_news_to_portal != before.share_news_to_portal:
        portal_sharing_set(
            association=association, actor=actor, role=role, share=data.share_news_to_portal
        )
    return site_settings_read(association=association)

"""The public site as data (``GET /associations/{slug}/site``, for anyone), its settings
(``/associations/{slug}/site-settings``, EDIT_SETTINGS) and the platform portal's news
(``GET /portal/news``, for anyone, from the platform table ``PortalNewsItem``)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Path, Router, Schema
from ninja.pagination import paginate
from pydantic import StrictBool

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.publishing.public_site import public_home
from shanghui.publishing.selectors import portal_news as portal_news_items
from shanghui.publishing.services import site as site_services

site_router = Router(tags=["官网"])
portal_router = Router(tags=["平台门户"])


class SiteArticleOut(Schema):
    id: int
    title: str
    summary: str
    category: str
    published_at: datetime | None
    pinned: bool


class SiteEventOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str


class SiteLeaderOut(Schema):
    post: str
    names: list[str]


class SiteMemberOut(Schema):
    id: int
    name: str
    industry_code: str
    main_products: str
    has_logo: bool


class SiteOut(Schema):
    name: str
    short_name: str
    kind: str
    introduction: str
    has_banner: bool
    contact_phone: str
    contact_email: str
    contact_address: str
    icp_number: str
    calendar_published: bool
    chart_published: bool
    news: list[SiteArticleOut]
    events: list[SiteEventOut]
    leaders: list[SiteLeaderOut]
    showcase: list[SiteMemberOut]


class SiteSettingsIO(Schema):
    introduction: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    icp_number: str = ""
    showcase_enabled: StrictBool = False
    publish_calendar: StrictBool = False
    publish_chart: StrictBool = False
    share_news_to_portal: StrictBool = False


@site_router.get(
    "/site",
    operation_id="shanghui_publishing_api_site",
    auth=None,
    response={200: SiteOut, **ERRORS},
)
def site(request: HttpRequest, slug: Path[str]) -> object:
    """The association's public site: what its public home shows, for anyone."""
    association = current_association(request)
    home = public_home(association)
    return {
        "name": association.name,
        "short_name": association.short_name,
        "kind": association.kind,
        "introduction": association.introduction,
        "has_banner": association.banner_id is not None,
        "contact_phone": association.contact_phone,
        "contact_email": association.contact_email,
        "contact_address": association.contact_address,
        "icp_number": association.icp_number,
        "calendar_published": home.calendar_published,
        "chart_published": home.chart_published,
        "news": [
            {
                "id": a.pk,
                "title": a.title,
                "summary": a.summary,
                "category": a.category.name if a.category else "",
                "published_at": a.published_at,
                "pinned": a.pinned,
            }
            for a in home.news
        ],
        "events": [
            {
                "id": e.pk,
                "title": e.title,
                "starts_at": e.starts_at,
                "ends_at": e.ends_at,
                "venue": e.venue,
            }
            for e in home.events
        ],
        "leaders": [{"post": p.post, "names": p.names} for p in home.leaders],
        "showcase": [
            {
                "id": m.pk,
                "name": m.name,
                "industry_code": m.industry_code,
                "main_products": m.main_products,
                "has_logo": m.logo_id is not None,
            }
            for m in home.showcase
        ],
    }


@site_router.get("/site-settings", response={200: SiteSettingsIO, **ERRORS})
def site_settings(request: HttpRequest, slug: Path[str]) -> object:
    """官网设置 (EDIT_SETTINGS)."""
    require_perm(current_role(request), Perm.EDIT_SETTINGS)
    return site_services.site_settings_read(association=current_association(request)).as_dict()


@site_router.put("/site-settings", response={200: SiteSettingsIO, **ERRORS})
def site_settings_update(request: HttpRequest, slug: Path[str], payload: SiteSettingsIO) -> object:
    """Saves the public site's settings (the banner is uploaded on the settings page)."""
    require_perm(current_role(request), Perm.EDIT_SETTINGS)
    return site_services.site_settings_update(
        association=current_association(request),
        actor=signed_in_user(request),
        role=current_role(request),
        data=site_services.SiteSettingsData(**payload.dict()),
    ).as_dict()


class PortalNewsOut(Schema):
    id: int
    association_slug: str
    association_name: str
    article_id: int
    title: str
    summary: str
    published_at: datetime


@portal_router.get(
    "/news",
    operation_id="shanghui_publishing_api_portal_news",
    auth=None,
    response={200: list[PortalNewsOut], **ERRORS},
)
@paginate(Pages)
def portal_news(request: HttpRequest) -> object:
    """The public news of the associations that share theirs with the platform portal."""
    return portal_news_items()

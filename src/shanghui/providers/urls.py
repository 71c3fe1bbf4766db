from django.urls import URLPattern, path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.providers.door import PROVIDER_SPACE
from shanghui.providers.views import apply, back_office, platform
from shanghui.providers.views import member as p2_member
from shanghui.providers.views import office as p2_office

app_name = "providers"

# One list, in parts.
urlpatterns: list[URLPattern] = []

# -- Applying, vetting, the provider back office: offers, leads, users (part P1) -------------
P = PROVIDER_SPACE
urlpatterns += [
    path("providers/apply/", apply.apply, name="apply"),
    path("providers/apply/done/", apply.apply_done, name="apply_done"),
    path("platform/providers/", platform.platform_providers, name="platform_providers"),
    path(
        "platform/providers/<int:provider_id>/",
        platform.platform_provider,
        name="platform_provider",
    ),
    path(
        "platform/providers/<int:provider_id>/licence/",
        platform.platform_provider_licence,
        name="platform_provider_licence",
    ),
    path(
        "platform/providers/<int:provider_id>/decide/",
        platform.platform_provider_decide,
        name="platform_provider_decide",
    ),
    path(P, back_office.back_office, name="back_office"),
    path(f"{P}offers/", back_office.back_offers, name="back_offers"),
    path(f"{P}offers/new/", back_office.back_offer_new, name="back_offer_new"),
    path(f"{P}offers/<int:offer_id>/", back_office.back_offer, name="back_offer"),
    path(f"{P}offers/<int:offer_id>/edit/", back_office.back_offer_edit, name="back_offer_edit"),
    path(
        f"{P}offers/<int:offer_id>/publish/",
        back_office.back_offer_publish,
        name="back_offer_publish",
    ),
    path(
        f"{P}offers/<int:offer_id>/withdraw/",
        back_office.back_offer_withdraw,
        name="back_offer_withdraw",
    ),
    path(f"{P}leads/", back_office.back_leads, name="back_leads"),
    path(f"{P}leads/<int:lead_id>/", back_office.back_lead, name="back_lead"),
    path(f"{P}leads/<int:lead_id>/status/", back_office.back_lead_status, name="back_lead_status"),
    path(f"{P}leads/<int:lead_id>/note/", back_office.back_lead_note, name="back_lead_note"),
    path(f"{P}users/", back_office.back_users, name="back_users"),
    path(
        f"{P}users/<int:provider_user_id>/remove/",
        back_office.back_user_remove,
        name="back_user_remove",
    ),
]

# -- Associations choose offers; members apply, withdraw and rate; usage (part P2) -----------
P2_MEMBER = f"{SPACE}services/"
P2_OFFICE = f"{OFFICE}services/"
urlpatterns += [
    path(P2_MEMBER, p2_member.offers, name="offers"),
    path(f"{P2_MEMBER}<int:offer_id>/", p2_member.offer, name="offer"),
    path(f"{P2_MEMBER}<int:offer_id>/apply/", p2_member.offer_apply, name="offer_apply"),
    path(f"{P2_MEMBER}mine/", p2_member.my_applications, name="my_applications"),
    path(
        f"{P2_MEMBER}applications/<int:offer_application_id>/withdraw/",
        p2_member.application_withdraw,
        name="application_withdraw",
    ),
    path(
        f"{P2_MEMBER}applications/<int:offer_application_id>/rate/",
        p2_member.application_rate,
        name="application_rate",
    ),
    path(P2_OFFICE, p2_office.office_catalogue, name="office_catalogue"),
    path(f"{P2_OFFICE}usage/", p2_office.office_usage, name="office_usage"),
    path(f"{P2_OFFICE}<int:offer_id>/", p2_office.office_offer, name="office_offer"),
    path(
        f"{P2_OFFICE}<int:offer_id>/choose/",
        p2_office.office_offer_choose,
        name="office_offer_choose",
    ),
    path(
        f"{P2_OFFICE}<int:offer_id>/unchoose/",
        p2_office.office_offer_unchoose,
        name="office_offer_unchoose",
    ),
    path(
        f"{P2_OFFICE}<int:offer_id>/course/",
        p2_office.office_offer_course,
        name="office_offer_course",
    ),
]

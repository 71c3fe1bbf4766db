from django.urls import URLPattern, path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.providers.views import member as p2_member
from shanghui.providers.views import office as p2_office

app_name = "providers"

# One list, in parts.
urlpatterns: list[URLPattern] = []

# -- Applying, vetting, the provider back office: offers, leads, users (part P1) -------------

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

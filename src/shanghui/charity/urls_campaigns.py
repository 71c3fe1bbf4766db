"""The routes of campaigns, partners and pledges, included into the ``charity`` namespace by
``charity/urls.py``: the back office under {OFFICE}charity/, the member's pages under
{SPACE}charity/."""

from django.urls import URLPattern, path

from shanghui.charity.views import campaigns, campaigns_member
from shanghui.core.urls import OFFICE, SPACE

urlpatterns: list[URLPattern] = [
    path(f"{OFFICE}charity/campaigns/", campaigns.office_campaigns, name="office_campaigns"),
    path(
        f"{OFFICE}charity/campaigns/new/",
        campaigns.office_campaign_new,
        name="office_campaign_new",
    ),
    path(
        f"{OFFICE}charity/campaigns/<int:campaign_id>/",
        campaigns.office_campaign,
        name="office_campaign",
    ),
    path(
        f"{OFFICE}charity/campaigns/<int:campaign_id>/edit/",
        campaigns.office_campaign_edit,
        name="office_campaign_edit",
    ),
    path(
        f"{OFFICE}charity/campaigns/<int:campaign_id>/pledges/new/",
        campaigns.office_pledge_new,
        name="office_pledge_new",
    ),
    path(f"{OFFICE}charity/partners/", campaigns.office_partners, name="office_partners"),
    path(
        f"{OFFICE}charity/partners/<int:partner_id>/edit/",
        campaigns.office_partner_edit,
        name="office_partner_edit",
    ),
    path(f"{OFFICE}charity/pledges/", campaigns.office_pledges, name="office_pledges"),
    path(
        f"{OFFICE}charity/pledges/<int:pledge_id>/", campaigns.office_pledge, name="office_pledge"
    ),
    path(
        f"{OFFICE}charity/pledges/<int:pledge_id>/schedule/",
        campaigns.office_pledge_schedule,
        name="office_pledge_schedule",
    ),
    path(
        f"{OFFICE}charity/pledges/<int:pledge_id>/cancel/",
        campaigns.office_pledge_cancel,
        name="office_pledge_cancel",
    ),
    path(f"{SPACE}charity/campaigns/", campaigns_member.campaigns, name="campaigns"),
    path(
        f"{SPACE}charity/campaigns/<int:campaign_id>/",
        campaigns_member.campaign,
        name="campaign",
    ),
    path(
        f"{SPACE}charity/campaigns/<int:campaign_id>/pledge/",
        campaigns_member.campaign_pledge,
        name="campaign_pledge",
    ),
    path(f"{SPACE}charity/mine/", campaigns_member.my_charity, name="my_charity"),
]

from django.urls import URLPattern, path

from shanghui.charity.views import (
    campaigns,
    campaigns_member,
    disclosure,
    federation,
    goods,
    honors,
    ledger,
    sponsorship,
)
from shanghui.core.urls import OFFICE, SPACE

app_name = "charity"


urlpatterns: list[URLPattern] = [
    # Campaigns, partners and pledges
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
    # The donations ledger and acknowledgements
    path(f"{OFFICE}charity/donations/", ledger.office_donations, name="office_donations"),
    path(
        f"{OFFICE}charity/donations/new/",
        ledger.office_donation_new,
        name="office_donation_new",
    ),
    path(
        f"{OFFICE}charity/donations/<int:donation_id>/",
        ledger.office_donation,
        name="office_donation",
    ),
    path(
        f"{OFFICE}charity/donations/<int:donation_id>/reverse/",
        ledger.office_donation_reverse,
        name="office_donation_reverse",
    ),
    path(
        f"{OFFICE}charity/donations/<int:donation_id>/evidence/",
        ledger.office_donation_evidence_add,
        name="office_donation_evidence_add",
    ),
    path(
        f"{OFFICE}charity/evidence/<int:evidence_id>/",
        ledger.office_donation_evidence,
        name="office_donation_evidence",
    ),
    path(
        f"{OFFICE}charity/donations/<int:donation_id>/acknowledgement.pdf",
        ledger.office_donation_acknowledgement,
        name="office_donation_acknowledgement",
    ),
    path(
        f"{OFFICE}charity/donations/export/",
        ledger.office_donations_export,
        name="office_donations_export",
    ),
    path(
        f"{OFFICE}charity/donations/export/<str:job_id>/",
        ledger.office_donations_export_progress,
        name="office_donations_export_progress",
    ),
    path(
        f"{SPACE}charity/donations/<int:donation_id>/acknowledgement.pdf",
        ledger.my_donation_acknowledgement,
        name="my_donation_acknowledgement",
    ),
    # Sponsorship
    path(
        f"{OFFICE}charity/beneficiaries/",
        sponsorship.office_beneficiaries,
        name="office_beneficiaries",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/new/",
        sponsorship.office_beneficiary_new,
        name="office_beneficiary_new",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/",
        sponsorship.office_beneficiary,
        name="office_beneficiary",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/edit/",
        sponsorship.office_beneficiary_edit,
        name="office_beneficiary_edit",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/reveal/",
        sponsorship.office_beneficiary_reveal,
        name="office_beneficiary_reveal",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/withdraw-consent/",
        sponsorship.office_beneficiary_withdraw,
        name="office_beneficiary_withdraw",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/photo/",
        sponsorship.office_beneficiary_photo,
        name="office_beneficiary_photo",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/sponsorships/new/",
        sponsorship.office_sponsorship_new,
        name="office_sponsorship_new",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/visits/new/",
        sponsorship.office_visit_new,
        name="office_visit_new",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/academic/new/",
        sponsorship.office_academic_new,
        name="office_academic_new",
    ),
    path(
        f"{OFFICE}charity/sponsorships/<int:sponsorship_id>/",
        sponsorship.office_sponsorship,
        name="office_sponsorship",
    ),
    path(
        f"{OFFICE}charity/sponsorships/<int:sponsorship_id>/schedule/",
        sponsorship.office_sponsorship_schedule,
        name="office_sponsorship_schedule",
    ),
    path(
        f"{OFFICE}charity/sponsorships/<int:sponsorship_id>/close/",
        sponsorship.office_sponsorship_close,
        name="office_sponsorship_close",
    ),
    path(
        f"{OFFICE}charity/disbursements/<int:disbursement_id>/pay/",
        sponsorship.office_disbursement_pay,
        name="office_disbursement_pay",
    ),
    path(
        f"{OFFICE}charity/visit-photos/<int:visit_photo_id>/",
        sponsorship.office_visit_photo,
        name="office_visit_photo",
    ),
    # Goods distributions and honors
    path(
        f"{OFFICE}charity/distributions/", goods.office_distributions, name="office_distributions"
    ),
    path(
        f"{OFFICE}charity/distributions/new/",
        goods.office_distribution_new,
        name="office_distribution_new",
    ),
    path(
        f"{OFFICE}charity/distributions/<int:distribution_id>/reverse/",
        goods.office_distribution_reverse,
        name="office_distribution_reverse",
    ),
    path(
        f"{OFFICE}charity/distributions/<int:distribution_id>/receipt/",
        goods.office_distribution_receipt,
        name="office_distribution_receipt",
    ),
    path(f"{OFFICE}charity/honors/", honors.office_honors, name="office_honors"),
    path(f"{OFFICE}charity/honors/new/", honors.office_honor_new, name="office_honor_new"),
    path(
        f"{OFFICE}charity/honors/<int:honor_id>/",
        honors.office_honor_edit,
        name="office_honor_edit",
    ),
    path(
        f"{OFFICE}charity/honors/<int:honor_id>/certificate.pdf",
        honors.office_honor_certificate,
        name="office_honor_certificate",
    ),
    path(
        f"{OFFICE}charity/honors/<int:honor_id>/image/",
        honors.office_honor_image,
        name="office_honor_image",
    ),
    path(
        f"{OFFICE}charity/honors/<int:honor_id>/revoke/",
        honors.office_honor_revoke,
        name="office_honor_revoke",
    ),
    path(f"{SPACE}charity/verify/<str:verify_token>/", honors.honor_verify, name="honor_verify"),
    # Totals, disclosure and the federation roll-up
    path(f"{OFFICE}charity/", disclosure.office_dashboard, name="office_dashboard"),
    path(f"{OFFICE}charity/settings/", disclosure.office_settings, name="office_settings"),
    path(f"{OFFICE}charity/report/<int:year>.pdf", disclosure.office_report, name="office_report"),
    path(f"{SPACE}charity/public/", disclosure.public_charity, name="public_charity"),
    path(
        f"{SPACE}charity/public/campaigns/<int:campaign_id>/",
        disclosure.public_campaign,
        name="public_campaign",
    ),
    path(
        f"{SPACE}charity/public/honor-roll/", disclosure.public_honor_roll, name="public_honor_roll"
    ),
    path(f"{OFFICE}charity/federation/", federation.office_federation, name="office_federation"),
]

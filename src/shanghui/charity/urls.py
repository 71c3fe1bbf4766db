from django.urls import URLPattern, URLResolver, include, path

from shanghui.charity.views import ledger  # the donations ledger and acknowledgements
from shanghui.core.urls import OFFICE, SPACE

app_name = "charity"

# Each part of the app keeps its routes in its own block below.
urlpatterns: list[URLPattern | URLResolver] = [
    # --- campaigns, partners and pledges ---------------------------------------------------
    # Its routes are in urls_campaigns.py (names in this namespace: charity:office_campaigns…).
    path("", include("shanghui.charity.urls_campaigns")),
    # --- the donations ledger and acknowledgements -----------------------------------------
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
    # --- sponsorship ------------------------------------------------------------------------
    # --- goods distributions and honors -----------------------------------------------------
    # --- totals, disclosure and the federation roll-up --------------------------------------
    # --- end ----------------------------------------------------------------------------------
]

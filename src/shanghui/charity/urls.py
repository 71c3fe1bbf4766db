from django.urls import URLPattern, URLResolver, path

from shanghui.charity.views import disclosure
from shanghui.core.urls import OFFICE, SPACE

app_name = "charity"

# Each part of the app keeps its routes in its own block below.
urlpatterns: list[URLPattern | URLResolver] = [
    # --- campaigns, partners and pledges ---------------------------------------------------
    # --- the donations ledger and acknowledgements -----------------------------------------
    # --- sponsorship ------------------------------------------------------------------------
    # --- goods distributions and honors -----------------------------------------------------
    # --- totals, disclosure and the federation roll-up --------------------------------------
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
    # --- end ----------------------------------------------------------------------------------
]

from django.urls import URLPattern, URLResolver, path

from shanghui.core.urls import OFFICE, SPACE

app_name = "charity"

# --- goods distributions and honors ---
from shanghui.charity.views import goods, honors  # noqa: E402

# --- end goods distributions and honors ---

# Each part of the app keeps its routes in its own block below.
urlpatterns: list[URLPattern | URLResolver] = [
    # --- campaigns, partners and pledges ---------------------------------------------------
    # --- the donations ledger and acknowledgements -----------------------------------------
    # --- sponsorship ------------------------------------------------------------------------
    # --- goods distributions and honors -----------------------------------------------------
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
    # --- totals, disclosure and the federation roll-up --------------------------------------
    # --- end ----------------------------------------------------------------------------------
]

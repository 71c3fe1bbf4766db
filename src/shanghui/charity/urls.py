from django.urls import URLPattern, URLResolver, path

from shanghui.core.urls import OFFICE, SPACE  # noqa: F401

app_name = "charity"

# --- goods distributions and honors ---
from shanghui.charity.views import goods  # noqa: E402

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
    # --- totals, disclosure and the federation roll-up --------------------------------------
    # --- end ----------------------------------------------------------------------------------
]

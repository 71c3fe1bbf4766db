from django.urls import URLPattern, URLResolver, include, path

from shanghui.core.urls import OFFICE, SPACE  # noqa: F401

app_name = "charity"

# Each part of the app keeps its routes in its own block below.
urlpatterns: list[URLPattern | URLResolver] = [
    # --- campaigns, partners and pledges ---------------------------------------------------
    # Its routes are in urls_campaigns.py (names in this namespace: charity:office_campaigns…).
    path("", include("shanghui.charity.urls_campaigns")),
    # --- the donations ledger and acknowledgements -----------------------------------------
    # --- sponsorship ------------------------------------------------------------------------
    # --- goods distributions and honors -----------------------------------------------------
    # --- totals, disclosure and the federation roll-up --------------------------------------
    # --- end ----------------------------------------------------------------------------------
]

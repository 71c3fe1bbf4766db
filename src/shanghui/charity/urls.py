from django.urls import URLPattern, URLResolver, path

from shanghui.charity.views import federation
from shanghui.core.urls import OFFICE, SPACE  # noqa: F401

app_name = "charity"

# Each part of the app keeps its routes in its own block below.
urlpatterns: list[URLPattern | URLResolver] = [
    # --- campaigns, partners and pledges ---------------------------------------------------
    # --- the donations ledger and acknowledgements -----------------------------------------
    # --- sponsorship ------------------------------------------------------------------------
    # --- goods distributions and honors -----------------------------------------------------
    # --- totals, disclosure and the federation roll-up --------------------------------------
    # --- federation roll-up (part 6) -----------------------------------------------------
    path(f"{OFFICE}charity/federation/", federation.office_federation, name="office_federation"),
    # --- end ----------------------------------------------------------------------------------
]

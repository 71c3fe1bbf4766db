from django.urls import URLPattern, URLResolver, path  # noqa: F401

from shanghui.core.urls import OFFICE, SPACE  # noqa: F401

app_name = "charity"

# Each part of the app keeps its routes in its own block below.
urlpatterns: list[URLPattern | URLResolver] = [
    # --- campaigns, partners and pledges ---------------------------------------------------
    # --- the donations ledger and acknowledgements -----------------------------------------
    # --- sponsorship ------------------------------------------------------------------------
    # --- goods distributions and honors -----------------------------------------------------
    # --- totals, disclosure and the federation roll-up --------------------------------------
    # --- end ----------------------------------------------------------------------------------
]

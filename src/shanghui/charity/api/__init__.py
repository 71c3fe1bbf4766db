"""The charity app's JSON API under /api/v1/associations/{slug}/charity/ (``charity_router``,
assembled by ``site.api``). Endpoints are thin and call the same services and selectors as
the pages; each part of the app has its module here."""

from ninja import Router

charity_router = Router(tags=["慈善公益"])

# --- campaigns, partners and pledges ---------------------------------------------------


# --- the donations ledger and acknowledgements -----------------------------------------


# --- sponsorship ------------------------------------------------------------------------


# --- goods distributions and honors -----------------------------------------------------


# --- totals, disclosure and the federation roll-up --------------------------------------


# --- federation roll-up (part 6) -----------------------------------------------------
from shanghui.charity.api.federation import federation_router  # noqa: E402

charity_router.add_router("", federation_router)

# --- end ----------------------------------------------------------------------------------

"""The charity app's JSON API under /api/v1/associations/{slug}/charity/ (``charity_router``,
assembled by ``site.api``). Endpoints are thin and call the same services and selectors as
the pages; each part of the app has its module here."""

from ninja import Router

charity_router = Router(tags=["慈善公益"])

# --- campaigns, partners and pledges ---------------------------------------------------
from shanghui.charity.api.campaigns import campaigns_router  # noqa: E402

charity_router.add_router("", campaigns_router)


# --- the donations ledger and acknowledgements -----------------------------------------
from shanghui.charity.api.ledger import ledger_router  # noqa: E402

charity_router.add_router("", ledger_router)


# --- sponsorship ------------------------------------------------------------------------
from shanghui.charity.api.sponsorship import sponsorship_router  # noqa: E402

charity_router.add_router("", sponsorship_router)


# --- goods distributions and honors -----------------------------------------------------


# --- totals, disclosure and the federation roll-up --------------------------------------


# --- end ----------------------------------------------------------------------------------

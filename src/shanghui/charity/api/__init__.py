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
from shanghui.charity.api import goods as _goods  # noqa: E402
from shanghui.charity.api import honors as _honors  # noqa: E402

charity_router.add_router("", _goods.router)
charity_router.add_router("", _honors.router)
# For anyone, under /api/v1/public/associations/{slug}/charity/ (``site.api`` mounts it
# behind the tenant door).
charity_public_router = Router(tags=["慈善公益"])
charity_public_router.add_router("", _honors.public_router)


# --- totals, disclosure and the federation roll-up --------------------------------------


# --- end ----------------------------------------------------------------------------------

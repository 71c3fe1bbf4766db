"""The charity app's JSON API under /api/v1/associations/{slug}/charity/ (``charity_router``,
assembled by ``site.api``). Endpoints are thin and call the same services and selectors as
the pages; each part of the app has its module here."""

from ninja import Router

charity_router = Router(tags=["慈善公益"])
# Public operations for anyone (paths starting /charity), mounted by ``site.api`` under
# /api/v1/public/associations/{slug}: the tenant door lets anyone in; each operation answers
# 404 for what is not public.
charity_public_router = Router(tags=["慈善公益（公开）"])

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
charity_public_router.add_router("/charity", _honors.public_router)


# --- totals, disclosure and the federation roll-up --------------------------------------
from shanghui.charity.api.disclosure import (  # noqa: E402
    disclosure_router,
    public_disclosure_router,
)

charity_router.add_router("", disclosure_router)
charity_public_router.add_router("", public_disclosure_router)


# --- federation roll-up (part 6) -----------------------------------------------------
from shanghui.charity.api.federation import federation_router  # noqa: E402

charity_router.add_router("", federation_router)

# --- end ----------------------------------------------------------------------------------

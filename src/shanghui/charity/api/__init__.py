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
from shanghui.charity.api.disclosure import (  # noqa: E402
    disclosure_router,
    public_disclosure_router,
)

charity_router.add_router("", disclosure_router)
# Public operations for anyone (paths starting /charity), mounted by ``site.api`` under
# /api/v1/public/associations/{slug}: the tenant door lets anyone in; each operation answers
# 404 for what is not public.
charity_public_router = Router(tags=["慈善公益（公开）"])
charity_public_router.add_router("", public_disclosure_router)


# --- end ----------------------------------------------------------------------------------

"""The charity app's JSON API under /api/v1/associations/{slug}/charity/ (``charity_router``)
and its public reads under /api/v1/public/associations/{slug}/charity/
(``charity_public_router``), both assembled by ``site.api``. Endpoints are thin and call the
same services and selectors as the pages:

- ``campaigns``: campaigns, partners, pledges and their schedules, a member's 我的公益;
- ``ledger``: the donations ledger, evidence, acknowledgements, the auditors' export;
- ``sponsorship`` (+ ``sponsorship_schemas``): students, the audited reveal, sponsorships,
  terms and payments, visits, academic records;
- ``goods``: stock and distributions; ``honors``: honors, certificates, public verification;
- ``disclosure``: totals, settings, the yearly report, the public disclosure;
- ``federation``: the group members' charity roll-up.
"""

from ninja import Router

from shanghui.charity.api import goods, honors
from shanghui.charity.api.campaigns import campaigns_router
from shanghui.charity.api.disclosure import disclosure_router, public_disclosure_router
from shanghui.charity.api.federation import federation_router
from shanghui.charity.api.ledger import ledger_router
from shanghui.charity.api.sponsorship import sponsorship_router

charity_router = Router(tags=["慈善公益"])
charity_router.add_router("", campaigns_router)
charity_router.add_router("", ledger_router)
charity_router.add_router("", sponsorship_router)
charity_router.add_router("", goods.router)
charity_router.add_router("", honors.router)
charity_router.add_router("", disclosure_router)
charity_router.add_router("", federation_router)

# For anyone (no token): the tenant door still answers 404 for an unknown association, and
# each operation 404 for what is not public.
charity_public_router = Router(tags=["慈善公益（公开）"])
charity_public_router.add_router("/charity", honors.public_router)
charity_public_router.add_router("", public_disclosure_router)

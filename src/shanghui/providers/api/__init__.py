"""The providers' API: ``offers_router`` under /api/v1/associations/{slug}/ (offers shown to
members, choices, applications), ``provider_router`` under
/api/v1/providers/{provider_slug}/ (the provider back office, through the provider door) and
``provider_public_router`` under /api/v1/providers/ (applying to the platform)."""

from ninja import Router

offers_router = Router(tags=["服务商"])
provider_router = Router(tags=["服务商后台"])
provider_public_router = Router(tags=["服务商"])

# -- part P1 --
from shanghui.providers.api.apply import apply_router  # noqa: E402
from shanghui.providers.api.back_office import back_office_router  # noqa: E402

provider_public_router.add_router("", apply_router)
provider_router.add_router("", back_office_router)

# -- part P2 --
from shanghui.providers.api import offers as p2_offers  # noqa: E402

offers_router.add_router("", p2_offers.router)

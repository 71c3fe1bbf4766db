"""The network's API: ``network_router`` under /api/v1/associations/{slug}/network/ (the
tenant door's decorator on each operation) and ``network_person_router`` under
/api/v1/network/ for a person's conversations across associations."""

from ninja import Router

network_router = Router(tags=["供需对接"])
network_person_router = Router(tags=["供需对接"])

# Each part adds its routers here: network_router.add_router("", <part>_router).

# -- part L --
from shanghui.network.api.listings import listings_router  # noqa: E402

network_router.add_router("", listings_router)

# -- part S --
from shanghui.network.api.search import router as search_router  # noqa: E402

network_router.add_router("", search_router)

# -- part C --
from shanghui.network.api.conversations import (  # noqa: E402
    conversations_person_router,
    conversations_router,
)

network_router.add_router("", conversations_router)
network_person_router.add_router("", conversations_person_router)

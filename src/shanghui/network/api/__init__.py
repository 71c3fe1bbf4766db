"""The network's API: ``network_router`` under /api/v1/associations/{slug}/network/ (the
tenant door's decorator on each operation) and ``network_person_router`` under
/api/v1/network/ for a person's conversations across associations."""

from ninja import Router

network_router = Router(tags=["供需对接"])
network_person_router = Router(tags=["供需对接"])

# Each part adds its routers here: network_router.add_router("", <part>_router).

# -- part L --

# -- part S --
from shanghui.network.api.search import router as search_router  # noqa: E402

network_router.add_router("", search_router)

# -- part C --

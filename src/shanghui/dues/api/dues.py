"""``dues_router``, mounted at /api/v1/associations/{slug}/dues/ (``site.api``): the dues API's
routers in the order of their paths."""

from ninja import Router

from shanghui.dues.api.arrears import arrears_router
from shanghui.dues.api.bills import bills_router
from shanghui.dues.api.payments import payments_router
from shanghui.dues.api.policy import policy_router

dues_router = Router()
dues_router.add_router("", policy_router)
dues_router.add_router("", bills_router)
dues_router.add_router("", payments_router)
dues_router.add_router("", arrears_router)

"""What the listing tests share: posting a listing through the service, and joining the
platform network."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from shanghui.core.tenancy import tenant_context
from shanghui.network.models import Listing
from shanghui.network.services.listings import ListingInput, listing_create
from shanghui.network.services.settings import network_settings_update
from shanghui.testing.fixtures import Side


def listing_input(**overrides: Any) -> ListingInput:
    values: dict[str, Any] = {
        "kind": "need",
        "title": "采购螺纹钢",
        "body": "长期采购 HRB400 螺纹钢，月需 500 吨",
        "industry_code": "32",
        "region_code": "360100",
        "valid_until": timezone.localdate() + timedelta(days=60),
        "quantity": "500 吨/月",
        "budget": "1,200,000",
        "visibility": "association",
        "contact": "龚先生 13800001111",
        "contact_visible_to_members": True,
    }
    values.update(overrides)
    return ListingInput(**values)


def post(side: Side, **overrides: Any) -> Listing:
    with tenant_context(side.association):
        return listing_create(
            association=side.association, actor=side.member_user, data=listing_input(**overrides)
        )


def join(side: Side, *, joins: bool = True, moderate: bool = False) -> None:
    with tenant_context(side.association):
        network_settings_update(
            association=side.association,
            actor=side.admin,
            joins_platform=joins,
            moderate_before_publishing=moderate,
        )

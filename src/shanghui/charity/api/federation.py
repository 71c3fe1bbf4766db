"""The federation roll-up in the API: a parent association's own charity totals and its
consenting group members', each gift counted once, with the possible duplicates."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.charity.selectors.federation import (
    FederationCharity,
    LedgerEntry,
    group_member_charity,
)
from shanghui.charity.totals import Totals
from shanghui.core.apikit.schemas import ERRORS

federation_router = Router(tags=["慈善公益"])


class FederationTotalsOut(Schema):
    cash: Decimal
    goods: Decimal
    total: Decimal
    entries: int


class ChildOut(Schema):
    group_member_id: int
    name: str
    counted: FederationTotalsOut = Field(description="计入合计的部分（已剔除重复）")
    ledger: FederationTotalsOut = Field(description="团体会员台账合计")
    left_out: FederationTotalsOut = Field(
        description="重复未计：已同时报备本会的及与本会台账完全一致的"
    )


class EntryOut(Schema):
    donor_name: str
    donor_uscc: str
    recipient_name: str
    donated_on: date
    kind: str
    amount: Decimal


class DuplicateOut(Schema):
    group_member_id: int
    group_member_name: str
    child_entry: EntryOut
    parent_entry: EntryOut
    parent_donation_id: int
    days_apart: int


class FederationOut(Schema):
    year: int | None
    own: FederationTotalsOut
    total: FederationTotalsOut
    group_members: list[ChildOut]
    not_shared: list[str] = Field(description="未授权共享慈善公益汇总的团体会员（仅名称）")
    possible_duplicates: list[DuplicateOut]


class FederationQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


def _totals(t: Totals) -> dict[str, Any]:
    return {"cash": t.cash, "goods": t.goods, "total": t.total, "entries": t.entries}


def _entry(e: LedgerEntry) -> dict[str, Any]:
    return {
        "donor_name": "" if e.anonymous else e.donor_name,
        "donor_uscc": e.donor_uscc,
        "recipient_name": e.recipient_name,
        "donated_on": e.donated_on,
        "kind": e.kind,
        "amount": e.amount,
    }


def federation_out(roll_up: FederationCharity, year: int | None) -> dict[str, Any]:
    return {
        "year": year,
        "own": _totals(roll_up.own),
        "total": _totals(roll_up.total),
        "group_members": [
            {
                "group_member_id": c.group.pk,
                "name": c.group.name,
                "counted": _totals(c.counted),
                "ledger": _totals(c.ledger),
                "left_out": _totals(c.left_out),
            }
            for c in roll_up.children
        ],
        "not_shared": [g.name for g in roll_up.not_shared],
        "possible_duplicates": [
            {
                "group_member_id": d.group.pk,
                "group_member_name": d.group.name,
                "child_entry": _entry(d.child_entry),
                "parent_entry": _entry(d.parent_entry),
                "parent_donation_id": d.parent_entry.id,
                "days_apart": d.days_apart,
            }
            for d in roll_up.possible_duplicates
        ],
    }


@federation_router.get(
    "/federation",
    operation_id="shanghui_charity_api_federation",
    response={200: FederationOut, **ERRORS},
)
def federation(request: HttpRequest, slug: Path[str], filters: Query[FederationQuery]) -> object:
    """团体会员慈善汇总: this association's own charity totals and those of its group members
    that consented to share them, of one ``year`` or of all years. A gift reported to both is
    counted once (marked as reported to the parent, or equal in credit code, recipient, date
    and amount); near matches are listed as possible duplicates. The secretariat only."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    roll_up = group_member_charity(association=current_association(request), year=filters.year)
    return federation_out(roll_up, filters.year)

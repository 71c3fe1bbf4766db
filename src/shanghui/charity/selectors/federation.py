"""The federation roll-up (团体会员慈善汇总): a parent association's own charity totals and
those of its group members that consented to share them, each counted once.

A child's ledger is read inside the child's tenant scope (``core.tenancy.read_inside``, as
``org.selectors.group_member_figures`` reads its member count), and only when the child has
given its consent with the charity scope (``FigureSharingConsent.shares_charity_with_parent``)
to this parent: a child that has not — or withdrew, or consented to another parent — is
listed by name only and nothing of its ledger is read.

A gift a member enterprise reported to both the child and the parent appears in both
ledgers. It is counted once, in the parent's own part:

- the child's entries marked ``reported_to_parent`` are left out of the child's part;
- a standing child entry whose credit code, recipient, date and amount equal those of a
  standing entry of the parent's is an exact duplicate and left out too;
- one with the same credit code and amount dated within ``NEAR_DAYS`` of a parent's entry
  is counted, but listed as a possible duplicate (可能重复) for the secretariat to check.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet

from shanghui.associations.models import Association
from shanghui.charity.models import Donation, GiftKind
from shanghui.charity.totals import (
    Totals,
    association_donations,
    ledger_rows,
    ledger_totals,
    rows_totals,
)
from shanghui.core.tenancy import read_inside
from shanghui.org.models import FigureSharingConsent, GroupMember
from shanghui.org.selectors import group_members

NEAR_DAYS = 7
CHUNK = 900  # values per IN (…) list: under SQLite's variable limit

_ENTRY_FIELDS = (
    "id",
    "donor_name",
    "donor_uscc",
    "anonymous",
    "recipient_name",
    "donated_on",
    "kind",
    "amount",
)


@dataclass(frozen=True)
class LedgerEntry:
    """One standing gift as the roll-up shows it: who, to whom, when, how much."""

    id: int
    donor_name: str
    donor_uscc: str
    anonymous: bool
    recipient_name: str
    donated_on: date
    kind: str
    amount: Decimal

    @property
    def key(self) -> tuple[str, Decimal]:
        return (self.donor_uscc, self.amount)


@dataclass(frozen=True)
class PossibleDuplicate:
    """A child's entry that resembles one of the parent's (same credit code and amount, dates
    within ``NEAR_DAYS``) without being equal to it: counted, shown to the secretariat."""

    group: GroupMember
    child_entry: LedgerEntry
    parent_entry: LedgerEntry

    @property
    def days_apart(self) -> int:
        return abs((self.child_entry.donated_on - self.parent_entry.donated_on).days)


@dataclass(frozen=True)
class ChildCharity:
    """A consenting group member's part: ``counted`` is its ledger less what the parent's
    ledger already holds (``reported``: marked as reported to the parent; ``matched``: the
    exact duplicates)."""

    group: GroupMember
    ledger: Totals
    reported: Totals
    matched: Totals

    @property
    def counted(self) -> Totals:
        return _less(_less(self.ledger, self.reported), self.matched)

    @property
    def left_out(self) -> Totals:
        return _plus(self.reported, self.matched)


@dataclass(frozen=True)
class FederationCharity:
    own: Totals
    children: list[ChildCharity] = field(default_factory=list)
    # Linked group members that have not consented to the charity scope: names only.
    not_shared: list[GroupMember] = field(default_factory=list)
    possible_duplicates: list[PossibleDuplicate] = field(default_factory=list)

    @property
    def total(self) -> Totals:
        result = self.own
        for child in self.children:
            result = _plus(result, child.counted)
        return result


def _plus(a: Totals, b: Totals) -> Totals:
    return Totals(cash=a.cash + b.cash, goods=a.goods + b.goods, entries=a.entries + b.entries)


def _less(a: Totals, b: Totals) -> Totals:
    return Totals(cash=a.cash - b.cash, goods=a.goods - b.goods, entries=a.entries - b.entries)


def _of_year(donations: QuerySet[Donation], year: int | None) -> QuerySet[Donation]:
    return donations if year is None else donations.filter(donated_on__year=year)


def _standing(donations: QuerySet[Donation]) -> QuerySet[Donation]:
    """Gifts that still stand: not a reversal, not reversed."""
    return donations.filter(reverses__isnull=True, reversals__isnull=True)


def _entries(donations: QuerySet[Donation]) -> list[LedgerEntry]:
    return [LedgerEntry(**row) for row in donations.values(*_ENTRY_FIELDS).order_by("id")]


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _parent_candidates(association: Association, children: list[LedgerEntry]) -> list[LedgerEntry]:
    """The parent's standing gifts that could match any of ``children``: the same credit
    code, dated within ``NEAR_DAYS`` of the earliest and latest of them."""
    if not children:
        return []
    first = min(e.donated_on for e in children) - timedelta(days=NEAR_DAYS)
    last = max(e.donated_on for e in children) + timedelta(days=NEAR_DAYS)
    codes = sorted({e.donor_uscc for e in children})
    found: list[LedgerEntry] = []
    for chunk in _chunks(codes):
        found += _entries(
            _standing(association_donations(association)).filter(
                donor_uscc__in=chunk, donated_on__range=(first, last)
            )
        )
    return found


def _totals_of(entries: list[LedgerEntry]) -> Totals:
    cash = sum((e.amount for e in entries if e.kind == GiftKind.CASH), Decimal("0.00"))
    goods = sum((e.amount for e in entries if e.kind == GiftKind.GOODS), Decimal("0.00"))
    return Totals(cash=cash, goods=goods, entries=len(entries))


def _match(
    group: GroupMember, children: list[LedgerEntry], parents: list[LedgerEntry]
) -> tuple[list[LedgerEntry], list[PossibleDuplicate]]:
    """Pairs each child entry with at most one parent entry (and each parent entry with at
    most one entry of this child): the exact duplicates, then the near ones."""
    by_key: dict[tuple[str, Decimal], list[LedgerEntry]] = defaultdict(list)
    for entry in parents:
        by_key[entry.key].append(entry)
    used: set[int] = set()
    exact: list[LedgerEntry] = []
    rest: list[LedgerEntry] = []
    for child in children:
        twin = next(
            (
                p
                for p in by_key.get(child.key, [])
                if p.id not in used
                and p.donated_on == child.donated_on
                and p.recipient_name.strip() == child.recipient_name.strip()
            ),
            None,
        )
        if twin is None:
            rest.append(child)
        else:
            used.add(twin.id)
            exact.append(child)
    near: list[PossibleDuplicate] = []
    for child in rest:
        close = [
            p
            for p in by_key.get(child.key, [])
            if p.id not in used and abs((p.donated_on - child.donated_on).days) <= NEAR_DAYS
        ]
        if close:
            nearest = min(close, key=lambda p: abs((p.donated_on - child.donated_on).days))
            near.append(PossibleDuplicate(group=group, child_entry=child, parent_entry=nearest))
    return exact, near


def _consented(child: Association, parent: Association) -> bool:
    return FigureSharingConsent.objects.filter(
        association=child, parent=parent, shares_charity_with_parent=True
    ).exists()


def group_member_charity(*, association: Association, year: int | None = None) -> FederationCharity:
    """``association``'s own charity totals and its consenting group members' (of ``year``,
    or of all years), each gift counted once (see the module's docstring). Called inside
    ``association``'s tenant scope by its secretariat (``Perm.MANAGE_CHARITY``); every read of
    a child happens inside the child's scope and leaves the caller's scope as it was."""
    # The parent's own ledger may hold a million entries: its totals come from the cached
    # grouped scan the dashboard reads (charity.totals.ledger_rows), not a scan per request.
    own = rows_totals(row for row in ledger_rows(association) if year is None or row.year == year)
    result = FederationCharity(own=own)
    for group in group_members(association=association):
        child = group.linked_association
        if child is None or child.status != Association.Status.ACTIVE:
            continue
        with read_inside(child):
            if not _consented(child, association):
                result.not_shared.append(group)
                continue
            ledger = _of_year(association_donations(child), year)
            whole = ledger_totals(ledger)
            reported = ledger_totals(ledger.filter(reported_to_parent=True))
            candidates = _entries(
                _standing(ledger).filter(reported_to_parent=False).exclude(donor_uscc="")
            )
        exact, near = _match(group, candidates, _parent_candidates(association, candidates))
        result.children.append(
            ChildCharity(group=group, ledger=whole, reported=reported, matched=_totals_of(exact))
        )
        result.possible_duplicates.extend(near)
    return result

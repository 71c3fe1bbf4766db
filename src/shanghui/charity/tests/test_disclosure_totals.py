"""Every figure the dashboard, the public page, the API and the yearly report show is the sum
of the ledger, reversals included — checked against a plain sum of the rows of a random
ledger, on SQLite and on PostgreSQL."""

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from shanghui.charity.models import Donation, GiftKind
from shanghui.charity.report import yearly_report
from shanghui.charity.selectors.dashboard import dashboard_figures
from shanghui.charity.selectors.disclosure import public_disclosure
from shanghui.charity.services.donations import (
    DonorInput,
    GiftInput,
    donation_record,
    donation_reverse,
)
from shanghui.charity.totals import association_donations, ledger_totals
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side, api_client_for

from .disclosure_helpers import campaign, disclose, gift, reverse

pytestmark = pytest.mark.django_db


def build_random_ledger(side: Side, seed: int) -> None:
    rng = random.Random(seed)
    a = side.association
    campaigns = [campaign(a, f"项目{n}", public=n % 2 == 0) for n in range(3)]
    entries = []
    for _ in range(60):
        entries.append(
            gift(
                a,
                Decimal(rng.randint(1, 10**9)) / 100,
                on=date(rng.choice([2019, 2020, 2021, 2024]), rng.randint(1, 12), 1),
                goods=rng.random() < 0.4,
                campaign=rng.choice([*campaigns, None]),
                donor=f"捐赠方{rng.randint(1, 8)}",
                channel=rng.choice(Donation.Channel.values),
                name_public=rng.random() < 0.5,
                anonymous=rng.random() < 0.2,
            )
        )
    for donation in rng.sample(entries, 12):
        # Reversed in the year of the gift or in a later one.
        reverse(a, donation, on=date(rng.choice([donation.donated_on.year, 2025]), 6, 1))


def plain_sums(side: Side) -> dict[str, object]:
    """The ledger summed row by row in Python."""
    rows = list(Donation.objects.filter(association=side.association))
    by: dict[str, dict[object, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        for key, value in (
            ("kind", row.kind),
            ("year", row.donated_on.year),
            ("channel", row.channel),
            ("campaign", row.campaign_id),
            ("year_kind", (row.donated_on.year, row.kind)),
        ):
            by[key][value] += row.amount
    return {"rows": rows, **by}


@pytest.mark.parametrize("seed", [1, 2])
def test_every_figure_is_the_sum_of_the_ledger(side_a: Side, seed: int) -> None:
    a = side_a.association
    with tenant_context(a):
        build_random_ledger(side_a, seed)
        disclose(a)
        sums = plain_sums(side_a)
        all_years = dashboard_figures(a, None)
        public = public_disclosure(a)
        ledger = ledger_totals(association_donations(a))

        cash, goods = sums["kind"][GiftKind.CASH], sums["kind"][GiftKind.GOODS]  # type: ignore[index]
        assert (all_years.totals.cash, all_years.totals.goods) == (cash, goods)
        assert (public.totals.cash, public.totals.goods) == (cash, goods)
        assert (ledger.cash, ledger.goods) == (cash, goods)
        # Gifts that still stand: the same count whichever way it is taken.
        assert all_years.totals.entries == ledger.entries == public.totals.entries
        assert all_years.organized == sums["channel"][Donation.Channel.ORGANIZED]  # type: ignore[index]
        assert all_years.reported == sums["channel"][Donation.Channel.REPORTED]  # type: ignore[index]
        assert {int(s.label): s.total for s in all_years.by_year} == dict(sums["year"])  # type: ignore[call-overload]
        assert {y.year: y.totals.total for y in public.by_year} == dict(sums["year"])  # type: ignore[call-overload]
        for item in public.campaigns:
            assert item.received.total == sums["campaign"][item.campaign.pk]  # type: ignore[index]
        assert sum(s.total for s in all_years.by_campaign) == cash + goods
        for year in (2019, 2020, 2021, 2024, 2025):
            figures = dashboard_figures(a, year)
            report = yearly_report(a, year)
            expected = (
                sums["year_kind"].get((year, GiftKind.CASH), Decimal(0)),  # type: ignore[attr-defined]
                sums["year_kind"].get((year, GiftKind.GOODS), Decimal(0)),  # type: ignore[attr-defined]
            )
            assert (figures.totals.cash, figures.totals.goods) == expected
            in_rows = [r for r in sums["rows"] if r.donated_on.year == year]  # type: ignore[attr-defined]
            assert figures.gifts == report.gifts == sum(r.reverses_id is None for r in in_rows)
            assert figures.reversals == sum(r.reverses_id is not None for r in in_rows)
            assert (report.totals.cash, report.totals.goods) == expected
            assert sum(s.total for s in figures.by_campaign) == sum(expected)
            in_year = ledger_totals(association_donations(a).filter(donated_on__year=year))
            assert (in_year.cash, in_year.goods) == expected
    body = api_client_for(side_a.admin).get(f"/api/v1/associations/{a.slug}/charity/totals").json()
    assert Decimal(body["totals"]["total"]) == cash + goods
    public_body = Client().get(f"/api/v1/public/associations/{a.slug}/charity").json()
    assert Decimal(public_body["totals"]["cash"]) == cash


def test_a_new_entry_and_its_reversal_show_at_once(side_a: Side) -> None:
    """The cached aggregates follow the ledger's services: no stale figure after a write."""
    a = side_a.association
    with tenant_context(a):
        assert dashboard_figures(a, None).totals.total == 0
        entry = donation_record(
            association=a,
            actor=side_a.admin,
            donor=DonorInput(kind="member", member=side_a.member),
            gift=GiftInput(kind=GiftKind.CASH, amount=Decimal("8888.88")),
            donated_on=date(2026, 1, 5),
        )
        assert dashboard_figures(a, None).totals.total == Decimal("8888.88")
        assert dashboard_figures(a, None).top_donors[0].name == side_a.member.name
        donation_reverse(association=a, actor=side_a.admin, donation=entry, reason="录错")
        figures = dashboard_figures(a, None)
    assert (figures.totals.total, figures.totals.entries, figures.reversals) == (0, 0, 1)
    assert figures.top_donors == []

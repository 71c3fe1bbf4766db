"""The federation roll-up: a parent sees a group member's charity totals only with the child's
consent in the charity scope, read inside the child's tenant scope, and a gift reported to
both counted once."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from shanghui.associations.models import Association
from shanghui.charity.models import Donation
from shanghui.charity.selectors.federation import FederationCharity, group_member_charity
from shanghui.charity.services.donations import (
    DonorInput,
    GiftInput,
    donation_record,
    donation_reverse,
)
from shanghui.core.rls import APP_DB_ROLE
from shanghui.core.tenancy import tenant_context
from shanghui.org.models import FigureSharingConsent, GroupMember
from shanghui.org.services import units as unit_services
from shanghui.testing.factories import AssociationFactory, make_uscc
from shanghui.testing.fixtures import Side, api_client_for, client_for

ENTERPRISE = make_uscc("91", "440300")  # a member enterprise of both chambers
OTHER = make_uscc("91", "441900")


def give(
    side: Side,
    amount: str,
    on: date,
    *,
    uscc: str = ENTERPRISE,
    recipient: str = "广东省红十字会",
    reported_to_parent: bool = False,
) -> Donation:
    with tenant_context(side.association):
        return donation_record(
            association=side.association,
            actor=side.admin,
            donor=DonorInput(kind="outside", name="赣商建设集团有限公司", uscc=uscc),
            gift=GiftInput(kind="cash", amount=Decimal(amount)),
            donated_on=on,
            recipient_name=recipient,
            reported_to_parent=reported_to_parent,
        )


def consent(child: Side, parent: Association, *, charity: bool, figures: bool = True) -> None:
    with tenant_context(child.association):
        unit_services.sharing_consent_set(
            association=child.association,
            actor=child.admin,
            parent=parent,
            shares=figures,
            shares_charity=charity,
        )


def roll_up(parent: Association, year: int | None = None) -> FederationCharity:
    with tenant_context(parent):
        return group_member_charity(association=parent, year=year)


@pytest.fixture
def group(side_a: Side, side_b: Side) -> GroupMember:
    """A lists B as a linked group member; each keeps a ledger of its own."""
    with tenant_context(side_a.association):
        group = unit_services.group_member_create(
            association=side_a.association,
            actor=side_a.admin,
            data=unit_services.GroupMemberInput(name="", linked_association=side_b.association),
        )
    give(side_a, "1000000", date(2020, 2, 10))
    give(side_b, "30000", date(2021, 5, 1), uscc=OTHER)
    return group


@pytest.mark.django_db
def test_a_child_that_has_not_consented_shows_nothing(
    side_a: Side, side_b: Side, group: GroupMember
) -> None:
    result = roll_up(side_a.association)
    assert result.children == [] and result.not_shared == [group]
    assert result.total == result.own and result.own.total == Decimal("1000000.00")
    # Sharing the member count is not sharing the charity totals.
    consent(side_b, side_a.association, charity=False, figures=True)
    assert roll_up(side_a.association).children == []
    # Nor is sharing them with another parent.
    consent(side_b, AssociationFactory(name="另一上级商会"), charity=True)
    assert roll_up(side_a.association).children == []


@pytest.mark.django_db
def test_with_consent_the_childs_totals_join_and_withdrawing_removes_them(
    side_a: Side, side_b: Side, group: GroupMember
) -> None:
    consent(side_b, side_a.association, charity=True)
    result = roll_up(side_a.association)
    assert [c.group for c in result.children] == [group] and result.not_shared == []
    assert result.children[0].counted.cash == Decimal("30000.00")
    assert result.total.total == Decimal("1030000.00")
    assert roll_up(side_a.association, year=2021).total.total == Decimal("30000.00")
    consent(side_b, side_a.association, charity=False)
    assert roll_up(side_a.association).total.total == Decimal("1000000.00")


@pytest.mark.django_db
def test_a_gift_reported_to_both_is_counted_once(
    side_a: Side, side_b: Side, group: GroupMember
) -> None:
    consent(side_b, side_a.association, charity=True)
    # Marked as also reported to the parent when the child recorded it.
    give(side_b, "50000", date(2022, 3, 1), reported_to_parent=True)
    # The same gift in both ledgers: credit code, recipient, date and amount equal.
    give(side_b, "1000000", date(2020, 2, 10))
    # Same code and amount three days apart: counted, but shown as a possible duplicate.
    near = give(side_a, "88000", date(2023, 6, 1))
    give(side_b, "88000", date(2023, 6, 4), recipient="江西省慈善总会")
    # Eight days apart is another gift.
    give(side_a, "66000", date(2024, 1, 1))
    give(side_b, "66000", date(2024, 1, 9))
    result = roll_up(side_a.association)
    child = result.children[0]
    assert child.ledger.total == Decimal("1234000.00")
    assert (child.reported.total, child.matched.total) == (Decimal("50000"), Decimal("1000000"))
    assert child.counted.total == Decimal("184000.00")  # 30,000 + 88,000 + 66,000
    assert result.own.total == Decimal("1154000.00")
    assert result.total.total == Decimal("1338000.00")
    [dup] = result.possible_duplicates
    assert (dup.parent_entry.id, dup.child_entry.recipient_name, dup.days_apart) == (
        near.pk,
        "江西省慈善总会",
        3,
    )


@pytest.mark.django_db
def test_a_reversed_child_entry_is_neither_counted_nor_matched(
    side_a: Side, side_b: Side, group: GroupMember
) -> None:
    consent(side_b, side_a.association, charity=True)
    wrong = give(side_b, "1000000", date(2020, 2, 10))
    reported = give(side_b, "50000", date(2022, 3, 1), reported_to_parent=True)
    with tenant_context(side_b.association):
        for entry in (wrong, reported):
            donation_reverse(
                association=side_b.association, actor=side_b.admin, donation=entry, reason="录错"
            )
    child = roll_up(side_a.association).children[0]
    assert child.matched.entries == 0 and child.reported.total == Decimal("0.00")
    assert child.counted.total == Decimal("30000.00")


@pytest.mark.django_db
def test_the_page_and_the_api_are_for_the_secretariat(
    side_a: Side, side_b: Side, group: GroupMember, admin_a: Client, member_a: Client
) -> None:
    consent(side_b, side_a.association, charity=True)
    give(side_a, "88000", date(2023, 6, 1))
    give(side_b, "88000", date(2023, 6, 4))
    page_url = f"/a/{side_a.association.slug}/office/charity/federation/"
    page = admin_a.get(page_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert group.name in text and "可能重复" in text and "2023-06-04" in text
    assert 'aria-current="page">团体会员汇总' in text  # its own tab in the charity tab bar
    assert "120.6万元" in text  # A: 1,000,000 + 88,000; B: 30,000 + 88,000 (near, counted)
    assert member_a.get(page_url).status_code == 403
    assert client_for(side_b.admin).get(page_url).status_code == 404
    api_url = f"/api/v1/associations/{side_a.association.slug}/charity/federation"
    answer = api_client_for(side_a.admin).get(api_url, {"year": 2023})
    assert answer.status_code == 200, answer.content
    data = json.loads(answer.content)
    assert data["total"]["total"] == "176000.00"
    assert data["group_members"][0]["counted"]["cash"] == "88000.00"
    assert data["possible_duplicates"][0]["days_apart"] == 3
    assert api_client_for(side_a.member_user).get(api_url).status_code == 403
    assert api_client_for(side_b.admin).get(api_url).status_code in (403, 404)


@pytest.mark.django_db
def test_the_child_sets_each_scope_on_its_sharing_page(side_a: Side, side_b: Side) -> None:
    child_admin = client_for(side_b.admin)
    url = f"/a/{side_b.association.slug}/office/org/sharing/"
    parent = side_a.association.slug
    child_admin.post(url, {"parent": parent, "shares": "on", "shares_charity": "on"})
    page = child_admin.get(url).content.decode()
    assert "慈善公益汇总" in page
    with tenant_context(side_b.association):
        row = FigureSharingConsent.objects.get()
        assert (row.shares_figures_with_parent, row.shares_charity_with_parent) == (True, True)
    child_admin.post(url, {"parent": parent, "shares_charity": "on"})  # figures withdrawn
    with tenant_context(side_b.association):
        row.refresh_from_db()
        assert (row.shares_figures_with_parent, row.shares_charity_with_parent) == (False, True)
    api = api_client_for(side_b.admin)
    api_url = f"/api/v1/associations/{side_b.association.slug}/org/sharing-consents"
    put = api.put(
        api_url, {"parent_slug": parent, "shares_figures_with_parent": True}, "application/json"
    )
    assert json.loads(put.content)["shares_charity_with_parent"] is True  # left as it was
    put = api.put(
        api_url,
        {"parent_slug": parent, "shares_figures_with_parent": True,
         "shares_charity_with_parent": False},
        "application/json",
    )  # fmt: skip
    assert json.loads(put.content)["shares_charity_with_parent"] is False


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_childs_ledger_is_read_in_its_scope_and_the_parents_stays_visible(
    side_a: Side, side_b: Side, group: GroupMember
) -> None:
    """As the application's database role (RLS enforced): the child's ledger is read inside
    the child's tenant, the parent's duplicates are then looked up in the parent's own, and
    the parent's scope holds afterwards."""
    consent(side_b, side_a.association, charity=True)
    give(side_b, "1000000", date(2020, 2, 10))
    with tenant_context(side_a.association), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
        result = group_member_charity(association=side_a.association)
        still_visible = Donation.objects.filter(association=side_a.association).count()
        cursor.execute("SELECT current_setting('app.association_id', true)")
        setting = cursor.fetchone()[0]
        cursor.execute("RESET ROLE")
    assert result.children[0].ledger.total == Decimal("1030000.00")
    assert result.children[0].matched.total == Decimal("1000000.00")
    assert result.total.total == Decimal("1030000.00")
    assert still_visible == 1 and setting == str(side_a.association.pk)

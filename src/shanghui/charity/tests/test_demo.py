"""The demo chamber's charity record reads back as the chamber reports it."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils.translation import override

from shanghui.accounts.models import User
from shanghui.accounts.personal_data import personal_data
from shanghui.associations.models import Association
from shanghui.charity.models import (
    Beneficiary,
    Campaign,
    CharitySettings,
    Disbursement,
    Distribution,
    Honor,
    Sponsorship,
    Visit,
)
from shanghui.charity.selectors.federation import group_member_charity
from shanghui.charity.totals import association_donations, campaign_progress, ledger_totals
from shanghui.core.demo import GDJX, ZSJX
from shanghui.core.money import format_cny_disclosure, format_total_with_part
from shanghui.core.tenancy import tenant_context


@pytest.mark.django_db
def test_the_demo_chamber_reports_its_figures() -> None:
    call_command("seed_demo", members=400, stdout=StringIO())
    gdjx = Association.objects.get(slug=GDJX.slug)
    with tenant_context(gdjx), override("zh-hans"):
        ledger = association_donations(gdjx)
        assert ledger.count() < 5000
        totals = ledger_totals(ledger)
        assert format_cny_disclosure(totals.total, at_least=True) == "超25亿元"
        epidemic = Campaign.objects.get(title="2020 抗击新冠肺炎疫情")
        covid = campaign_progress(gdjx, epidemic).received
        assert format_total_with_part(covid.total, covid.cash, "现金") == (
            "1.67亿元，其中现金4,200万元"
        )
        fund = campaign_progress(gdjx, Campaign.objects.get(title="乳源·阳江·陆河助学"))
        assert fund.received.total == Decimal("1500000.00") and fund.amount_percent == 100
        bags = campaign_progress(gdjx, Campaign.objects.get(title="小书包·大爱心"))
        assert bags.goal_item_received >= 10_000
        books = campaign_progress(gdjx, Campaign.objects.get(title="名著进校园"))
        assert books.items[0].quantity >= 10_000 and "13册" in books.items[0].item
        handed_out = Distribution.objects.filter(item="书包").aggregate(n=Sum("quantity"))["n"]
        assert 10_000 <= handed_out < bags.goal_item_received  # a few still in stock
        students = Beneficiary.objects.count()
        assert 45 <= students <= 60
        assert Sponsorship.objects.count() == students
        assert Visit.objects.values("visited_on__year").distinct().count() >= 5
        paid = Disbursement.objects.filter(paid_on__isnull=False)
        assert paid.exists() and not paid.filter(donation__isnull=True).exists()
        assert Disbursement.objects.filter(paid_on__isnull=True, due_on__year=2026).exists()
        assert Beneficiary.objects.filter(stage=Beneficiary.Stage.EMPLOYED).exclude(outcome="")
        assert Honor.objects.filter(
            direction=Honor.Direction.RECEIVED, title="抗击新冠肺炎疫情先进组织"
        ).exists()
        assert Honor.objects.filter(direction=Honor.Direction.GIVEN, shown_on_card=True).exists()
        assert CharitySettings.objects.get().disclose_publicly
        assert ledger.filter(reverses__isnull=False).count() == 1
        roll_up = group_member_charity(association=gdjx)
    zhongshan = next(c for c in roll_up.children if c.group.linked_association.slug == ZSJX.slug)
    assert zhongshan.reported.entries == 1 and zhongshan.matched.total == Decimal("2000000.00")
    [doubt] = roll_up.possible_duplicates
    assert doubt.days_apart == 3 and doubt.child_entry.amount == Decimal("500000.00")
    # The demo member pledged to this year's campaign on their phone.
    pledges = personal_data(User.objects.get(phone=GDJX.member_phone))["认捐"]
    assert [p["公益项目"] for p in pledges if p["本人登记"]] == ["2026 赣南老区助学"]

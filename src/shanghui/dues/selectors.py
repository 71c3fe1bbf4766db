"""Reading dues: bill lists, the arrears list, figures for a year, and the access helpers every
lookup driven by user input goes through."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.associations.models import Association
from shanghui.core.chinese import normalize_query
from shanghui.core.http import id_or_404, whole_number
from shanghui.dues.models import DuesBill, FeeSchedule, Payment
from shanghui.members.models import Level, Member, Representative
from shanghui.members.selectors import matching_member_ids

BIG_MONEY = DecimalField(max_digits=20, decimal_places=2)
# A subquery of member ids (``values("member_id")``).
MemberIds = QuerySet[Representative, Any]


@dataclass(frozen=True)
class BillFilters:
    """List filters as the query string gives them; anything malformed is ignored."""

    year: str = ""
    status: str = ""
    level: str = ""
    q: str = ""
    overdue: str = ""  # "1": open bills past their due date
    min_days: str = ""  # arrears list: overdue by at least this many days

    @classmethod
    def from_mapping(cls, data: object) -> "BillFilters":
        get = getattr(data, "get", None)
        if get is None:
            return cls()
        return cls(
            **{key: str(get(key, "") or "").strip()[:50] for key in cls.__dataclass_fields__}
        )


def my_member_ids(*, association: Association, user: User) -> MemberIds:
    """The members ``user`` represents or is a contact of in ``association`` (as a subquery)."""
    return Representative.objects.filter(association=association, person__user=user).values(
        "member_id"
    )


def _bills(association: Association) -> QuerySet[DuesBill]:
    return DuesBill.objects.filter(association=association).select_related("member", "level")


def _apply(
    association: Association,
    qs: QuerySet[DuesBill],
    filters: BillFilters,
    today: date,
    *,
    phone_tails: bool = True,
) -> QuerySet[DuesBill]:
    if len(filters.year) == 4 and (year := whole_number(filters.year)) is not None:
        qs = qs.filter(year=year)
    if filters.status in DuesBill.Status.values:
        qs = qs.filter(status=filters.status)
    if (level_id := whole_number(filters.level)) is not None:
        qs = qs.filter(level_id=level_id)
    if filters.overdue == "1":
        qs = qs.filter(status=DuesBill.Status.OPEN, due_on__lt=today)
    if (min_days := whole_number(filters.min_days, below=10000)) is not None:
        qs = qs.filter(due_on__lte=today - timedelta(days=min_days))
    needle = normalize_query(filters.q)
    if needle:
        qs = qs.filter(
            Q(
                member_id__in=matching_member_ids(
                    association=association, needle=needle, phone_tails=phone_tails
                )
            )
            | Q(member__member_no__iexact=needle)
        )
    elif filters.q.strip():  # only characters no name holds ("_"): nothing, not everyone
        qs = qs.none()
    return qs


def bills_search(
    *,
    association: Association,
    filters: BillFilters,
    member_ids: MemberIds | None = None,
    today: date | None = None,
) -> QuerySet[DuesBill]:
    """Bills of ``association`` matching ``filters``, newest year first, members in pinyin
    order. ``member_ids`` limits the list to those members (a member's own view, where a phone
    matches only as members may search it: ``matching_member_ids``)."""
    qs = _bills(association)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    qs = _apply(
        association, qs, filters, today or timezone.localdate(), phone_tails=member_ids is None
    )
    return qs.order_by("-year", "member__sort_key", "id")


def arrears_search(
    *, association: Association, filters: BillFilters, today: date | None = None
) -> QuerySet[DuesBill]:
    """The arrears list (欠费名单): open bills past their due date, longest overdue first."""
    today = today or timezone.localdate()
    qs = _bills(association).filter(status=DuesBill.Status.OPEN, due_on__lt=today)
    qs = _apply(
        association, qs, BillFilters(**{**filters.__dict__, "status": "", "overdue": ""}), today
    )
    return qs.annotate(owed=F("amount") - F("paid_amount")).order_by(
        "due_on", "member__sort_key", "id"
    )


def arrears_total(qs: QuerySet[DuesBill]) -> tuple[int, Decimal]:
    row = qs.order_by().aggregate(
        n=Count("id"),
        owed_total=Coalesce(
            Sum(F("amount") - F("paid_amount"), output_field=BIG_MONEY),
            Value(Decimal(0)),
            output_field=BIG_MONEY,
        ),
    )
    return row["n"], Decimal(row["owed_total"]).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class YearFigures:
    year: int
    bills: int
    billed: Decimal
    received: Decimal
    outstanding: Decimal
    by_status: dict[str, int]
    overdue: int

    @property
    def collection_rate(self) -> int:
        return int(self.received * 100 / self.billed) if self.billed else 0


def year_figures(*, association: Association, year: int, today: date | None = None) -> YearFigures:
    today = today or timezone.localdate()
    qs = DuesBill.objects.filter(association=association, year=year)
    by_status = dict(
        qs.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    zero = Value(Decimal(0))
    live = ~Q(status=DuesBill.Status.CANCELLED)
    sums = qs.order_by().aggregate(
        billed=Coalesce(
            Sum("amount", filter=live, output_field=BIG_MONEY), zero, output_field=BIG_MONEY
        ),
        received=Coalesce(Sum("paid_amount", output_field=BIG_MONEY), zero, output_field=BIG_MONEY),
        outstanding=Coalesce(
            Sum(
                F("amount") - F("paid_amount"),
                filter=Q(status=DuesBill.Status.OPEN),
                output_field=BIG_MONEY,
            ),
            zero,
            output_field=BIG_MONEY,
        ),
    )
    cents = Decimal("0.01")
    return YearFigures(
        year=year,
        bills=sum(by_status.values()),
        billed=Decimal(sums["billed"]).quantize(cents),
        received=Decimal(sums["received"]).quantize(cents),
        outstanding=Decimal(sums["outstanding"]).quantize(cents),
        by_status=by_status,
        overdue=qs.filter(status=DuesBill.Status.OPEN, due_on__lt=today).count(),
    )


def bill_years(*, association: Association) -> list[int]:
    years = set(
        DuesBill.objects.filter(association=association)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    years |= set(
        FeeSchedule.objects.filter(association=association)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class ScheduleRow:
    level: Level
    year: int
    amount: Decimal
    is_default: bool


def schedule_rows(*, association: Association, year: int) -> list[ScheduleRow]:
    """Every active level's dues for ``year``: the schedule if one is set, else the level's
    annual fee (the default a bill run would use)."""
    schedules = {
        s.level_id: s.amount for s in FeeSchedule.objects.filter(association=association, year=year)
    }
    return [
        ScheduleRow(
            level=level,
            year=year,
            amount=schedules.get(level.pk, level.annual_fee),
            is_default=level.pk not in schedules,
        )
        for level in Level.objects.filter(association=association, is_active=True).order_by(
            "rank", "name"
        )
    ]


def bill_payments(bill: DuesBill) -> list[Payment]:
    payments = list(
        Payment.objects.filter(association_id=bill.association_id, bill=bill)
        .select_related("recorded_by")
        .order_by("created_at", "id")
    )
    reversed_ids = {p.reverses_id for p in payments if p.reverses_id}
    for payment in payments:
        payment.is_reversed = payment.pk in reversed_ids  # type: ignore[attr-defined]
    return payments


# --- Access -----------------------------------------------------------------------------


def access_bill(
    *, association: Association, actor: User, role: Role | None, bill_id: object
) -> DuesBill:
    """One bill of ``association``: any bill for the secretariat, only bills of the members
    they represent for a member. The same 404 for missing, another association's and not
    yours."""
    qs = _bills(association).filter(pk=id_or_404(bill_id))
    if not has_perm(role, Perm.MANAGE_MEMBERS):
        qs = qs.filter(member_id__in=my_member_ids(association=association, user=actor))
    bill = qs.first()
    if bill is None:
        raise Http404
    return bill


def access_payment(
    *, association: Association, actor: User, role: Role | None, payment_id: object
) -> Payment:
    """One ledger entry, under the same rule as its bill."""
    qs = Payment.objects.filter(association=association, pk=id_or_404(payment_id)).select_related(
        "bill", "bill__member", "bill__level", "recorded_by", "reverses"
    )
    if not has_perm(role, Perm.MANAGE_MEMBERS):
        qs = qs.filter(bill__member_id__in=my_member_ids(association=association, user=actor))
    payment = qs.first()
    if payment is None:
        raise Http404
    return payment


def member_bills(*, association: Association, member: Member) -> QuerySet[DuesBill]:
    """A member's bills, newest year first, with their payments (the member's record)."""
    return (
        DuesBill.objects.filter(association=association, member=member)
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "id")))
        .order_by("-year")
    )

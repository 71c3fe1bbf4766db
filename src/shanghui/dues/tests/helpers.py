"""Small builders for the dues tests (on top of the shared factories)."""

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from shanghui.accounts.services.tokens import api_token_create
from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import DuesBill
from shanghui.members.models import Level, Member


def make_level(association: Association, name: str = "理事单位", fee: str = "5000") -> Level:
    with tenant_context(association):
        rank = Level.objects.filter(association=association).count() + 1
        return Level.objects.create(
            association=association, name=name, rank=rank, annual_fee=Decimal(fee)
        )


def make_bill(
    association: Association,
    member: Member,
    *,
    amount: str = "5000",
    year: int = 2026,
    due_on: date | None = None,
    level: Level | None = None,
) -> DuesBill:
    with tenant_context(association):
        return DuesBill.objects.create(
            association=association,
            member=member,
            level=level,
            year=year,
            amount=Decimal(amount),
            due_on=due_on or date(year, 3, 31),
        )


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def api_client(user: object) -> Client:
    _token, raw = api_token_create(user=user, name="test")  # type: ignore[arg-type]
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def body(response: Any) -> Any:
    return json.loads(response.content)

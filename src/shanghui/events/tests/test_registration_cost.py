"""What one registration costs the database: a statement budget for the API's POST and the
member page's form (issue 15.4). They call the same service; a lookup added in front of the
insert, a savepoint or a re-entered tenant scope shows here first. The budgets are counts
inside the test's transaction (the door's scope is a savepoint there, and on PostgreSQL the
association setting is read and put back); timings belong in bench/."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shanghui.core.tenancy import tenant_context
from shanghui.events.models import Registration
from shanghui.testing.fixtures import Side

from .factories import make_event, make_member_user
from .test_api import api, base, post

pytestmark = pytest.mark.django_db

# Token, association, role, event, person, represented member, seat claim (which also asks
# for ticket types), registration, audit entry, the confirmation's task (the worker writes
# the inbox and the outbox), key record (in the registration's savepoint; and the
# transaction).
API_BUDGET = {"sqlite": 13, "postgresql": 17}
# The same, with the session and the form's ticket types instead of the token and the key.
PAGE_BUDGET = {"sqlite": 17, "postgresql": 21}


def _budget(budgets: dict[str, int]) -> int:
    from django.db import connection

    return budgets[connection.vendor]


def test_an_api_registration_stays_within_its_statement_budget(
    side_a: Side, django_assert_max_num_queries: Any
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    client = api(make_member_user(a, "预算"))
    url = f"{base(side_a)}/{event.pk}/registrations"
    post(client, url, {}, **{"Idempotency-Key": "warm"})  # the token's first use is recorded
    event2 = make_event(a, side_a.admin, title="第二场")
    with django_assert_max_num_queries(_budget(API_BUDGET)):
        answer = post(
            client, f"{base(side_a)}/{event2.pk}/registrations", {}, **{"Idempotency-Key": "k2"}
        )
    assert answer.status_code == 201 and answer.json()["status"] == "confirmed"


def test_a_page_registration_stays_within_its_statement_budget(
    side_a: Side, django_assert_max_num_queries: Any
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    client = Client()
    client.force_login(make_member_user(a, "页面"))
    register = reverse("events:register", kwargs={"association_slug": a.slug, "event_id": event.pk})
    with django_assert_max_num_queries(_budget(PAGE_BUDGET)):
        answer = client.post(register, HTTP_HX_REQUEST="true")
    assert answer.status_code in (200, 302)
    with tenant_context(a):
        assert Registration.objects.get(event=event).status == "confirmed"

"""A registration's confirmation is one task written in the registration's transaction: the
worker writes the inbox row and the outbox message and sends them (issue 15.4). The task
holds no personal data, a rolled-back registration leaves none, and a registration that moved
on before the worker came to it is not told its old status after its new one."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from shanghui.core import notifications
from shanghui.core.models import InboxMessage, OutboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.events.services import registration as registration_services
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

from .factories import make_event, make_member_user, register

pytestmark = pytest.mark.django_db


def test_the_confirmation_is_one_task_of_ids_and_the_worker_tells_them(side_a: Side) -> None:
    a = side_a.association
    user = make_member_user(a, "确认")
    registration = register(a, make_event(a, side_a.admin, title="年会"), user)
    with tenant_context(a):
        assert not InboxMessage.objects.filter(user=user).exists()
        assert not OutboxMessage.objects.exists()
    (queued,) = DBTaskResult.objects.ready()
    assert queued.args_kwargs["kwargs"] == {
        "association_id": a.pk,
        "registration_id": registration.pk,
        "status": "confirmed",
        "has_role": False,
        "language": "zh-hans",
    }
    assert registration.phone not in str(queued.args_kwargs)
    notifications.outbox.clear()
    run_worker()
    with tenant_context(a):
        assert InboxMessage.objects.get(user=user).subject == "活动报名"
    assert any("您已成功报名“年会”" in m.text for m in notifications.outbox)


def test_a_rolled_back_registration_queues_nothing(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    with pytest.raises(ValidationError), transaction.atomic():
        register(a, event, make_member_user(a, "回滚"))
        raise ValidationError("later step failed")
    assert not DBTaskResult.objects.exists()
    with tenant_context(a):
        event.refresh_from_db()
        assert event.seats_taken == 0


def test_a_registration_cancelled_before_the_worker_came_is_not_confirmed(side_a: Side) -> None:
    a = side_a.association
    user = make_member_user(a, "取消")
    registration = register(a, make_event(a, side_a.admin, title="读书会"), user)
    with tenant_context(a):
        registration_services.registration_cancel(
            association=a, actor=user, registration=registration
        )
    notifications.outbox.clear()
    run_worker()
    texts = [m.text for m in notifications.outbox]
    assert texts and not any("您已成功报名" in t for t in texts), texts
    with tenant_context(a):
        subjects = [m.subject for m in InboxMessage.objects.filter(user=user)]
    assert subjects and "活动报名" not in subjects

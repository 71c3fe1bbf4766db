from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shanghui.core import notifications
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.testing.fixtures import Side

from .helpers import days_ago, make_bill


@pytest.mark.django_db(transaction=True)
def test_send_dues_reminders_enqueues_one_task_per_association_for_the_worker(
    side_a: Side, side_b: Side, privacy_notice: None
) -> None:
    make_bill(side_a.association, side_a.member, due_on=days_ago(3))
    out = StringIO()
    call_command("send_dues_reminders", stdout=out)
    assert "jiashi: 已加入后台任务队列" in out.getvalue()
    assert "yishi: 已加入后台任务队列" in out.getvalue()
    assert notifications.outbox == []  # nothing is sent until the worker runs
    call_command("db_worker", batch=True, interval=0, startup_delay=False, queue_name="*")
    assert [m.to for m in notifications.outbox] == [side_a.person.phone]
    call_command("send_dues_reminders", "--now", stdout=out)  # the same day: throttled
    assert len(notifications.outbox) == 1


@pytest.mark.django_db
def test_sync_dues_status_now_and_an_unknown_association(side_a: Side) -> None:
    make_bill(side_a.association, side_a.member, due_on=days_ago(45))
    out = StringIO()
    call_command("sync_dues_status", "--now", "--association", "jiashi", stdout=out)
    assert "'to_arrears': 1" in out.getvalue()
    with tenant_context(side_a.association):
        assert Member.objects.get(pk=side_a.member.pk).status == Member.Status.IN_ARREARS
    with pytest.raises(CommandError, match="没有找到"):
        call_command("sync_dues_status", "--association", "nowhere")

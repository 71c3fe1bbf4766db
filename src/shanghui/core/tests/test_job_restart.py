"""A worker killed mid-job (issue 13, item 12): its job shows as stopped within a minute and a
half — not after ten — with what happened, and its owner starts it again as it was
(重新开始), on the page and in the API. Only the owner, only failed jobs, only kinds that can
simply run again."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shanghui.accounts.models import Role
from shanghui.core import jobs
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import MemberFactory, RoleFactory
from shanghui.testing.fixtures import Side, api_client_for, client_for
from shanghui.testing.worker import run_worker

STOPPED = "后台任务意外中断（服务器可能重启过），未能完成。请重新操作。"


def worker_killed_mid_job(association: Any, *, heartbeat_ago: timedelta) -> Job:
    """A worker takes the queued task, starts its job and is killed: the task stays claimed
    (django-tasks-db never runs it again) and the job's last heartbeat is ``heartbeat_ago``."""
    with transaction.atomic():
        task = DBTaskResult.objects.ready().get()
        task.claim("killed-worker")
    job = jobs.job_for_task(
        job_id=task.args_kwargs["kwargs"]["job_id"], association_id=association.pk
    )
    with tenant_context(association):
        Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - heartbeat_ago)
    return job


def body(response: Any) -> Any:
    return json.loads(response.content)


@pytest.mark.django_db
def test_an_export_whose_worker_died_shows_stopped_within_the_minute_and_restarts(
    side_a: Side,
) -> None:
    a = side_a.association
    with tenant_context(a):
        MemberFactory(association=a, name="甲市另一家有限公司")
    page = client_for(side_a.admin)
    filters = {"q": side_a.member.name}
    with as_app_role():
        started = page.post(f"/a/{a.slug}/office/members/export/", filters)
    progress_url = started["Location"]
    dead = worker_killed_mid_job(a, heartbeat_ago=timedelta(seconds=30))
    with as_app_role():  # half a minute without a heartbeat: slow, not dead
        shown = page.get(progress_url).content.decode()
    assert "处理中" in shown and "重新开始" not in shown

    with tenant_context(a):  # two minutes without one: the worker is gone
        Job.objects.filter(pk=dead.pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    with as_app_role():
        shown = page.get(progress_url).content.decode()
        polled = page.get(f"/a/{a.slug}/jobs/{dead.pk}/", HTTP_HX_REQUEST="true").content
    assert "失败" in shown and STOPPED in shown
    restart_url = f"/a/{a.slug}/jobs/{dead.pk}/restart/"
    assert restart_url in shown and "重新开始" in shown
    assert restart_url in polled.decode()  # the polled box offers it too

    with as_app_role():
        restarted = page.post(restart_url)
    assert restarted.status_code == 302
    with tenant_context(a):
        new = Job.objects.exclude(pk=dead.pk).get(kind="members.export")
        assert Job.objects.get(pk=dead.pk).status == Job.Status.FAILED  # stays as it was
    assert restarted["Location"] == f"/a/{a.slug}/jobs/{new.pk}/"
    assert (new.status, new.params["q"], new.owner) == ("queued", side_a.member.name, side_a.admin)
    run_worker()
    with as_app_role():
        finished = page.get(restarted["Location"]).content.decode()
    assert "已导出 1 位会员" in finished and "下载结果" in finished  # the same filter
    with as_app_role():
        download = page.get(f"/a/{a.slug}/jobs/{new.pk}/download/")
    assert download.status_code == 200


@pytest.mark.django_db
def test_restart_through_the_api_for_the_owner_only(side_a: Side, side_b: Side) -> None:
    a = side_a.association
    api = api_client_for(side_a.admin)
    base = f"/api/v1/associations/{a.slug}"
    with as_app_role():
        job = body(api.post(f"{base}/dues/arrears/exports", {}, content_type="application/json"))
    url = f"{base}/jobs/{job['id']}"
    with as_app_role():
        refused = api.post(f"{url}/restart")  # still queued: nothing to start again
    assert refused.status_code == 400
    assert body(refused)["error"]["message"] == "这项任务不能重新开始，请回到原页面重新操作。"
    assert job["can_restart"] is False

    worker_killed_mid_job(a, heartbeat_ago=jobs.STALLED_AFTER)
    with as_app_role():
        shown = body(api.get(url))
    assert (shown["status"], shown["message"], shown["can_restart"]) == ("failed", STOPPED, True)
    # Another association's administrator, and another administrator of this one: 404.
    assert api_client_for(side_b.admin).post(f"{url}/restart").status_code == 404
    colleague = RoleFactory(association=a, kind=Role.Kind.ADMIN).user
    assert api_client_for(colleague).post(f"{url}/restart").status_code == 404

    with as_app_role():
        restarted = api.post(f"{url}/restart")
    assert restarted.status_code == 202
    new = body(restarted)
    assert new["id"] != job["id"] and (new["kind"], new["status"]) == (
        "dues.arrears_export",
        "queued",
    )
    run_worker()
    with as_app_role():
        assert body(api.get(f"{base}/jobs/{new['id']}"))["status"] == "done"


@pytest.mark.django_db
def test_a_job_that_cannot_simply_run_again_offers_no_restart(side_a: Side) -> None:
    """Invitations would be sent twice: such a job, once failed, says so and offers nothing."""
    from shanghui.events.tests.factories import make_event

    a = side_a.association
    event = make_event(a, side_a.admin)
    page = client_for(side_a.admin)
    with as_app_role():
        page.post(f"/a/{a.slug}/office/events/{event.pk}/invite/")
    dead = worker_killed_mid_job(a, heartbeat_ago=jobs.STALLED_AFTER)
    with as_app_role():
        shown = page.get(f"/a/{a.slug}/jobs/{dead.pk}/").content.decode()
        refused = page.post(f"/a/{a.slug}/jobs/{dead.pk}/restart/", follow=True)
    assert STOPPED in shown and "重新开始" not in shown
    assert "这项任务不能重新开始" in refused.content.decode()
    with tenant_context(a):
        assert Job.objects.filter(association=a).count() == 1
        assert Member.objects.filter(association=a).count() == 1

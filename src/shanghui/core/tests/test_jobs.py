"""A background job whose worker died: django-tasks-db never runs a claimed task again, so the
job is given up once it has been silent for ``STALLED_AFTER``, where it is read."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shanghui.accounts.services.tokens import api_token_create
from shanghui.core import jobs
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.members.tasks import export_members
from shanghui.testing.fixtures import Side


def _silent_for(job: Job, silence: timedelta, status: str = Job.Status.RUNNING) -> None:
    with tenant_context(job.association):
        Job.objects.filter(pk=job.pk).update(status=status, updated_at=timezone.now() - silence)


@pytest.mark.django_db
def test_a_running_job_silent_too_long_is_given_up_where_it_is_read(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        job = Job.objects.create(
            association=a, owner=side_a.admin, kind="members.export", label="导出"
        )
    _token, raw = api_token_create(user=side_a.admin, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/associations/{a.slug}/jobs/{job.pk}"

    _silent_for(job, jobs.STALLED_AFTER - timedelta(minutes=1))
    assert json.loads(client.get(url).content)["status"] == "running"  # slow, not dead
    # Queued for hours is waiting for a worker, not lost by one.
    _silent_for(job, timedelta(hours=5), status=Job.Status.QUEUED)
    assert json.loads(client.get(url).content)["status"] == "queued"

    _silent_for(job, jobs.STALLED_AFTER)
    shown = json.loads(client.get(url).content)
    assert shown["status"] == "failed"
    assert shown["message"] == "后台任务意外中断（服务器可能重启过），未能完成。请重新操作。"
    page = Client()
    page.force_login(side_a.admin)
    assert "意外中断" in page.get(f"/a/{a.slug}/jobs/{job.pk}/").content.decode()

    # Should the worker have been alive after all, its reports do not bring the job back.
    job.refresh_from_db()
    jobs.job_progress(job, done=5, total=10)
    with tenant_context(a):
        job.refresh_from_db()
    assert (job.status, job.done) == (Job.Status.FAILED, 0)


@pytest.mark.django_db
def test_a_report_read_before_the_job_is_given_up_keeps_it_alive(side_a: Side) -> None:
    """The job is given up only as it was read: a report arriving in between wins."""
    a = side_a.association
    with tenant_context(a):
        job = Job.objects.create(
            association=a, owner=side_a.admin, kind="members.export", label="导出"
        )
    _silent_for(job, jobs.STALLED_AFTER)
    with tenant_context(a):
        read = Job.objects.get(pk=job.pk)
        jobs.job_progress(job, done=1, total=10)  # the worker reports meanwhile
        assert jobs.job_check_stalled(read).status == Job.Status.RUNNING
        assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


@pytest.mark.django_db
def test_a_queued_job_whose_task_a_worker_took_and_lost_is_given_up(side_a: Side) -> None:
    """The worker died after taking the task but before it marked the job running: the job
    says 排队中 while its task is the worker's. Waiting for a worker is not that."""
    a = side_a.association
    with tenant_context(a):
        job = jobs.job_start(
            association=a,
            actor=side_a.admin,
            kind="members.export",
            label="会员名单导出",
            task=export_members,
        )
        job.refresh_from_db()
    task = DBTaskResult.objects.get(pk=job.task_id)
    _silent_for(job, jobs.STALLED_AFTER, status=Job.Status.QUEUED)

    def status() -> str:
        with tenant_context(a):
            return jobs.job_check_stalled(Job.objects.get(pk=job.pk)).status

    assert status() == Job.Status.QUEUED  # no worker has taken it yet
    task.claim("killed-worker")
    assert status() == Job.Status.QUEUED  # taken a moment ago: the worker is getting to it
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - jobs.STALLED_AFTER)
    assert status() == Job.Status.FAILED

"""No limits (issue 13, item 13): thirteen member exports clicked in two seconds were thirteen
jobs in the queue. Now one person has at most one export of a kind queued or running — asking
again shows that one (its progress, and a notice on the page)."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from shanghui.accounts.models import Role
from shanghui.core import jobs
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.members.tasks import export_members
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import RoleFactory
from shanghui.testing.fixtures import Side, api_client_for, client_for
from shanghui.testing.worker import run_worker

BURST = 13


def exports(side: Side) -> list[Job]:
    with tenant_context(side.association):
        return list(Job.objects.filter(association=side.association, kind="members.export"))


@pytest.mark.django_db
def test_a_burst_of_exports_by_one_person_is_one_job(side_a: Side) -> None:
    a = side_a.association
    page = client_for(side_a.admin)
    api = api_client_for(side_a.admin)
    with as_app_role():
        first = page.post(f"/a/{a.slug}/office/members/export/", {"q": "龚"})
        answers = [page.post(f"/a/{a.slug}/office/members/export/") for _ in range(BURST - 7)]
        answered = [
            json.loads(
                api.post(
                    f"/api/v1/associations/{a.slug}/members/exports",
                    {},
                    content_type="application/json",
                ).content
            )["id"]
            for _ in range(6)
        ]
        shown = page.get(answers[-1]["Location"]).content.decode()
    (job,) = exports(side_a)
    assert {r["Location"] for r in [first, *answers]} == {
        f"/a/{a.slug}/office/members/export/{job.pk}/"
    }
    assert set(answered) == {str(job.pk)}
    assert job.params["q"] == "龚"  # the one asked for first
    assert "您的“会员名单导出”已在进行中" in shown

    # Another administrator's export is theirs; another kind is another job.
    colleague = RoleFactory(association=a, kind=Role.Kind.ADMIN).user
    with as_app_role():
        client_for(colleague).post(f"/a/{a.slug}/office/members/export/")
        client_for(side_a.admin).post(f"/a/{a.slug}/office/dues/arrears/export/")
    assert len(exports(side_a)) == 2
    run_worker()
    with as_app_role():  # once it is done, the next export is a new one
        again = page.post(f"/a/{a.slug}/office/members/export/")
    assert len(exports(side_a)) == 3 and str(job.pk) not in again["Location"]


@pytest.mark.django_db
def test_an_export_whose_worker_died_does_not_block_the_next(side_a: Side) -> None:
    a = side_a.association
    page = client_for(side_a.admin)
    with as_app_role():
        page.post(f"/a/{a.slug}/office/members/export/")
    (dead,) = exports(side_a)
    with tenant_context(a):
        Job.objects.filter(pk=dead.pk).update(
            status=Job.Status.RUNNING, updated_at=timezone.now() - jobs.STALLED_AFTER
        )
    with as_app_role():
        page.post(f"/a/{a.slug}/office/members/export/")
    with tenant_context(a):
        assert Job.objects.get(pk=dead.pk).status == Job.Status.FAILED
    assert len(exports(side_a)) == 2


@pytest.mark.django_db
def test_the_database_refuses_a_second_unfinished_export_of_one_person(side_a: Side) -> None:
    """What holds for requests arriving together: the unique index, not a count."""
    a = side_a.association
    with tenant_context(a):
        _job, started = jobs.job_start_once(
            association=a,
            actor=side_a.admin,
            kind="members.export",
            label="导出",
            task=export_members,
        )
        assert started
        with pytest.raises(IntegrityError), transaction.atomic():
            Job.objects.create(
                association=a,
                owner=side_a.admin,
                kind="members.export",
                label="导出",
                one_per_owner=True,
                status=Job.Status.RUNNING,
            )

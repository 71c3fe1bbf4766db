"""core.bulk and core.jobs pieces the member import's speed rests on: reserved keys, the
pipelined writes, lookups by key, and the progress writes a job skips."""

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from shanghui.core import jobs
from shanghui.core.bulk import insert_rows, next_ids, pipelined, rows_by
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Person, Representative
from shanghui.testing.factories import PersonFactory
from shanghui.testing.fixtures import Side


@pytest.mark.django_db
def test_reserved_keys_are_never_handed_out_again(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        existing = PersonFactory(association=a, name="王芳", phone="13300133000")
        first = next_ids(Person, 3)
        second = next_ids(Person, 2)
        assert len(set(first + second)) == 5 and min(first + second) > existing.pk
        later = PersonFactory(association=a, name="李雷", phone="13100131000")
        assert later.pk not in first + second
        inserted = insert_rows(
            Person,
            [{"id": pk, "name": f"预留{pk}", "phone": ""} for pk in first],
            association=a,
        )
        assert inserted == 3
        reserved = Person.objects.filter(name__startswith="预留").values_list("pk", flat=True)
        assert sorted(reserved) == sorted(first)
        assert next_ids(Person, 0) == []


@pytest.mark.django_db
def test_rows_by_finds_the_associations_rows_by_key(side_a: Side, side_b: Side) -> None:
    a, b = side_a.association, side_b.association
    with tenant_context(a):
        wang = PersonFactory(association=a, name="王芳", phone="13300133000")
        phones = [f"199{n:08d}" for n in range(1200)]  # more than one query's worth on SQLite
        found = rows_by(Person, "phone", [*phones, "13300133000"], ("pk", "name"), association=a)
        assert found == [("13300133000", wang.pk, "王芳")]
        assert rows_by(Person, "phone", [], association=a) == []
    with tenant_context(b):
        assert rows_by(Person, "phone", ["13300133000"], association=b) == []


@pytest.mark.django_db(transaction=True)
def test_a_write_refused_inside_the_pipeline_rolls_back_and_raises_djangos_error(
    side_a: Side,
) -> None:
    a = side_a.association
    with tenant_context(a):
        (key,) = next_ids(Person, 1)
    with pytest.raises(IntegrityError), tenant_context(a), transaction.atomic(), pipelined():
        insert_rows(Person, [{"id": key, "name": "先写", "phone": ""}], association=a)
        insert_rows(Person, [{"id": key, "name": "同一个键", "phone": ""}], association=a)
        rows_by(Person, "phone", ["13300133000"], association=a)  # reads: waits for both
    with tenant_context(a):
        assert not Person.objects.filter(pk=key).exists()


@pytest.mark.django_db(transaction=True)
def test_after_the_pipeline_foreign_keys_wait_for_commit_again(side_a: Side) -> None:
    """Inside ``pipelined`` each statement's foreign keys are checked at once; after it, the
    transaction is back to Django's deferred checks (the seed writes more after its index)."""
    a = side_a.association
    with tenant_context(a), transaction.atomic():
        with pipelined():
            pass
        (key,) = next_ids(Person, 1)
        # The representative before its person: fine as long as the check waits for COMMIT.
        link = {"member_id": side_a.member.pk, "person_id": key, "title": "先写关系"}
        insert_rows(Representative, [link], association=a)
        insert_rows(Person, [{"id": key, "name": "后写的人", "phone": ""}], association=a)
    with tenant_context(a):
        assert Representative.objects.get(person_id=key).title == "先写关系"


@pytest.mark.django_db
def test_a_job_writes_its_progress_at_most_once_per_interval(
    side_a: Side, monkeypatch: Any
) -> None:
    a = side_a.association
    with tenant_context(a):
        job = Job.objects.create(association=a, owner=side_a.admin, kind="test", label="进度")

    def stored() -> tuple[int, int]:
        with tenant_context(a):
            job.refresh_from_db(fields=["done", "total"])
        return job.done, job.total

    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL", 3600)
    jobs.job_progress(job, done=0, total=100)
    jobs.job_progress(job, done=10, total=100)
    assert stored() == (0, 100)  # too soon: dropped
    jobs.job_progress(job, done=10, total=200)
    assert stored() == (10, 200)  # a new total is written at once
    jobs.job_progress(job, done=200, total=200)
    assert stored() == (200, 200)  # and so is the end
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL", 0)
    jobs.job_progress(job, done=50, total=200)
    assert stored() == (50, 200)

"""The view counters against the store production uses (a SQLite file of its own, or Redis
when COUNTERS_REDIS_URL is set): shared by processes, atomic under concurrent increments,
and flushed without losing or double-counting a view."""

import multiprocessing
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from shanghui.core.tenancy import tenant_context
from shanghui.publishing import counters
from shanghui.publishing.models import Article
from shanghui.publishing.tests.factories import article_make
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

# The machine's Redis (it runs before every session and CI run); database 15 is the tests'.
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True, params=["sqlite", "redis"])
def counter_store(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every test here runs against both stores production may use."""
    url = TEST_REDIS_URL if request.param == "redis" else ""
    with override_settings(COUNTERS_REDIS_URL=url):
        counters.store.cache_clear()
        counters.store().clear()
        try:
            yield request.param
        finally:
            counters.store().clear()
            counters.store.cache_clear()


VIEWS_PER_PROCESS = 300


def _count_views(article_id: int, start: "multiprocessing.synchronize.Event") -> None:
    """Another app server process: its own handle on the store, counting views."""
    store = counters.open_store()
    start.wait(30)
    for _ in range(VIEWS_PER_PROCESS):
        store.incr(f"article:{article_id}")


def test_counters_are_shared_by_processes_and_durable(side_a: Side, counter_store: str) -> None:
    expected = {"sqlite": counters.SqliteStore, "redis": counters.RedisStore}[counter_store]
    assert isinstance(counters.store(), expected)
    article = article_make(side_a.association, side_a.admin, audience=Article.Audience.PUBLIC)
    counters.view_count(article.pk)
    # A fresh handle (what another worker or the flush command opens) sees the view.
    assert counters.open_store().get_many([f"article:{article.pk}"]) == {f"article:{article.pk}": 1}


def test_two_processes_count_while_flushes_run_and_nothing_is_lost_or_doubled(
    side_a: Side, django_capture_on_commit_callbacks
) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, audience=Article.Audience.PUBLIC)
    counters.store()  # this process's handle, opened before the fork and not shared
    context = multiprocessing.get_context("fork")
    start = context.Event()
    workers = [context.Process(target=_count_views, args=(article.pk, start)) for _ in "ab"]
    for worker in workers:
        worker.start()
    start.set()
    flushed = 0
    with tenant_context(a):
        while any(worker.is_alive() for worker in workers):
            with django_capture_on_commit_callbacks(execute=True):
                flushed += counters.flush(a)
        for worker in workers:
            worker.join()
            assert worker.exitcode == 0
        with django_capture_on_commit_callbacks(execute=True):
            flushed += counters.flush(a)
    article.refresh_from_db()
    assert flushed == article.view_count == 2 * VIEWS_PER_PROCESS
    assert counters.pending([article.pk]) == {}


def test_a_flush_whose_database_update_is_rolled_back_keeps_the_counts(
    side_a: Side, django_capture_on_commit_callbacks
) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, audience=Article.Audience.PUBLIC)
    for _ in range(3):
        counters.view_count(article.pk)
    with (
        tenant_context(a),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assert counters.flush(a) == 3
        raise RuntimeError("the database went away")
    article.refresh_from_db()
    assert article.view_count == 0 and counters.pending([article.pk]) == {article.pk: 3}
    with tenant_context(a), django_capture_on_commit_callbacks(execute=True):
        assert counters.flush(a) == 3
    article.refresh_from_db()
    assert article.view_count == 3 and counters.pending([article.pk]) == {}


def test_a_second_flush_while_one_runs_adds_nothing(
    side_a: Side, django_capture_on_commit_callbacks
) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, audience=Article.Audience.PUBLIC)
    for _ in range(2):
        counters.view_count(article.pk)
    out = StringIO()
    with counters.open_store().flush_lock():  # another run of the command, holding the lock
        call_command("flush_article_views", stdout=out)
    assert "跳过" in out.getvalue()
    article.refresh_from_db()
    assert article.view_count == 0 and counters.pending([article.pk]) == {article.pk: 2}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("flush_article_views", stdout=StringIO())
    article.refresh_from_db()
    assert article.view_count == 2 and counters.pending([article.pk]) == {}

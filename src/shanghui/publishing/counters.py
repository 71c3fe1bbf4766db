"""Buffered view counts: a page view adds one to a counter in the ``counters`` cache (never
the database: on SQLite a write per view would queue every reader behind the write lock);
``flush`` — ``manage.py flush_article_views``, every few minutes — adds what the counters
hold to ``Article.view_count`` with one UPDATE per article that was read, and takes that
much off the counters, so views counted meanwhile stay for the next flush.

The cache must be shared by the app servers and the command (Redis, or the file-based cache
of one machine: ``COUNTERS_CACHE`` in the settings); with a per-process cache the command
would see nothing."""

import contextlib

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db.models import F

from shanghui.associations.models import Association
from shanghui.publishing.models import Article

CACHE_ALIAS = "counters"
# Counters unread for this long are dropped by the cache (a flush runs far more often).
TIMEOUT = 7 * 24 * 3600


def _cache() -> BaseCache:
    return caches[CACHE_ALIAS]


def _key(article_id: int) -> str:
    return f"publishing:views:{article_id}"


def view_count(article_id: int) -> None:
    """One view of the article: the cache only."""
    cache = _cache()
    key = _key(article_id)
    try:
        cache.incr(key)
    except ValueError:  # no counter yet
        if not cache.add(key, 1, TIMEOUT):
            cache.incr(key)


def pending(article_ids: list[int]) -> dict[int, int]:
    """Views counted but not yet flushed, by article."""
    found = _cache().get_many([_key(i) for i in article_ids])
    return {i: int(found.get(_key(i)) or 0) for i in article_ids if found.get(_key(i))}


def views_of(article: Article) -> int:
    """The article's views, flushed and pending (a page shows this)."""
    return article.view_count + pending([article.pk]).get(article.pk, 0)


def flush(association: Association) -> int:
    """Adds the pending views of ``association``'s published articles to their counts (in
    its tenant context); returns how many views were added."""
    ids = list(
        Article.objects.filter(
            association=association, status=Article.Status.PUBLISHED
        ).values_list("pk", flat=True)
    )
    cache = _cache()
    added = 0
    for start in range(0, len(ids), 500):
        for article_id, count in pending(ids[start : start + 500]).items():
            if count <= 0:
                continue
            Article.objects.filter(association=association, pk=article_id).update(
                view_count=F("view_count") + count
            )
            with contextlib.suppress(ValueError):
                cache.decr(_key(article_id), count)
            added += count
    return added

"""``publishing_router`` (defined in ``base``, mounted by ``site.api``) with every endpoint of
the publishing API registered. Order matters: fixed paths before /articles/{article_id}."""

from shanghui.publishing.api import articles, categories  # noqa: F401
from shanghui.publishing.api.base import publishing_router

__all__ = ["publishing_router"]

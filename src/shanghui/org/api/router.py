"""``org_router`` (defined in ``base``, mounted by ``site.api``) with every endpoint of the
organisation structure's API registered."""

from shanghui.org.api import terms, trash, units  # noqa: F401
from shanghui.org.api.base import org_router

__all__ = ["org_router"]

"""The organisation structure's API under /api/v1/associations/{slug}/org/…: terms, posts,
appointments, the change of term (换届), committees and their members, branches, group
members, the consent to share figures with a parent association, and the public chart.
Thin: access, call the same services as the pages. Who may do what: ``org.access``."""

from shanghui.org.api import terms, units
from shanghui.org.api.base import org_router

__all__ = ["org_router", "terms", "units"]

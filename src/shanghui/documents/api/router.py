"""``documents_router`` (defined in ``base``, mounted by ``site.api`` at
/associations/{slug}/documents) with every endpoint registered. Order matters: fixed paths
(/folders/root, /files) before those with ids."""

from shanghui.documents.api import files, folders, module_files, shares  # noqa: F401
from shanghui.documents.api.base import documents_router

__all__ = ["documents_router"]

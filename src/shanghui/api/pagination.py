"""The one pagination format of the API: ``{"items": [...], "count": N}`` with ``page`` and
``page_size`` query parameters (page_size at most 100)."""

from ninja.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(page_size=20, max_page_size=100, **kwargs)

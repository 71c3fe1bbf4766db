"""The one pagination format of the API: ``{"items": [...], "count": N}`` with ``page`` and
``page_size`` query parameters (page_size at most 100)."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(page_size=20, max_page_size=MAX_PAGE_SIZE, **kwargs)

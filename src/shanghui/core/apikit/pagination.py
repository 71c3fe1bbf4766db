"""The one pagination format of the API: ``{"items": [...], "count": N}`` with ``page`` and
``page_size`` query parameters (page_size at most 100)."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(page_size=20, max_page_size=MAX_PAGE_SIZE, **kwargs)


class EachPage:
    """A queryset handed to ``@paginate(Pages)`` that calls ``on_page(rows)`` with the page
    the pagination slices — to audit that read (``core.privacy.personal_data_page``) or to
    present its rows — before it is answered; only the page is loaded."""

    def __init__(self, qs: QuerySet[Any], on_page: Callable[[list[Any]], list[Any]]) -> None:
        self.qs = qs
        self.on_page = on_page

    def __getitem__(self, item: slice) -> list[Any]:
        return self.on_page(list(self.qs[item]))

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

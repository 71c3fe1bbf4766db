"""Numbered pages for the back office's lists (``Paginator`` and ``includes/pagination.html``)
that stay cheap deep in a long list: page 200 of 23,000 members reads the ids of its rows
through the index, then the 50 rows by id (``core.keyset.slice_rows``), instead of making the
database carry 10,000 whole rows past OFFSET. Page numbers are what a secretariat expects;
the member-facing lists, which are scrolled, load more by cursor (``core.keyset.more_page``).

Its querysets must be ordered totally (the order ending with ``id``), as every paged list's is."""

from typing import Any

from django.core.paginator import Page, Paginator

from shanghui.core.keyset import slice_rows


class DeepPaginator(Paginator):
    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = slice_rows(self.object_list, bottom, top - bottom)  # type: ignore[arg-type]
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]

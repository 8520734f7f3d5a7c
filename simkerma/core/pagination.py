"""Pagination shared by the list pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told its count, for a list whose count is cached or has a cheaper query than its rows."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count

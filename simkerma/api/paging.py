"""Limit/offset pages with the total count and links to the pages before and after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from simkerma.api.schemas import PageQuery


def _link(request: HttpRequest, offset: int, limit: int) -> str:
    params = request.GET.copy()
    params["offset"] = str(offset)
    params["limit"] = str(limit)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def page_of(
    request: HttpRequest, rows: QuerySet[Any], query: PageQuery, *, count: Callable[[], int] | None = None
) -> dict[str, Any]:
    """One page of `rows` (already in a stable order ending with the primary key): two queries
    plus the prefetches, whatever the number of rows."""
    total = count() if count is not None else rows.count()
    limit, offset = query.limit, query.offset
    results = list(rows[offset : offset + limit]) if offset < total else []
    following = offset + limit
    return {
        "count": total,
        "next": _link(request, following, limit) if following < total else None,
        "previous": _link(request, max(offset - limit, 0), limit) if offset > 0 else None,
        "results": results,
    }

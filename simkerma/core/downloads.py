"""Private downloads: files only their readers may see are never kept by a shared cache.

Agreement scans, report evidence and PDFs, draft versions, templates, the service-time workbook and the
personal calendar feed are sent with `Cache-Control: private, no-store`, so neither a proxy nor the
browser's disk keeps a copy after the reader has gone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.http import HttpResponseBase

PRIVATE_CACHE_CONTROL = "private, no-store"

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def mark_private(response: R) -> R:
    """Set `Cache-Control: private, no-store` on `response`, replacing any caching header."""
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def private_download(view: Callable[P, R]) -> Callable[P, R]:
    """View decorator: every response of `view` is marked private and not stored."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        return mark_private(view(*args, **kwargs))

    return wrapped

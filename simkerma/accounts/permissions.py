"""Who may read and write what. Every view goes through these helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def can_read(user: Any) -> bool:
    """Every role reads the whole registry; an account without a role sees nothing."""
    return bool(user.is_authenticated and user.has_role)


def can_manage_partners(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_team)


def can_manage_org(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_team)


def require(predicate: Callable[[Any], bool]) -> Callable[..., Any]:
    """View decorator: log in first, then refuse with 403 unless predicate(user) holds."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

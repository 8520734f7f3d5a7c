"""Who may read and write what. Every view goes through these helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from simkerma.accounts.models import Role


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


def can_manage_accounts(user: Any) -> bool:
    """The administrator and the Kapokja manage the accounts of the people who use Simkerma."""
    return bool(user.is_authenticated and user.has_role and user.role in (Role.ADMIN, Role.KAPOKJA))


def can_manage_account(user: Any, account: Any) -> bool:
    """The administrator manages every account; the Kapokja every one but the administrators'."""
    if not can_manage_accounts(user):
        return False
    return user.role == Role.ADMIN or account.role != Role.ADMIN


def can_grant_role(user: Any, role: str) -> bool:
    """Only the administrator makes someone an administrator."""
    return can_manage_accounts(user) and (user.role == Role.ADMIN or role != Role.ADMIN)


def can_change_role(user: Any, account: Any) -> bool:
    """Nobody changes their own role, so the last administrator cannot leave the system without one."""
    return can_manage_account(user, account) and account.pk != user.pk


def can_deactivate(user: Any, account: Any) -> bool:
    """Nobody deactivates themselves."""
    return can_manage_account(user, account) and account.pk != user.pk

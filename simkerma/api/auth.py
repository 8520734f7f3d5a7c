"""Bearer tokens: `Authorization: Bearer <secret>`. Sessions are not accepted, so no request needs CSRF."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer

from simkerma.api.models import ApiToken
from simkerma.api.services import token_authenticate


class TokenAuth(HttpBearer):
    """A usable token of an active user; the request then runs as that user (role and unit)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token.strip())
        if found is None:
            return None
        # The history of anything written records the token's user; the selectors scope by them.
        request.user = found.user
        return found


def api_token(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):  # every operation requires a token; this is a guard
        raise PermissionDenied
    return token


def require_write(request: HttpRequest) -> Any:
    """Refuse a write with a read-only token (403); the service still checks the user's role."""
    token = api_token(request)
    if token.read_only:
        raise PermissionDenied("This token is read-only.")
    return token.user

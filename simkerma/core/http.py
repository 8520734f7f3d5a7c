"""Request types for the type checker.

Views behind `login_required` (directly or through `accounts.permissions.require`) only ever see
a logged-in `User`, and `django_htmx.middleware.HtmxMiddleware` sets `request.htmx` on every
request. `HttpRequest` knows neither, so those views annotate their request as `AuthedHttpRequest`.
This is an annotation only: Django still passes its own request object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails


class AuthedHttpRequest(HttpRequest):
    # The project's User (settings.AUTH_USER_MODEL); core names no domain app, so it is typed loosely.
    user: Any
    htmx: HtmxDetails

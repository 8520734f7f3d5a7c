"""A fixed-window rate limit per client address, kept in Django's cache.

The public form needs no login, so a flood of submissions is slowed here: past the limit the
client gets HTTP 429 until the window ends. The address is REMOTE_ADDR, as for login throttling;
behind a reverse proxy, the proxy must set it to the client's address.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """Count one hit; True while the client is within `limit` hits per `window` seconds."""
    if limit <= 0:
        return True
    slot = int(time.time() // window)
    key = f"servicedesk:rate:{scope}:{client_address(request)}:{slot}"
    try:
        count = 1 if cache.add(key, 1, timeout=window + 5) else cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit

"""A fixed-window rate limit, kept in Django's cache so that every worker process counts together.

The public form needs no login, so a flood of submissions is slowed here: past the limit the
client gets HTTP 429 until the window ends. The client's address is read as for login
throttling, through the trusted proxies only (`simkerma.core.clientip`). The cache is the
database table or Redis (settings.CACHES), never a per-process memory.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest

from simkerma.core.clientip import client_address


def hit(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """Count one hit; True while the client is within `limit` hits per `window` seconds."""
    return hit_key(client_address(request), scope=scope, limit=limit, window=window)


def hit_key(subject: str, *, scope: str, limit: int, window: int) -> bool:
    """Count one hit for any subject (an address, an e-mail address); True while within the limit."""
    if limit <= 0:
        return True
    slot = int(time.time() // window)
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    key = f"servicedesk:rate:{scope}:{digest}:{slot}"
    try:
        count = 1 if cache.add(key, 1, timeout=window + 5) else cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit

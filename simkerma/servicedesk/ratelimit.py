"""A fixed-window rate limit, kept in Django's cache so that every worker process counts together.

The public form needs no login, so a flood of submissions is slowed here: past the limit the
client gets HTTP 429 until the window ends. The client's address is read as for login
throttling, through the trusted proxies only (`simkerma.core.clientip`). The cache is the
database table or Redis (settings.CACHES), never a per-process memory.

Counting is atomic: Redis increments in one command, and on the database cache (whose own `incr`
reads then writes) the counter's row is locked for the increment where the database can lock rows
(PostgreSQL), so two workers counting at once never lose a hit. SQLite writes one transaction at a time.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
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
        count = 1 if cache.add(key, 1, timeout=window + 5) else _increment(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def _increment(key: str) -> int:
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        return backend.incr(key)
    db = router.db_for_write(backend.cache_model_class)
    connection = connections[db]
    with transaction.atomic(using=db):
        if connection.features.has_select_for_update:
            table = connection.ops.quote_name(backend._table)  # type: ignore[attr-defined]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608 (our table)
                    [backend.make_and_validate_key(key)],
                )
        return backend.incr(key)

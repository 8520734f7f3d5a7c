"""The database cache (settings.CACHES without REDIS_URL), each write one statement.

Django's database cache counts the whole table before every write and then reads the key and
writes it inside a transaction: four to six queries for one `set`, and on SQLite a write lock
held across them. Here `set` and `add` are each one upsert (INSERT … ON CONFLICT, on SQLite and
PostgreSQL alike), and the table is counted, and culled past MAX_ENTRIES as Django does, on one
write in CULL_EVERY per process instead of on every write. Inside a transaction the upsert runs
in a savepoint, so that a failed write (which, as in Django's, only returns False) leaves the
transaction usable. The rows, their encoding and every
read are Django's, so a handle of either class reads what the other wrote.
"""

from __future__ import annotations

import base64
import itertools
import pickle
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now

# One write in this many counts the table and culls it when it is past its size.
CULL_EVERY = 20
_writes = itertools.count()


class DatabaseCache(DjangoDatabaseCache):
    def _base_set(self, mode: str, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT) -> bool:
        if mode not in ("set", "add"):
            return bool(super()._base_set(mode, key, value, timeout))  # type: ignore[misc]  # touch: rare, Django's way
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]
        key_column, value_column, expires_column = quote("cache_key"), quote("value"), quote("expires")
        now = tz_now().replace(microsecond=0)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = expires.replace(microsecond=0)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        sql = (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES (%s, %s, %s) "  # noqa: S608 (the cache table's own name)
            f"ON CONFLICT ({key_column}) DO UPDATE SET {value_column} = EXCLUDED.{value_column}, "
            f"{expires_column} = EXCLUDED.{expires_column}"
        )
        params = [key, encoded, connection.ops.adapt_datetimefield_value(expires)]
        if mode == "add":  # only over a row that has expired
            sql += f" WHERE {table}.{expires_column} < %s"
            params.append(connection.ops.adapt_datetimefield_value(now))
        with connection.cursor() as cursor:
            if next(_writes) % CULL_EVERY == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (the cache table's own name)
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, now, count)  # type: ignore[attr-defined]
            try:
                # Inside a transaction, a savepoint keeps a failed write from aborting it.
                with transaction.atomic(using=db) if connection.in_atomic_block else nullcontext():
                    cursor.execute(sql, params)
            except DatabaseError:  # as Django's: a cache write never fails the request
                return False
            return mode == "set" or cursor.rowcount > 0

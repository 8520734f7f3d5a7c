"""The database cache of the deployment (simkerma.core.cache): Django's semantics, one statement a write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from simkerma.core import cache as cache_module
from simkerma.core.cache import DatabaseCache

TABLE = "test_core_cache"
SETTINGS = {"default": {"BACKEND": "simkerma.core.cache.DatabaseCache", "LOCATION": TABLE}}


@pytest.fixture
def backend():
    with override_settings(CACHES=SETTINGS):
        call_command("createcachetable", verbosity=0)
        handle = DatabaseCache(TABLE, {})
        handle.clear()
        yield handle
        handle.clear()


def _expire(key: str) -> None:
    """Make a stored key's row expired, as time passing would."""
    with connection.cursor() as cursor:
        past = connection.ops.adapt_datetimefield_value(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        cursor.execute(f"UPDATE {TABLE} SET expires = %s", [past])  # noqa: S608


def _skip_cull(monkeypatch) -> None:
    monkeypatch.setattr(cache_module, "_writes", iter(range(1, 10**6, cache_module.CULL_EVERY)))


pytestmark = pytest.mark.django_db(transaction=True)


def test_set_add_get_and_incr_keep_djangos_meaning(backend):
    assert backend.add("a", {"x": 1}) is True
    assert backend.add("a", {"x": 2}) is False  # there and not expired: kept
    assert backend.get("a") == {"x": 1}
    backend.set("a", [3, "tiga"])
    assert backend.get("a") == [3, "tiga"]
    backend.set("n", 1)
    assert backend.incr("n") == 2
    assert backend.incr("n", 5) == 7
    backend.set("forever", "v", timeout=None)
    assert backend.get("forever") == "v"
    assert backend.touch("a", 60) is True


def test_add_takes_over_an_expired_row(backend):
    backend.set("k", "old")
    _expire("k")
    assert backend.get("k") is None
    assert backend.add("k", "new") is True
    assert backend.get("k") == "new"


def test_djangos_own_backend_reads_what_this_one_wrote(backend):
    backend.set("shared", {"figure": 42})
    assert DjangoDatabaseCache(TABLE, {}).get("shared") == {"figure": 42}


def test_a_write_is_one_statement(backend, monkeypatch):
    _skip_cull(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        backend.set("one", 1)
        backend.add("two", 2)
        backend.add("two", 3)
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT", "INSERT", "INSERT"]
    assert backend.get_many(["one", "two"]) == {"one": 1, "two": 2}


def test_inside_a_transaction_a_write_keeps_the_transaction_usable(backend, monkeypatch):
    _skip_cull(monkeypatch)
    with transaction.atomic():
        backend.set("in", "tx")
        assert backend.get("in") == "tx"
    assert backend.get("in") == "tx"


def test_the_table_is_culled_past_its_size(monkeypatch):
    monkeypatch.setattr(cache_module, "CULL_EVERY", 1)
    with override_settings(CACHES=SETTINGS):
        call_command("createcachetable", verbosity=0)
        small = DatabaseCache(TABLE, {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
        small.clear()
        for i in range(40):
            small.set(f"k{i}", i)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608
            left = cursor.fetchone()[0]
        small.clear()
    assert 5 <= left <= 11

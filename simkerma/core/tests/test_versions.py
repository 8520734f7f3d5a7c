"""Cached figures are served until a write to the data behind them, and never after."""

import pytest
from django.db import transaction

from simkerma.core.versions import bump, cached, versions, watch
from simkerma.org.models import Unit
from simkerma.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def count_units() -> int:
    return Unit.objects.count()


@pytest.fixture(autouse=True)
def watched_units():
    watch("test-units", Unit)


def test_a_figure_is_computed_once_then_served_from_the_cache():
    UnitFactory(code="IF")
    assert cached("units", ["test-units"], count_units) == 1
    calls = []
    assert cached("units", ["test-units"], lambda: calls.append(1) or 99) == 1
    assert calls == []


def test_a_save_a_delete_and_a_rolled_back_write_each_do_what_they_should():
    unit = UnitFactory(code="IF")
    assert cached("units", ["test-units"], count_units) == 1
    UnitFactory(code="EL")
    assert cached("units", ["test-units"], count_units) == 2
    unit.delete()
    assert cached("units", ["test-units"], count_units) == 1
    before = versions(["test-units"])
    with pytest.raises(RuntimeError), transaction.atomic():
        UnitFactory(code="MB")
        raise RuntimeError("rolled back")
    assert versions(["test-units"]) == before
    assert cached("units", ["test-units"], count_units) == 1


def test_bump_counts_from_nothing_and_versions_keep_their_order():
    assert versions(["a", "b"]) == (0, 0)
    bump("b")
    bump("b")
    bump("a")
    assert versions(["b", "a", "c"]) == (2, 1, 0)


def test_a_figure_depends_on_every_version_it_names():
    UnitFactory(code="IF")
    assert cached("units-2", ["test-units", "other"], count_units) == 1
    Unit.objects.update(name="renamed")  # writes around the models: no bump
    UnitFactory.build(code="EL").save()
    assert cached("units-2", ["test-units", "other"], count_units) == 2
    bump("other")
    assert cached("units-2", ["test-units", "other"], lambda: -1) == -1


def test_a_long_key_is_hashed_to_what_every_cache_holds_and_stays_distinct():
    import warnings

    from django.core.cache import CacheKeyWarning

    long_a, long_b = "a" * 400, "a" * 399 + "b"
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert cached(long_a, ["test-units"], lambda: 1) == 1
        assert cached(long_b, ["test-units"], lambda: 2) == 2
        assert cached(long_a, ["test-units"], lambda: 3) == 1


@pytest.mark.django_db(transaction=True)
def test_the_deployed_database_cache_holds_every_figure_key():
    from django.core.cache import caches
    from django.core.management import call_command
    from django.test import override_settings

    database_cache = {"BACKEND": "simkerma.core.cache.DatabaseCache", "LOCATION": "test_figures_cache"}
    with override_settings(CACHES={"default": database_cache}):
        call_command("createcachetable", verbosity=0)
        try:
            assert cached("x" * 400, ["test-units"], lambda: {"percent": 1}) == {"percent": 1}
            assert cached("x" * 400, ["test-units"], lambda: {"percent": 2}) == {"percent": 1}
        finally:
            caches["default"].clear()

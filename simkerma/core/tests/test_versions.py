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

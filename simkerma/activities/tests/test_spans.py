"""The span class the database computes, and the overlap read through it, against the plain rule."""

from __future__ import annotations

import datetime as dt

import pytest

from simkerma.activities.models import Activity
from simkerma.activities.spans import TOP
from simkerma.activities.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

D = dt.date
START = D(2026, 6, 15)
# Days from the start to the end (None: no end date), across every class boundary and past the top.
LENGTHS = [None, 0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 100, 365, 1000, 2**13 - 1, 2**13, 2**14, 20_000]


def expected_class(days: int | None) -> int:
    return min((days or 0).bit_length(), TOP)


@pytest.fixture
def spread(agreement_if):
    """Activities of every length, each starting on START or a few days around it."""
    made = {}
    for i, days in enumerate(LENGTHS):
        start = START + dt.timedelta(days=(i % 5) - 2)
        end = None if days is None else start + dt.timedelta(days=days)
        made[days] = ActivityFactory(agreement=agreement_if, start_date=start, end_date=end)
    return made


def test_the_database_computes_the_class_from_the_dates(spread):
    stored = dict(Activity.objects.values_list("pk", "span_class"))
    assert {days: stored[a.pk] for days, a in spread.items()} == {days: expected_class(days) for days in LENGTHS}
    assert expected_class(20_000) == TOP and expected_class(2**13) == 14 and expected_class(1) == 1

    # A write that bypasses the model keeps it too: the column is the database's.
    Activity.objects.filter(pk=spread[0].pk).update(end_date=spread[0].start_date + dt.timedelta(days=40))
    assert Activity.objects.get(pk=spread[0].pk).span_class == 6


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (START, START),
        (START - dt.timedelta(days=30), START - dt.timedelta(days=3)),  # before them all
        (START + dt.timedelta(days=2), START + dt.timedelta(days=2)),
        (START + dt.timedelta(days=5), START + dt.timedelta(days=9)),
        (START + dt.timedelta(days=200), START + dt.timedelta(days=240)),
        (D(2049, 1, 1), D(2049, 12, 31)),
        (D(2080, 1, 1), D(2100, 12, 31)),
        (D(1990, 1, 1), D(2100, 12, 31)),
        (START, dt.date.max),
    ],
)
def test_the_overlap_through_the_classes_is_the_plain_rule(spread, first, last):
    def plain(activity: Activity) -> bool:
        return activity.start_date <= last and activity.last_date >= first

    expected = {a.pk for a in Activity.objects.all() if plain(a)}
    assert set(Activity.objects.overlapping(first, last).values_list("pk", flat=True)) == expected
    if first == START:
        assert len(expected) >= 10  # the windows are not all empty

"""Working-time arithmetic: docs/service-times.md's examples, holidays, and properties that hold for any calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simkerma.core.worktime import (
    DEFAULT_WEEKLY_HOURS,
    WIB,
    WorkCalendar,
    calendar_from_settings,
    national_days_off,
    weekly_hours_from_json,
    weekly_hours_to_json,
)

MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = 8 * HOUR


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


@pytest.fixture(scope="module")
def indonesia() -> WorkCalendar:
    return WorkCalendar(DEFAULT_WEEKLY_HOURS, national_days_off((2025, 2026, 2027)))


def test_it_moves_a_friday_1555_request_to_monday_0810(indonesia):
    # 2026-11-27 is a Friday, 2026-11-30 a Monday.
    assert indonesia.deadline(wib(2026, 11, 27, 15, 55), 15 * MIN) == wib(2026, 11, 30, 8, 10)


def test_it_gives_a_monday_night_request_its_day_on_tuesday_and_keeps_wednesday_0800_on_time(indonesia):
    start = wib(2026, 11, 23, 20, 0)  # Monday 20:00
    assert indonesia.deadline(start, DAY) == wib(2026, 11, 24, 16, 0)
    # 16:30 Tuesday and 08:00 Wednesday: no working time passed since 16:00.
    assert indonesia.elapsed(start, wib(2026, 11, 24, 16, 30)) == DAY
    assert indonesia.elapsed(start, wib(2026, 11, 25, 8, 0)) == DAY
    # 08:30 Wednesday is half an hour late.
    assert indonesia.elapsed(start, wib(2026, 11, 25, 8, 30)) == DAY + 30 * MIN
    assert indonesia.late_after(start, DAY) == wib(2026, 11, 25, 8, 0)


def test_it_skips_independence_day(indonesia):
    # Friday 14 August 2026 at 15:00; Monday 17 August is Independence Day.
    assert indonesia.deadline(wib(2026, 8, 14, 15, 0), DAY) == wib(2026, 8, 18, 15, 0)
    assert indonesia.deadline(wib(2026, 8, 17, 10, 0), 15 * MIN) == wib(2026, 8, 18, 8, 15)


def test_it_skips_cuti_bersama(indonesia):
    # Thursday 24 December 2026 is a joint leave day (cuti bersama), Friday 25 is Christmas.
    assert dt.date(2026, 12, 24) in indonesia.days_off
    assert indonesia.deadline(wib(2026, 12, 23, 15, 50), 15 * MIN) == wib(2026, 12, 28, 8, 5)


def test_it_starts_a_night_request_at_the_next_opening(indonesia):
    assert indonesia.deadline(wib(2026, 11, 24, 23, 30), 15 * MIN) == wib(2026, 11, 25, 8, 15)
    assert indonesia.deadline(wib(2026, 11, 25, 5, 0), 15 * MIN) == wib(2026, 11, 25, 8, 15)
    assert indonesia.elapsed(wib(2026, 11, 24, 23, 30), wib(2026, 11, 25, 7, 59)) == dt.timedelta(0)


def test_it_carries_one_working_day_across_a_weekend(indonesia):
    assert indonesia.deadline(wib(2026, 11, 27, 13, 0), DAY) == wib(2026, 11, 30, 13, 0)
    assert indonesia.elapsed(wib(2026, 11, 27, 13, 0), wib(2026, 11, 30, 13, 0)) == DAY


def test_it_converts_other_time_zones_and_refuses_naive_datetimes(indonesia):
    utc = dt.datetime(2026, 11, 27, 8, 55, tzinfo=dt.UTC)  # 15:55 WIB
    assert indonesia.deadline(utc, 15 * MIN) == wib(2026, 11, 30, 8, 10)
    with pytest.raises(ValueError):
        indonesia.deadline(dt.datetime(2026, 11, 27, 15, 55), 15 * MIN)


def test_it_counts_long_spans_with_holidays_subtracted(indonesia):
    start, end = wib(2026, 1, 1, 0, 0), wib(2027, 1, 1, 0, 0)
    working_days = sum(1 for n in range(365) if indonesia.is_working_day(dt.date(2026, 1, 1) + dt.timedelta(days=n)))
    assert indonesia.elapsed(start, end) == working_days * DAY
    assert indonesia.deadline(start, working_days * DAY) == wib(2026, 12, 31, 16, 0)


def test_it_uses_custom_hours_and_refuses_a_calendar_without_any():
    calendar = WorkCalendar(((dt.time(7, 30), dt.time(12)),) * 6 + (None,))
    assert calendar.deadline(wib(2026, 11, 28, 11, 50), 15 * MIN) == wib(2026, 11, 30, 7, 35)  # Saturday
    with pytest.raises(ValueError):
        WorkCalendar((None,) * 7)
    with pytest.raises(ValueError):
        WorkCalendar(((dt.time(16), dt.time(8)),) * 7)


def test_it_round_trips_weekly_hours_through_json():
    assert weekly_hours_from_json(weekly_hours_to_json(DEFAULT_WEEKLY_HOURS)) == DEFAULT_WEEKLY_HOURS
    assert weekly_hours_from_json(None) == DEFAULT_WEEKLY_HOURS


def test_it_builds_a_calendar_from_stored_settings():
    class Row:
        weekly_hours = [["09:00", "15:00"]] * 5 + [None, None]
        national_holidays = False
        extra_days_off = [{"date": "2026-12-01", "name": "Dies natalis"}]

    calendar = calendar_from_settings(Row(), around=wib(2026, 11, 30, 10))
    assert calendar.deadline(wib(2026, 11, 30, 14, 50), 15 * MIN) == wib(2026, 12, 2, 9, 5)
    assert not calendar.is_working_day(dt.date(2026, 12, 1))
    assert calendar.is_working_day(dt.date(2026, 12, 25))  # national holidays not taken off
    default = calendar_from_settings(None, around=wib(2026, 11, 30, 10))
    assert not default.is_working_day(dt.date(2026, 12, 25))


# -- properties ---------------------------------------------------------------------------------

moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 6, 30), timezones=st.just(WIB))
limits = st.timedeltas(min_value=dt.timedelta(microseconds=1), max_value=dt.timedelta(days=60))


@st.composite
def calendars(draw) -> WorkCalendar:
    weekly = []
    for _day in range(7):
        if draw(st.booleans()):
            opening = draw(st.integers(min_value=0, max_value=22 * 60))
            closing = draw(st.integers(min_value=opening + 1, max_value=24 * 60 - 1))
            weekly.append((dt.time(opening // 60, opening % 60), dt.time(closing // 60, closing % 60)))
        else:
            weekly.append(None)
    assume(any(weekly))
    days_off = draw(st.sets(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)), max_size=80))
    return WorkCalendar(weekly, days_off)


any_calendar = st.one_of(
    st.just(WorkCalendar(DEFAULT_WEEKLY_HOURS, national_days_off((2025, 2026, 2027)))), calendars()
)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@PROPERTY
@given(calendar=any_calendar, start=moments, limit=limits)
def test_a_deadline_falls_in_working_time(calendar, start, limit):
    assert calendar.within_hours(calendar.deadline(start, limit))


@PROPERTY
@given(calendar=any_calendar, start=moments, limit=limits)
def test_a_deadline_never_comes_before_the_start(calendar, start, limit):
    assert calendar.deadline(start, limit) >= start


@PROPERTY
@given(calendar=any_calendar, start=moments, later=moments, limit=limits)
def test_a_later_start_never_gives_an_earlier_deadline(calendar, start, later, limit):
    first, second = sorted((start, later))
    assert calendar.deadline(first, limit) <= calendar.deadline(second, limit)


@PROPERTY
@given(calendar=any_calendar, start=moments, limit=limits)
def test_the_elapsed_time_up_to_a_deadline_is_the_limit(calendar, start, limit):
    assert calendar.elapsed(start, calendar.deadline(start, limit)) == limit


@PROPERTY
@given(calendar=any_calendar, start=moments, limit=limits)
def test_a_deadline_is_the_earliest_moment_using_up_the_limit(calendar, start, limit):
    deadline = calendar.deadline(start, limit)
    assert calendar.elapsed(start, deadline - dt.timedelta(microseconds=1)) < limit
    late = calendar.late_after(start, limit)
    assert calendar.elapsed(start, late) == limit
    assert calendar.elapsed(start, late + dt.timedelta(microseconds=1)) > limit


@PROPERTY
@given(calendar=any_calendar, a=moments, b=moments, c=moments)
def test_elapsed_time_adds_up(calendar, a, b, c):
    a, b, c = sorted((a, b, c))
    assert calendar.elapsed(a, c) == calendar.elapsed(a, b) + calendar.elapsed(b, c)

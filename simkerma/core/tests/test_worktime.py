"""Working-time arithmetic: docs/service-times.md's examples, holidays, several openings a day, and
properties that hold for any calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simkerma.core.worktime import (
    DEFAULT_WEEKLY_HOURS,
    WIB,
    WorkCalendar,
    calendar_from_settings,
    check_weekly_hours,
    joint_leave_known,
    national_days_off,
    openings_of,
    openings_text,
    parse_openings,
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
    # The default keeps the one-opening form that calendars were always stored in.
    assert weekly_hours_to_json(DEFAULT_WEEKLY_HOURS) == [["08:00", "16:00"]] * 5 + [None, None]


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


# -- several openings a day ---------------------------------------------------------------------


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


MORNING, AFTERNOON = (t("07:30"), t("12:00")), (t("13:00"), t("16:00"))
FRIDAY = ((t("07:30"), t("11:30")), (t("13:30"), t("16:30")))
OFFICE_HOURS = ((MORNING, AFTERNOON),) * 4 + (FRIDAY, (), ())


@pytest.fixture(scope="module")
def office() -> WorkCalendar:
    """Monday to Thursday 07:30-12:00 and 13:00-16:00, Friday 07:30-11:30 and 13:30-16:30."""
    return WorkCalendar(OFFICE_HOURS, national_days_off((2025, 2026, 2027)))


def test_it_carries_a_deadline_over_the_midday_break(office):
    # Monday 30 November 2026.
    assert office.deadline(wib(2026, 11, 30, 11, 55), 15 * MIN) == wib(2026, 11, 30, 13, 10)
    assert office.elapsed(wib(2026, 11, 30, 11, 0), wib(2026, 11, 30, 14, 0)) == 2 * HOUR
    # A request in during the break uses none of its time until 13:00.
    assert office.deadline(wib(2026, 11, 30, 12, 30), 15 * MIN) == wib(2026, 11, 30, 13, 15)
    assert office.elapsed(wib(2026, 11, 30, 12, 0), wib(2026, 11, 30, 13, 0)) == dt.timedelta(0)


def test_it_keeps_fridays_longer_break_and_later_closing(office):
    # Friday 27 November 2026: 11:20 + 15 minutes is 13:35; 16:25 + 15 minutes is Monday 07:40.
    assert office.deadline(wib(2026, 11, 27, 11, 20), 15 * MIN) == wib(2026, 11, 27, 13, 35)
    assert office.deadline(wib(2026, 11, 27, 16, 25), 15 * MIN) == wib(2026, 11, 30, 7, 40)
    assert office.length_of(dt.date(2026, 11, 27)) == 7 * HOUR


def test_it_keeps_an_answer_in_the_break_on_time_when_the_deadline_is_noon(office):
    start = wib(2026, 11, 30, 11, 45)
    assert office.deadline(start, 15 * MIN) == wib(2026, 11, 30, 12, 0)
    assert office.late_after(start, 15 * MIN) == wib(2026, 11, 30, 13, 0)
    assert office.elapsed(start, wib(2026, 11, 30, 12, 59)) == 15 * MIN
    assert office.elapsed(start, wib(2026, 11, 30, 13, 1)) == 16 * MIN


def test_it_counts_one_working_day_over_two_openings(office):
    # Monday has 7.5 working hours, so 8 hours from its opening end at 08:00 on Tuesday.
    assert office.deadline(wib(2026, 11, 30, 7, 30), DAY) == wib(2026, 12, 1, 8, 0)
    # Thursday 24 December 2026 (cuti bersama) and Friday 25 (Christmas) are off.
    assert office.deadline(wib(2026, 12, 23, 15, 50), 15 * MIN) == wib(2026, 12, 28, 7, 35)


def test_it_finds_the_next_opening_and_the_hours_of_a_day(office):
    assert office.next_opening(wib(2026, 11, 30, 12, 0)) == wib(2026, 11, 30, 13, 0)
    assert office.next_opening(wib(2026, 11, 30, 10, 0)) == wib(2026, 11, 30, 10, 0)
    assert office.next_opening(wib(2026, 11, 27, 16, 30)) == wib(2026, 11, 30, 7, 30)
    assert office.within_hours(wib(2026, 11, 30, 12, 0)) and not office.within_hours(wib(2026, 11, 30, 12, 1))
    assert office.openings_on(dt.date(2026, 11, 27)) == [
        (wib(2026, 11, 27, 7, 30), wib(2026, 11, 27, 11, 30)),
        (wib(2026, 11, 27, 13, 30), wib(2026, 11, 27, 16, 30)),
    ]
    assert office.openings_on(dt.date(2026, 11, 28)) == []


def test_it_sorts_openings_joins_touching_ones_and_refuses_overlaps():
    assert openings_of([AFTERNOON, MORNING]) == (MORNING, AFTERNOON)
    assert openings_of([(t("08:00"), t("12:00")), (t("12:00"), t("16:00"))]) == ((t("08:00"), t("16:00")),)
    assert openings_of(None) == () and openings_of(MORNING) == (MORNING,)
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar([[(t("08:00"), t("12:00")), (t("11:00"), t("13:00"))]] * 7)
    with pytest.raises(ValueError, match="order"):
        openings_of([MORNING, (t("15:00"), t("14:00"))])


def test_it_reads_both_stored_forms_and_writes_several_openings_as_a_list():
    stored = [["08:00", "16:00"], [["07:30", "12:00"], ["13:00", "16:00"]], [], None, [["08:00", "12:00"]], None, None]
    weekly = weekly_hours_from_json(stored)
    assert weekly[0] == ((t("08:00"), t("16:00")),)
    assert weekly[1] == (MORNING, AFTERNOON)
    assert weekly[2] == weekly[3] == weekly[5] == ()
    assert weekly[4] == ((t("08:00"), t("12:00")),)
    assert weekly_hours_to_json(weekly) == [
        ["08:00", "16:00"],
        [["07:30", "12:00"], ["13:00", "16:00"]],
        None,
        None,
        ["08:00", "12:00"],
        None,
        None,
    ]
    assert weekly_hours_from_json(weekly_hours_to_json(OFFICE_HOURS)) == OFFICE_HOURS


@pytest.mark.parametrize(
    ("stored", "code"),
    [
        ([["08:00", "16:00"]] * 6, "format"),
        ([["08:00"]] * 7, "format"),
        ([["8 pagi", "16:00"]] * 7, "format"),
        ([{"open": "08:00"}] * 7, "format"),
        ([[["08:00", "12:00"], ["11:00", "16:00"]]] * 7, "overlap"),
        ([["16:00", "08:00"]] * 7, "order"),
        ([None] * 7, "no_hours"),
    ],
)
def test_it_refuses_stored_weekly_hours_that_cannot_be(stored, code):
    with pytest.raises(ValidationError) as error:
        check_weekly_hours(stored)
    assert error.value.code == code


def test_it_parses_the_openings_staff_write():
    assert parse_openings("07:30-12:00, 13:00-16:00") == (MORNING, AFTERNOON)
    assert parse_openings(" 13.00 – 16.00 ; 7.30-12.00 ") == (MORNING, AFTERNOON)
    assert parse_openings("") == parse_openings(" , ") == ()
    assert openings_text(FRIDAY) == "07:30-11:30, 13:30-16:30"
    assert parse_openings(openings_text(FRIDAY)) == FRIDAY


@pytest.mark.parametrize(
    ("text", "code", "named"),
    [
        ("07:30-12:00, pagi", "format", "pagi"),
        ("7-12", "format", "7-12"),
        ("07:30 12:00", "format", "07:30 12:00"),
        ("08:00-24:00", "time", "08:00-24:00"),
        ("12:00-08:00", "order", "12:00-08:00"),
        ("08:00-08:00", "order", "08:00-08:00"),
        ("07:30-12:00, 11:30-16:00", "overlap", "11:30-16:00"),
    ],
)
def test_it_refuses_openings_that_are_malformed_reversed_or_overlapping(text, code, named):
    with pytest.raises(ValidationError) as error:
        parse_openings(text)
    assert error.value.code == code
    assert named in error.value.messages[0]


def test_it_knows_which_years_cuti_bersama_the_holidays_package_has():
    assert joint_leave_known(2026)
    assert dt.date(2026, 12, 24) in national_days_off((2026,))
    assert not joint_leave_known(2099)


# -- properties ---------------------------------------------------------------------------------

moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 6, 30), timezones=st.just(WIB))
limits = st.timedeltas(min_value=dt.timedelta(microseconds=1), max_value=dt.timedelta(days=60))


def _minute(n: int) -> dt.time:
    return dt.time(n // 60, n % 60)


@st.composite
def calendars(draw) -> WorkCalendar:
    """Up to four openings a day: an even number of distinct minutes of the day, paired in order."""
    weekly = []
    for _day in range(7):
        count = draw(st.integers(min_value=0, max_value=4))
        edges = sorted(
            draw(st.sets(st.integers(min_value=0, max_value=24 * 60 - 1), min_size=2 * count, max_size=2 * count))
        )
        weekly.append(tuple((_minute(edges[i]), _minute(edges[i + 1])) for i in range(0, len(edges), 2)))
    assume(any(weekly))
    days_off = draw(st.sets(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)), max_size=80))
    return WorkCalendar(weekly, days_off)


NATIONAL = national_days_off((2025, 2026, 2027))
any_calendar = st.one_of(
    st.just(WorkCalendar(DEFAULT_WEEKLY_HOURS, NATIONAL)),
    st.just(WorkCalendar(OFFICE_HOURS, NATIONAL)),
    calendars(),
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


def _elapsed_day_by_day(calendar: WorkCalendar, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """The elapsed time the plain way: every opening of every day, cut to the span."""
    total = dt.timedelta(0)
    day = start.astimezone(WIB).date()
    while day <= end.astimezone(WIB).date():
        for opening, closing in calendar.openings_on(day):
            total += max(min(closing, end) - max(opening, start), dt.timedelta(0))
        day += dt.timedelta(days=1)
    return total


spans = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=20))


@PROPERTY
@given(calendar=any_calendar, start=moments, span=spans)
def test_elapsed_time_is_the_sum_of_the_openings_in_the_span(calendar, start, span):
    assert calendar.elapsed(start, start + span) == _elapsed_day_by_day(calendar, start, start + span)


@PROPERTY
@given(calendar=any_calendar, moment=moments)
def test_the_next_opening_is_in_working_time_and_none_passes_before_it(calendar, moment):
    opening = calendar.next_opening(moment)
    assert opening >= moment and calendar.within_hours(opening)
    assert calendar.elapsed(moment, opening) == dt.timedelta(0)
    assert calendar.elapsed(opening, opening + dt.timedelta(microseconds=1)) == dt.timedelta(microseconds=1)

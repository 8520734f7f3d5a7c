"""Working-time arithmetic (docs/service-times.md, "Working time").

A `WorkCalendar` knows the opening hours of each weekday and a set of days off. It answers two
questions without walking minute by minute:

- `elapsed(start, end)`: how much of the time between two moments falls inside working hours;
- `deadline(start, limit)`: the earliest moment at which `limit` of working time is used up.

A target is met when the elapsed working time is at most the limit. Right after a deadline that
falls on a closing time, no working time passes until the next opening, so an answer given before
that opening is still on time: `late_after(start, limit)` is the last on-time moment.

The calendar works in one time zone (Asia/Jakarta by default, which has no daylight saving time);
aware datetimes from any zone are converted to it, naive ones are refused.

`calendar_from_settings(row, around=moment)` builds the calendar that one stored settings row
(the service desk keeps them as calendar versions) prescribes.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import holidays

from simkerma.core.dates import WIB

ZERO = dt.timedelta(0)
ONE_DAY = dt.timedelta(days=1)

Hours = tuple[dt.time, dt.time] | None
# Monday to Friday, 08:00 to 16:00.
DEFAULT_WEEKLY_HOURS: tuple[Hours, ...] = ((dt.time(8), dt.time(16)),) * 5 + (None, None)


def _wall_length(hours: Hours) -> dt.timedelta:
    if hours is None:
        return ZERO
    opening, closing = hours
    return dt.datetime.combine(dt.date.min, closing) - dt.datetime.combine(dt.date.min, opening)


class WorkCalendar:
    """Weekly opening hours (Monday first, one opening per day or None) and a set of days off."""

    def __init__(
        self,
        weekly_hours: Sequence[Hours] = DEFAULT_WEEKLY_HOURS,
        days_off: Iterable[dt.date] = (),
        tz: dt.tzinfo = WIB,
    ) -> None:
        weekly = tuple(weekly_hours)
        if len(weekly) != 7:
            raise ValueError("weekly_hours needs one entry per weekday, Monday first")
        for hours in weekly:
            if hours is not None and not hours[0] < hours[1]:
                raise ValueError(f"opening {hours[0]} is not before closing {hours[1]}")
        self.weekly_hours = weekly
        self.tz = tz
        self._lengths = tuple(_wall_length(hours) for hours in weekly)
        self.week_length = sum(self._lengths, ZERO)
        if self.week_length <= ZERO:
            raise ValueError("a calendar needs working hours on at least one weekday")
        # Only days off that would otherwise be working days change any sum.
        self._off = sorted({day for day in days_off if self._lengths[day.weekday()] > ZERO})
        self.days_off = frozenset(self._off)
        self._off_prefix = [ZERO]
        for day in self._off:
            self._off_prefix.append(self._off_prefix[-1] + self._lengths[day.weekday()])

    def __repr__(self) -> str:
        return f"WorkCalendar(week={self.week_length}, days_off={len(self._off)})"

    # -- single days -------------------------------------------------------------------------

    def local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("working-time arithmetic needs aware datetimes")
        return moment.astimezone(self.tz)

    def is_working_day(self, day: dt.date) -> bool:
        return self._lengths[day.weekday()] > ZERO and day not in self.days_off

    def hours_on(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """Opening and closing moments of a day, or None on a day off."""
        if not self.is_working_day(day):
            return None
        opening, closing = self.weekly_hours[day.weekday()]  # type: ignore[misc]
        return dt.datetime.combine(day, opening, tzinfo=self.tz), dt.datetime.combine(day, closing, tzinfo=self.tz)

    def length_of(self, day: dt.date) -> dt.timedelta:
        return self._lengths[day.weekday()] if self.is_working_day(day) else ZERO

    def within_hours(self, moment: dt.datetime) -> bool:
        """Whether the moment lies in the working hours of its day, both ends included."""
        local = self.local(moment)
        hours = self.hours_on(local.date())
        return hours is not None and hours[0] <= local <= hours[1]

    def next_opening(self, moment: dt.datetime) -> dt.datetime:
        """The moment itself when work is going on then (closing excluded), else the next opening."""
        local = self.local(moment)
        day = local.date()
        hours = self.hours_on(day)
        if hours is not None and local < hours[1]:
            return max(local, hours[0])
        day += ONE_DAY
        while (hours := self.hours_on(day)) is None:
            day += ONE_DAY
        return hours[0]

    def _overlap(self, day: dt.date, start: dt.datetime | None, end: dt.datetime | None) -> dt.timedelta:
        hours = self.hours_on(day)
        if hours is None:
            return ZERO
        low = hours[0] if start is None else max(start, hours[0])
        high = hours[1] if end is None else min(end, hours[1])
        return max(high - low, ZERO)

    def _full_days(self, first: dt.date, last: dt.date) -> dt.timedelta:
        """Working time of the whole days first..last (inclusive), in constant time plus a bisect."""
        if last < first:
            return ZERO
        count = (last - first).days + 1
        weeks, rest = divmod(count, 7)
        weekday = first.weekday()
        total = self.week_length * weeks + sum((self._lengths[(weekday + i) % 7] for i in range(rest)), ZERO)
        low = bisect.bisect_left(self._off, first)
        high = bisect.bisect_right(self._off, last)
        return total - (self._off_prefix[high] - self._off_prefix[low])

    # -- the two questions -------------------------------------------------------------------

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time between two moments (zero when end is not after start)."""
        start, end = self.local(start), self.local(end)
        if end <= start:
            return ZERO
        first, last = start.date(), end.date()
        if first == last:
            return self._overlap(first, start, end)
        return (
            self._overlap(first, start, None)
            + self._full_days(first + ONE_DAY, last - ONE_DAY)
            + self._overlap(last, None, end)
        )

    def deadline(self, start: dt.datetime, limit: dt.timedelta) -> dt.datetime:
        """The earliest moment at which `limit` of working time has passed since `start`."""
        start = self.local(start)
        if limit < ZERO:
            raise ValueError("a limit cannot be negative")
        if limit == ZERO:
            return start
        day = start.date()
        remaining = limit
        hours = self.hours_on(day)
        if hours is not None and start < hours[1]:
            low = max(start, hours[0])
            if remaining <= hours[1] - low:
                return low + remaining
            remaining -= hours[1] - low
        day += ONE_DAY
        # Skip whole weeks while more than two weeks of work remain; days off only slow the skip.
        while remaining > self.week_length * 2:
            weeks = remaining // self.week_length - 1
            last = day + dt.timedelta(days=7 * weeks - 1)
            remaining -= self._full_days(day, last)
            day = last + ONE_DAY
        while True:
            hours = self.hours_on(day)
            if hours is not None:
                length = hours[1] - hours[0]
                if remaining <= length:
                    return hours[0] + remaining
                remaining -= length
            day += ONE_DAY

    def late_after(self, start: dt.datetime, limit: dt.timedelta) -> dt.datetime:
        """The last moment at which at most `limit` of working time has passed since `start`.

        Equal to the deadline unless the deadline falls on a closing time: then it is the next
        opening, because no working time passes in between.
        """
        return self.next_opening(self.deadline(start, limit))


# -- the calendar in force, from the settings stored in the database --------------------------


@lru_cache(maxsize=64)
def national_days_off(years: tuple[int, ...]) -> frozenset[dt.date]:
    """Indonesia's public holidays and the government's joint leave days (cuti bersama)."""
    found = holidays.country_holidays("ID", categories=("public", "government"), years=years)
    return frozenset(found.keys())


def national_holidays_named(year: int, language: str = "id") -> list[tuple[dt.date, str]]:
    """The national days off of one year with their names (in Indonesian or English), for display."""
    language = "id" if language.startswith("id") else "en_US"
    found = holidays.country_holidays("ID", categories=("public", "government"), years=year, language=language)
    return sorted(found.items())


def _parse_time(value: Any) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def weekly_hours_from_json(value: Any) -> tuple[Hours, ...]:
    """[[\"08:00\", \"16:00\"], ..., null] (Monday first) to the calendar's weekly hours."""
    if not value:
        return DEFAULT_WEEKLY_HOURS
    result: list[Hours] = []
    for entry in value:
        result.append(None if not entry else (_parse_time(entry[0]), _parse_time(entry[1])))
    return tuple(result)


def weekly_hours_to_json(weekly: Sequence[Hours]) -> list[list[str] | None]:
    return [None if hours is None else [hours[0].strftime("%H:%M"), hours[1].strftime("%H:%M")] for hours in weekly]


def years_around(moment: dt.datetime) -> tuple[int, ...]:
    """The years a calendar built for a clock starting at `moment` must know the holidays of."""
    year = moment.astimezone(WIB).year
    return tuple(range(year - 1, year + 3))


@lru_cache(maxsize=128)
def _build(
    weekly: tuple[Hours, ...], extra: frozenset[dt.date], national: bool, years: tuple[int, ...]
) -> WorkCalendar:
    days_off = set(extra)
    if national:
        days_off |= national_days_off(years)
    return WorkCalendar(weekly, days_off)


def calendar_from_settings(settings_row: Any, *, around: dt.datetime) -> WorkCalendar:
    """The calendar that one stored settings row (a calendar version, or None for the default) gives.

    A row has `weekly_hours` (JSON, see weekly_hours_from_json), `extra_days_off` (a list of
    {"date": "YYYY-MM-DD", "name": ...}) and `national_holidays` (bool).
    """
    if settings_row is None:
        return _build(DEFAULT_WEEKLY_HOURS, frozenset(), True, years_around(around))
    extra = frozenset(dt.date.fromisoformat(str(item["date"])) for item in settings_row.extra_days_off or [])
    return _build(
        weekly_hours_from_json(settings_row.weekly_hours),
        extra,
        bool(settings_row.national_holidays),
        years_around(around),
    )

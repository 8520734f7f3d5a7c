"""Working-time arithmetic (docs/service-times.md, "Working time").

A `WorkCalendar` knows the openings of each weekday (none, one, or several, such as 07:30-12:00
and 13:00-16:00 around a midday break) and a set of days off. It answers two questions without
walking minute by minute:

- `elapsed(start, end)`: how much of the time between two moments falls inside working hours;
- `deadline(start, limit)`: the earliest moment at which `limit` of working time is used up.

Each weekday's openings are kept as offsets from midnight with the working time before each one,
so a moment's share of its day is one bisect, and whole days and weeks are sums of day lengths.

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
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import holidays
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from simkerma.core.dates import WIB

ZERO = dt.timedelta(0)
ONE_DAY = dt.timedelta(days=1)
MIDNIGHT = dt.time(0)

Opening = tuple[dt.time, dt.time]
# One weekday's openings, in order; () for a day that is not worked.
Hours = tuple[Opening, ...]
# Monday to Friday, 08:00 to 16:00.
DEFAULT_WEEKLY_HOURS: tuple[Hours, ...] = (((dt.time(8), dt.time(16)),),) * 5 + ((), ())


class OpeningError(ValueError):
    """One weekday's openings that cannot be: `code` is "order" or "overlap"."""

    def __init__(self, code: str, first: Opening, second: Opening | None = None) -> None:
        self.code, self.first, self.second = code, first, second
        super().__init__(f"{code}: {first} {second or ''}".strip())


def openings_of(entry: Any) -> Hours:
    """One weekday's openings, sorted, with touching ones joined.

    Takes None or () (a day off), one (opening, closing) pair, or a sequence of such pairs. Raises
    OpeningError for an opening that does not end after it starts or that overlaps another.
    """
    if not entry:
        return ()
    pairs = [entry] if isinstance(entry[0], dt.time) else list(entry)
    result: list[Opening] = []
    for opening, closing in sorted((pair[0], pair[1]) for pair in pairs):
        if not opening < closing:
            raise OpeningError("order", (opening, closing))
        if result and opening < result[-1][1]:
            raise OpeningError("overlap", result[-1], (opening, closing))
        if result and opening == result[-1][1]:
            result[-1] = (result[-1][0], closing)
        else:
            result.append((opening, closing))
    return tuple(result)


def _offset(time: dt.time) -> dt.timedelta:
    return dt.timedelta(hours=time.hour, minutes=time.minute, seconds=time.second, microseconds=time.microsecond)


class _Day:
    """One weekday's openings as offsets from midnight, with the working time before each opening."""

    __slots__ = ("before", "ends", "length", "starts", "through")

    def __init__(self, openings: Hours) -> None:
        self.starts = [_offset(opening) for opening, _closing in openings]
        self.ends = [_offset(closing) for _opening, closing in openings]
        self.before: list[dt.timedelta] = []
        self.through: list[dt.timedelta] = []
        total = ZERO
        for start, end in zip(self.starts, self.ends, strict=True):
            self.before.append(total)
            total += end - start
            self.through.append(total)
        self.length = total

    def worked_until(self, offset: dt.timedelta) -> dt.timedelta:
        """Working time from midnight up to `offset`."""
        index = bisect.bisect_right(self.starts, offset) - 1
        if index < 0:
            return ZERO
        return self.before[index] + min(offset, self.ends[index]) - self.starts[index]

    def offset_when(self, worked: dt.timedelta) -> dt.timedelta:
        """The earliest offset by which `worked` (more than zero, at most the length) has passed."""
        index = bisect.bisect_left(self.through, worked)
        return self.starts[index] + worked - self.before[index]

    def open_at(self, offset: dt.timedelta) -> dt.timedelta | None:
        """`offset` itself while an opening runs (its closing excluded), else the day's next opening."""
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.ends[index]:
            return offset
        return self.starts[index + 1] if index + 1 < len(self.starts) else None

    def inside(self, offset: dt.timedelta) -> bool:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index >= 0 and offset <= self.ends[index]


class WorkCalendar:
    """Weekly openings (Monday first; each day none, one or several) and a set of days off."""

    def __init__(
        self,
        weekly_hours: Sequence[Any] = DEFAULT_WEEKLY_HOURS,
        days_off: Iterable[dt.date] = (),
        tz: dt.tzinfo = WIB,
    ) -> None:
        weekly = tuple(openings_of(entry) for entry in weekly_hours)
        if len(weekly) != 7:
            raise ValueError("weekly_hours needs one entry per weekday, Monday first")
        self.weekly_hours: tuple[Hours, ...] = weekly
        self.tz = tz
        self._days = tuple(_Day(openings) for openings in weekly)
        self._lengths = tuple(day.length for day in self._days)
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

    def _midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, MIDNIGHT, tzinfo=self.tz)

    def is_working_day(self, day: dt.date) -> bool:
        return self._lengths[day.weekday()] > ZERO and day not in self.days_off

    def openings_on(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The opening and closing moments of each opening of a day; none on a day off."""
        if not self.is_working_day(day):
            return []
        midnight = self._midnight(day)
        hours = self._days[day.weekday()]
        return [(midnight + start, midnight + end) for start, end in zip(hours.starts, hours.ends, strict=True)]

    def length_of(self, day: dt.date) -> dt.timedelta:
        return self._lengths[day.weekday()] if self.is_working_day(day) else ZERO

    def within_hours(self, moment: dt.datetime) -> bool:
        """Whether the moment lies in one of its day's openings, both ends included."""
        local = self.local(moment)
        day = local.date()
        return self.is_working_day(day) and self._days[day.weekday()].inside(local - self._midnight(day))

    def next_opening(self, moment: dt.datetime) -> dt.datetime:
        """The moment itself when work is going on then (closing excluded), else the next opening."""
        local = self.local(moment)
        day = local.date()
        if self.is_working_day(day):
            midnight = self._midnight(day)
            found = self._days[day.weekday()].open_at(local - midnight)
            if found is not None:
                return midnight + found
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return self._midnight(day) + self._days[day.weekday()].starts[0]

    def _worked(self, day: dt.date, start: dt.datetime | None, end: dt.datetime | None) -> dt.timedelta:
        """Working time of one day between two of its moments (None: the day's start or end)."""
        if not self.is_working_day(day):
            return ZERO
        hours = self._days[day.weekday()]
        midnight = self._midnight(day)
        low = ZERO if start is None else hours.worked_until(start - midnight)
        high = hours.length if end is None else hours.worked_until(end - midnight)
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
            return self._worked(first, start, end)
        return (
            self._worked(first, start, None)
            + self._full_days(first + ONE_DAY, last - ONE_DAY)
            + self._worked(last, None, end)
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
        if self.is_working_day(day):
            hours = self._days[day.weekday()]
            midnight = self._midnight(day)
            used = hours.worked_until(start - midnight)
            if remaining <= hours.length - used:
                return midnight + hours.offset_when(used + remaining)
            remaining -= hours.length - used
        day += ONE_DAY
        # Skip whole weeks while more than two weeks of work remain; days off only slow the skip.
        while remaining > self.week_length * 2:
            weeks = remaining // self.week_length - 1
            last = day + dt.timedelta(days=7 * weeks - 1)
            remaining -= self._full_days(day, last)
            day = last + ONE_DAY
        while True:
            length = self.length_of(day)
            if length > ZERO:
                if remaining <= length:
                    return self._midnight(day) + self._days[day.weekday()].offset_when(remaining)
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


@lru_cache(maxsize=16)
def joint_leave_known(year: int) -> bool:
    """Whether the holidays package knows the cuti bersama of `year` (the government decrees them
    late in the year before, and the package follows in a later release)."""
    return bool(holidays.country_holidays("ID", categories=("government",), years=year))


def _parse_time(value: Any) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def _day_from_json(entry: Any) -> Hours:
    if not entry:
        return ()
    pairs = [entry] if not isinstance(entry[0], list | tuple) else entry
    return openings_of([(_parse_time(pair[0]), _parse_time(pair[1])) for pair in pairs])


def weekly_hours_from_json(value: Any) -> tuple[Hours, ...]:
    """The stored weekly hours (Monday first) to the calendar's.

    Each weekday is null (not worked), one opening `["08:00", "16:00"]`, or a list of openings
    `[["07:30", "12:00"], ["13:00", "16:00"]]`. Raises ValueError for anything else.
    """
    if not value:
        return DEFAULT_WEEKLY_HOURS
    if not isinstance(value, list | tuple) or len(value) != 7:
        raise ValueError("weekly hours need one entry per weekday, Monday first")
    return tuple(_day_from_json(entry) for entry in value)


def _clock(time: dt.time) -> str:
    return time.strftime("%H:%M")


def weekly_hours_to_json(weekly: Sequence[Any]) -> list[Any]:
    """The calendar's weekly hours as stored: a day with one opening keeps the one-pair form."""
    result: list[Any] = []
    for entry in weekly:
        openings = openings_of(entry)
        pairs = [[_clock(opening), _clock(closing)] for opening, closing in openings]
        result.append(None if not pairs else pairs[0] if len(pairs) == 1 else pairs)
    return result


def openings_text(openings: Hours) -> str:
    """A day's openings as staff write them: "07:30-12:00, 13:00-16:00"."""
    return ", ".join(f"{_clock(opening)}-{_clock(closing)}" for opening, closing in openings)


_OPENING = re.compile(r"(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})")


def _time_or_error(hour: str, minute: str, piece: str) -> dt.time:
    if int(hour) > 23 or int(minute) > 59:
        raise ValidationError(
            _("“%(text)s” holds a time that does not exist; times run from 00:00 to 23:59."),
            code="time",
            params={"text": piece},
        )
    return dt.time(int(hour), int(minute))


def _opening_error(error: OpeningError) -> ValidationError:
    if error.code == "order":
        return ValidationError(
            _("The opening %(opening)s must end after it starts."),
            code="order",
            params={"opening": openings_text((error.first,))},
        )
    return ValidationError(
        _("The openings %(first)s and %(second)s overlap."),
        code="overlap",
        params={"first": openings_text((error.first,)), "second": openings_text((error.second,))},  # type: ignore[arg-type]
    )


def parse_openings(text: str) -> Hours:
    """A day's openings from staff's text, e.g. "07:30-12:00, 13:00-16:00"; empty for a day off.

    Openings are separated by commas or semicolons, times written HH:MM (or HH.MM). Raises
    ValidationError naming the piece that is wrong, an opening that does not end after it starts,
    or two that overlap.
    """
    pairs: list[Opening] = []
    for piece in re.split(r"[,;]", text):
        piece = piece.strip()
        if not piece:
            continue
        found = _OPENING.fullmatch(piece)
        if found is None:
            raise ValidationError(
                _("“%(text)s” is not an opening written HH:MM-HH:MM, e.g. 07:30-12:00."),
                code="format",
                params={"text": piece},
            )
        opening = _time_or_error(found[1], found[2], piece)
        closing = _time_or_error(found[3], found[4], piece)
        pairs.append((opening, closing))
    try:
        return openings_of(pairs)
    except OpeningError as error:
        raise _opening_error(error) from None


def check_weekly_hours(value: Any) -> tuple[Hours, ...]:
    """The stored weekly hours read as the calendar reads them, or a ValidationError saying why not."""
    try:
        weekly = weekly_hours_from_json(value)
    except OpeningError as error:
        raise _opening_error(error) from None
    except (ValueError, TypeError, IndexError, KeyError, AttributeError):
        raise ValidationError(
            _("Give seven weekdays, Monday first, each null, [opening, closing] or a list of those."),
            code="format",
        ) from None
    if not any(weekly):
        raise ValidationError(_("At least one weekday needs working hours."), code="no_hours")
    return weekly


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

"""The range of dates the product accepts: 1990 to 2100.

Later dates broke the calendar feed (9999-12-31 has no next day) and renewals; a datetime in year
1 has no UTC value. Every model refuses dates outside the range with a field message, and every
date query parameter falls back when it is invalid or out of range.
"""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

# Western Indonesia Time, the institution's wall clock (UTC+7, no daylight saving).
WIB = ZoneInfo("Asia/Jakarta")

MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


def in_range(value: dt.date) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return MIN_DATE <= day <= MAX_DATE


def validate_date_range(value: dt.date | None) -> None:
    if value is not None and not in_range(value):
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            code="date_range",
            params={"min": MIN_DATE.year, "max": MAX_DATE.year},
        )


def date_param(value: str | None) -> dt.date | None:
    """A date from a query parameter, or None when it is missing, invalid (2025-02-30) or out of range."""
    try:
        day = parse_date(value or "")
    except ValueError:
        return None
    return day if day is not None and in_range(day) else None


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))

"""Reading one workbook cell as the value its column holds (format.Kind), or a plain refusal.

Every string is stripped. Numbers Excel stored as floats (2015.0) are read as the text "2015" in
text and code columns. A list cell is split on ";", each value trimmed, empties dropped and
duplicates removed. Dates are Excel dates or YYYY-MM-DD; datetimes are Excel datetimes or
YYYY-MM-DD HH:MM, read as WIB.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from simkerma.core.dates import WIB
from simkerma.imports.format import LIST_SEPARATOR, NO, YES, Column, Kind

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATETIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_YEAR = re.compile(r"^\d{4}$")


class CellError(ValueError):
    """The cell's value cannot be read as its column's kind; the message says what is expected."""


def text(value: Any) -> str:
    """A cell as stripped text; an integral float (2015.0) as "2015"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (float, Decimal)):
        return format(value, "f").rstrip("0").rstrip(".") if "." in format(value, "f") else format(value, "f")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour, value.minute) != (0, 0) else f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


def items(value: Any) -> tuple[str, ...]:
    """A list cell's values: split on ";", trimmed, without empties or repeats, in their order."""
    seen: dict[str, None] = {}
    for part in text(value).split(LIST_SEPARATOR):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return tuple(seen)


def _choice(value: str, column: Column) -> str:
    if value in column.choices:
        return value
    lowered = {choice.lower(): choice for choice in column.choices}
    if value.lower() in lowered:
        return lowered[value.lower()]
    raise CellError(
        _("“%(value)s” is not one of the allowed values: %(allowed)s.")
        % {"value": value[:50], "allowed": ", ".join(column.choices)}
    )


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(text(value))
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError(
        _("“%(value)s” is not a date: write it as YYYY-MM-DD or as an Excel date.") % {"value": text(value)[:50]}
    )


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        match = _DATETIME.match(text(value)) if not isinstance(value, dt.date) else None
        try:
            if match is None:
                raise ValueError
            moment = dt.datetime(
                int(match[1]), int(match[2]), int(match[3]), int(match[4]), int(match[5]), int(match[6] or 0)
            )
        except ValueError:
            raise CellError(
                _(
                    "“%(value)s” is not a date and time: write it as YYYY-MM-DD HH:MM (WIB) "
                    "or as an Excel date and time."
                )
                % {"value": text(value)[:50]}
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    return moment


def _integer(value: Any, *, low: int, high: int, message: str) -> int:
    if isinstance(value, bool):
        raise CellError(message)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raw = text(value)
        if not re.fullmatch(r"\d{1,4}", raw):
            raise CellError(message)
        number = int(raw)
    if not low <= number <= high:
        raise CellError(message)
    return number


def parse(value: Any, column: Column) -> Any:
    """The cell's value for its column: None (or an empty tuple for a list) when empty.

    Raises CellError with a message that names the expected form.
    """
    kind = column.kind
    if kind in (Kind.CODES, Kind.CHOICES):
        values = items(value)
        if kind == Kind.CHOICES:
            values = tuple(dict.fromkeys(_choice(item, column) for item in values))
        return values
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind in (Kind.TEXT, Kind.CODE):
        return text(value)
    if kind == Kind.CHOICE:
        return _choice(text(value), column)
    if kind == Kind.DATE:
        return _date(value)
    if kind == Kind.DATETIME:
        return _datetime(value)
    if kind == Kind.YEAR:
        return _integer(value, low=1900, high=2100, message=_("Write a year, such as 2025."))
    if kind == Kind.SCALE:
        return _integer(value, low=1, high=4, message=_("Write a whole number from 1 to 4."))
    if kind == Kind.YES_NO:
        if isinstance(value, bool):
            return value
        word = text(value).lower()
        if word == YES:
            return True
        if word == NO:
            return False
        raise CellError(_("Write “%(yes)s” or “%(no)s”.") % {"yes": YES, "no": NO})
    raise AssertionError(kind)

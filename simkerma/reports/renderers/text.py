"""Values as text, for the formats that hold only text (CSV, PDF, DOCX, the preview)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import date_format, number_format

from simkerma.reports.framework import Kind

TICK = "V"


def _rounded(value: float | Decimal, places: int) -> Decimal:
    """Rounded half up: Django's number_format cuts the digits past the places instead."""
    number = Decimal(str(value))
    if not number.is_finite():
        return number
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def footer_kind(value: Any, kind: str) -> str:
    """A footer's count under a tick column is a number, not a tick."""
    return Kind.INT if kind == Kind.TICK and not isinstance(value, bool) else kind


def display_value(value: Any, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == Kind.TICK:
        return TICK if value else ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, dt.datetime):
        return date_format(value, "d/m/Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "d/m/Y")
    if kind == Kind.PERCENT and isinstance(value, (int, float, Decimal)):
        return f"{number_format(_rounded(value, 1), 1)}%"
    if kind == Kind.DECIMAL and isinstance(value, (int, float, Decimal)):
        return number_format(_rounded(value, 2), 2, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, force_grouping=kind != Kind.TEXT)
    return str(value)

"""The office's numbering scheme: 001/MOU.PL29/III/2025.

A running number per kind and year, the kind's code, the institution code, the month in Roman
numerals and the year.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings

from simkerma.core.numbering import next_number

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def kind_code(kind: str) -> str:
    return settings.SIMKERMA_NUMBER_KIND_CODES[kind]


def number_pattern(kind: str, year: int) -> re.Pattern[str]:
    code = re.escape(f"{kind_code(kind)}.{settings.SIMKERMA_INSTITUTION_CODE}")
    # Numbers are unique regardless of case, so "005/mou.pl29/i/2026" takes 005 as well.
    return re.compile(rf"^(\d+)/{code}/[IVX]+/{year}$", re.IGNORECASE)


def format_number(sequence: int, kind: str, on: dt.date) -> str:
    return (
        f"{sequence:03d}/{kind_code(kind)}.{settings.SIMKERMA_INSTITUTION_CODE}/{ROMAN_MONTHS[on.month - 1]}/{on.year}"
    )


def next_sequence(existing_numbers: list[str], kind: str, year: int) -> int:
    return next_number(existing_numbers, number_pattern(kind, year))

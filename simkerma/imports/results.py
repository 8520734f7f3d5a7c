"""What a workbook import gives back: its problems, its warnings and its counts per sheet.

An import (or a dry run) never raises for bad input: every refusal is a `Problem` at its place in
the workbook, and the result can be stored as JSON (in an import job) and read back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# (stage, done, total): stage is "read", "check" or "write".
Progress = Callable[[str, int, int], None]


def _place(sheet: str, row: int | None, column: str | None) -> str:
    if not sheet:
        return _("The file")
    parts = [sheet]
    if row is not None:
        parts.append(_("row %(row)s") % {"row": row})
    if column:
        parts.append(_("column %(column)s") % {"column": column})
    return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One refusal, at its place: the sheet ("" for the whole file), the Excel row, the header."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    @property
    def place(self) -> str:
        return _place(self.sheet, self.row, self.column)


@dataclass(frozen=True)
class Warning:
    """Something to look at that does not stop the import, e.g. a near-duplicate partner name."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    link: str = ""

    @property
    def place(self) -> str:
        return _place(self.sheet, self.row, self.column)


@dataclass
class SheetCounts:
    sheet: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    counts: list[SheetCounts] = field(default_factory=list)  # in SHEETS order, only the sheets present
    saved: bool = False  # True only when written (not a dry run, no problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "problems": [asdict(problem) for problem in self.problems],
            "warnings": [asdict(warning) for warning in self.warnings],
            "counts": [asdict(count) for count in self.counts],
            "saved": self.saved,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportResult:
        return cls(
            problems=[Problem(**item) for item in data.get("problems", [])],
            warnings=[Warning(**item) for item in data.get("warnings", [])],
            counts=[SheetCounts(**item) for item in data.get("counts", [])],
            saved=bool(data.get("saved", False)),
        )

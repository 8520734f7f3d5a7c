"""The report framework: an exporter yields each table's header and rows once, and the renderers
(XLSX, CSV, PDF, DOCX) turn the same `Report` into a file, so every format shows the same numbers.

An exporter is a subclass of `Exporter` registered with `register()`. It declares what it needs
(`scope`, `period`), who may run it (`allowed`), whether its format is confirmed against the
official text (`verified`), and builds a `Report` from `ReportParams` in `build()`. Adding an
instrument is one module in `simkerma.reports.exporters`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simkerma.core.registry import Registry
from simkerma.org.models import Prodi, Unit

UNVERIFIED = _("format belum terverifikasi")
FORMATS = ("xlsx", "csv", "pdf", "docx")


class Kind:
    """How a column's values are written: the renderers format and align by it."""

    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"  # Decimal or float, two places
    PERCENT = "percent"  # a number 0..100, one place
    DATE = "date"
    TICK = "tick"  # True is written as "V" (the LKPS tick), False as empty
    URL = "url"


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the heading as the official table words it
    kind: str = Kind.TEXT
    group: str = ""  # a heading spanning adjacent columns with the same group ("Tingkat")
    width: int = 18  # characters, for XLSX and the relative PDF/DOCX width


@dataclass
class Table:
    """One table of a report: `key` is its official name ("Tabel 1-1"), also the XLSX sheet's name.

    `rows` is iterated once, in order, each row a sequence of values in `columns` order; a
    generator keeps a large table out of memory. `footer` rows (totals) follow the rows.
    """

    key: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    footer: Sequence[Sequence[Any]] = ()
    notes: Sequence[str] = ()
    numbered: bool = False  # a leading "No" column counted by the renderer

    @property
    def header(self) -> list[str]:
        labels = [str(column.label) for column in self.columns]
        return ["No", *labels] if self.numbered else labels

    def iter_rows(self) -> Iterator[list[Any]]:
        """The rows as written, with their number when the table is numbered."""
        for index, row in enumerate(self.rows, start=1):
            yield [index, *row] if self.numbered else list(row)

    def close(self) -> None:
        """Stop reading the rows before their end. A generator's open database cursor (a server-side
        cursor on PostgreSQL) is closed now; left to the garbage collector, it would be closed in the
        middle of whatever query then runs on the same connection, which waits on itself for ever."""
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()


@dataclass(frozen=True)
class Warning:
    """Something to put right before the report is handed in, linking to what to fix."""

    message: str
    url: str = ""


@dataclass
class Report:
    title: str
    subtitle: str  # what and when it covers: the prodi or unit, the period
    tables: list[Table]
    exporter: str = ""
    verified: bool = True
    summary: list[tuple[str, Any]] = field(default_factory=list)  # label and value pairs shown first
    notices: list[str] = field(default_factory=list)  # printed in the file too
    warnings: list[Warning] = field(default_factory=list)  # shown on screen before download
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def all_notices(self) -> list[str]:
        """The notices, with the unverified-format label first when the format is not confirmed."""
        return ([str(UNVERIFIED)] if not self.verified else []) + [str(notice) for notice in self.notices]


@dataclass(frozen=True)
class ReportParams:
    """What a report covers. `year` is TS for the LKPS tables (the window is TS-2..TS), else the year."""

    year: int
    prodi: Prodi | None = None
    unit: Unit | None = None
    quarter: int | None = None
    month: int | None = None

    @property
    def window(self) -> tuple[int, int, int]:
        return (self.year - 2, self.year - 1, self.year)

    @property
    def subject(self) -> str:
        if self.prodi is not None:
            return f"{self.prodi.level} {self.prodi.name}"
        if self.unit is not None:
            return self.unit.name
        return ""


class Scope:
    """What a report is for: the renderers' pages ask for it."""

    PRODI = "prodi"  # one study programme
    PRODI_OR_UNIT = "prodi_or_unit"  # a study programme, or all of a jurusan's
    UNIT = "unit"  # a unit (jurusan or another)
    INSTITUTION = "institution"  # the whole institution


class Period:
    TS = "ts"  # TS-2..TS
    YEAR = "year"
    YEAR_QUARTER = "year_quarter"  # a year, optionally one quarter (TW)
    YEAR_MONTH = "year_month"  # a year, optionally one month


class Exporter:
    key: ClassVar[str]
    # The label and description may be lazy translations, read in the reader's language.
    label: ClassVar[str | Promise]
    group: ClassVar[str | Promise]  # the heading it is listed under on the reports page
    description: ClassVar[str | Promise] = ""
    verified: ClassVar[bool] = True
    scope: ClassVar[str] = Scope.INSTITUTION
    period: ClassVar[str] = Period.YEAR
    formats: ClassVar[tuple[str, ...]] = FORMATS
    # Who may run it: the role names of accounts.models (None for any signed-in user who may read reports).
    roles: ClassVar[frozenset[str] | None] = None

    def build(self, params: ReportParams) -> Report:
        raise NotImplementedError

    def filename(self, params: ReportParams, fmt: str) -> str:
        """A file name without spaces: the key, the subject's code and the year."""
        code = params.prodi.code if params.prodi else params.unit.code if params.unit else ""
        parts = [self.key, code, str(params.year)]
        if params.quarter:
            parts.append(f"TW{params.quarter}")
        if params.month:
            parts.append(f"{params.month:02d}")
        return "-".join(part for part in parts if part) + f".{fmt}"


exporters: Registry[type[Exporter]] = Registry("report exporter")


def register(cls: type[Exporter], *, order: int = 100) -> type[Exporter]:
    exporters.register(cls.key, cls, order=order)
    return cls


def get_exporter(key: str) -> Exporter | None:
    for entry in exporters.entries():
        if entry.name == key:
            return entry.item()
    return None

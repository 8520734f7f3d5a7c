"""The data workbook's export (CONTRACTS.md §1, docs/workbook.md): the format's sheets, streamed.

The workbook is written row by row (openpyxl's write-only mode, which keeps no rows and no shared
strings in memory), and each sheet is read in chunks of CHUNK_SIZE rows as plain values, with the
codes a chunk names through many-to-many tables fetched in one query per table and chunk. So an
export of 600,000 activities runs in bounded memory, with a number of queries that depends only on
the number of chunks.

Export writes what was entered and nothing derived: an activity that names no prodi has the cell
empty. Lists are written sorted and joined with ";", yes/no as ya/tidak, dates as Excel dates and
datetimes as Excel datetimes in WIB (to the second). Every text goes through core.xlsx.stream_row,
so text that starts like a formula stays text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from simkerma.activities.models import CONTRACT_STATUS, Activity
from simkerma.agreements.models import Agreement
from simkerma.core.dates import WIB
from simkerma.core.xlsx import stream_row
from simkerma.imports import format as fmt
from simkerma.imports.reader import max_text
from simkerma.imports.selectors import ExportData, ExportFilters, export_data, related_codes
from simkerma.servicedesk.models import RequestKind, ServiceRequest

CHUNK_SIZE = 2000
# Excel holds at most this many characters in a cell; openpyxl cuts longer text there. Text longer
# than the import takes (reader.max_text) is written whole, and reported, since the file would be refused.
MAX_CELL_TEXT = 32767

# The workbook's names for the values the models store otherwise.
KIND_NAMES = {stored: name for name, stored in fmt.AGREEMENT_KIND.items()}
# The contract's jenis of each request kind, by the model's own rule (ServiceRequest.jenis).
JENIS_OF_KIND = {kind: str(ServiceRequest(kind=kind).jenis) for kind in RequestKind.values}

Row = Sequence[Any]


class Progress(Protocol):
    """Told at the start of each sheet (done=0) and after each chunk written."""

    def __call__(self, sheet: str, done: int, total: int) -> None: ...


@dataclass(frozen=True)
class ExportCounts:
    """The data rows written per sheet, in the file's order, and what could not be written whole."""

    rows: Mapping[str, int]
    warnings: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _list(values: Iterable[str]) -> str:
    return fmt.LIST_SEPARATOR.join(sorted(values))


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return fmt.YES if value else fmt.NO


def _wib(moment: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: the WIB wall-clock time, to the second."""
    if moment is None:
        return None
    return timezone.localtime(moment, WIB).replace(tzinfo=None, microsecond=0)


def _unit_rows(data: ExportData) -> Iterator[list[Row]]:
    rows = data.units.values_list("code", "name", "kind", "expected_fields")
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        yield [(code, name, kind, _list(fields)) for code, name, kind, fields in chunk]


def _prodi_rows(data: ExportData) -> Iterator[list[Row]]:
    rows = data.prodi.values_list("code", "name", "level", "unit__code", "active_from", "active_until", "instrument")
    yield from _chunks(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE)


def _partner_rows(data: ExportData) -> Iterator[list[Row]]:
    rows = data.partners.values_list(
        "code", "name", "kind", "country", "city", "address", "email", "phone", "website", "ministry_category__code"
    )
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        yield [(*row[:3], str(row[3]), *row[4:]) for row in chunk]


def _agreement_rows(data: ExportData) -> Iterator[list[Row]]:
    rows = data.agreements.values_list(
        "pk",
        "number",
        "kind",
        "title",
        "parent__number",
        "level",
        "fields",
        "start_date",
        "end_date",
        "terminated_on",
        "sdg_goals",
    )
    through = Agreement.partners.through, Agreement.units.through, Agreement.prodi.through
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        ids = [row[0] for row in chunk]
        partners = related_codes(through[0], "agreement_id", "partner__code", ids)
        units = related_codes(through[1], "agreement_id", "unit__code", ids)
        prodi = related_codes(through[2], "agreement_id", "prodi__code", ids)
        yield [
            (
                number,
                KIND_NAMES[kind],
                title,
                _list(partners.get(pk, ())),
                parent,
                level,
                _list(fields),
                _list(units.get(pk, ())),
                _list(prodi.get(pk, ())),
                start,
                end,
                terminated,
                fmt.LIST_SEPARATOR.join(sdg_goals),
            )
            for pk, number, kind, title, parent, level, fields, start, end, terminated, sdg_goals in chunk
        ]


def _activity_rows(data: ExportData) -> Iterator[list[Row]]:
    rows = data.activities.values_list(
        "pk",
        "code",
        "agreement__number",
        "title",
        "field",
        "start_date",
        "end_date",
        "status",
        "benefit",
        "evidence",
        "kind",
        "cooperation_form__code",
    )
    units_through, prodi_through = Activity.units.through, Activity.prodi.through
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        ids = [row[0] for row in chunk]
        prodi = related_codes(prodi_through, "activity_id", "prodi__code", ids)
        units = related_codes(units_through, "activity_id", "unit__code", ids)
        yield [
            (
                code,
                number,
                title,
                field_,
                _list(prodi.get(pk, ())),
                _list(units.get(pk, ())),
                start,
                end,
                CONTRACT_STATUS[status],
                benefit,
                evidence,
                kind,
                form,
            )
            for pk, code, number, title, field_, start, end, status, benefit, evidence, kind, form in chunk
        ]


def _request_rows(data: ExportData) -> Iterator[list[Row]]:
    rows = data.requests.values_list(
        "code",
        "channel",
        "kind",
        "from_partner",
        "partner__code",
        "received_at",
        "responded_at",
        "draft_sent_at",
        "followed_up_at",
        "subject",
        "requester_name",
    )
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        yield [
            (
                code,
                channel,
                JENIS_OF_KIND[kind],
                _yes_no(from_partner),
                partner,
                _wib(received),
                _wib(responded),
                _wib(draft_sent),
                _wib(followed_up),
                subject,
                requester,
            )
            for (
                code,
                channel,
                kind,
                from_partner,
                partner,
                received,
                responded,
                draft_sent,
                followed_up,
                subject,
                requester,
            ) in chunk
        ]


def _evaluation_rows(data: ExportData) -> Iterator[list[Row]]:
    rows = data.evaluations.values_list(
        "agreement__number", "year", "benefit", "performance", "kepuasan", "keberlanjutan", "notes"
    )
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        yield [
            (number, year, _yes_no(benefit), _yes_no(performance), kepuasan, _yes_no(continued), notes)
            for number, year, benefit, performance, kepuasan, continued, notes in chunk
        ]


# Each sheet of the format, with the queryset it counts and the rows it writes, in the file's order.
SheetSource = tuple[fmt.Sheet, Callable[[ExportData], Any], Callable[[ExportData], Iterator[list[Row]]]]
SOURCES: tuple[SheetSource, ...] = (
    (fmt.UNIT, lambda data: data.units, _unit_rows),
    (fmt.PRODI, lambda data: data.prodi, _prodi_rows),
    (fmt.MITRA, lambda data: data.partners, _partner_rows),
    (fmt.DOKUMEN, lambda data: data.agreements, _agreement_rows),
    (fmt.KEGIATAN, lambda data: data.activities, _activity_rows),
    (fmt.LAYANAN, lambda data: data.requests, _request_rows),
    (fmt.EVALUASI, lambda data: data.evaluations, _evaluation_rows),
)
assert tuple(source[0] for source in SOURCES) == fmt.SHEETS, "the export writes every sheet of the format, in order"

# Column widths by what a column holds, for a file that reads well when opened.
WIDTHS = {
    fmt.Kind.TEXT: 40,
    fmt.Kind.CODES: 24,
    fmt.Kind.CHOICES: 30,
    fmt.Kind.DATE: 12,
    fmt.Kind.DATETIME: 17,
}


def start_sheet(workbook: Workbook, sheet: fmt.Sheet) -> WriteOnlyWorksheet:
    """A write-only worksheet with the sheet's header row: the column names exactly, in bold."""
    worksheet = workbook.create_sheet(sheet.name)
    for index, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column.kind, 16)
    worksheet.freeze_panes = "A2"
    header = []
    for name in sheet.headers:
        cell = WriteOnlyCell(worksheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    worksheet.append(header)
    return worksheet


def _clean(sheet: fmt.Sheet, row: Row, row_number: int, import_limit: int, warnings: list[str]) -> list[Any]:
    values: list[Any] = []
    for column, value in zip(sheet.columns, row, strict=True):
        if value == "":
            value = None
        elif isinstance(value, str) and len(value) > import_limit:
            place = {"sheet": sheet.name, "row": row_number, "column": column.name}
            if len(value) > MAX_CELL_TEXT:
                message = _(
                    "Sheet %(sheet)s, row %(row)s, column %(column)s: the text is longer than a cell "
                    "holds (%(limit)s characters) and was cut there."
                ) % {**place, "limit": MAX_CELL_TEXT}
            else:
                message = _(
                    "Sheet %(sheet)s, row %(row)s, column %(column)s: the text is longer than the import "
                    "takes (%(limit)s characters); shorten it before importing this file."
                ) % {**place, "limit": import_limit}
            warnings.append(message)
        values.append(value)
    return values


def export_workbook(
    *, output: IO[bytes], user: Any, year: int | None = None, progress: Progress | None = None
) -> ExportCounts:
    """Write the data workbook to `output`: every sheet of the format, for everything or for one year.

    The user must be allowed to export (selectors.can_export), else PermissionDenied. With
    `progress`, each sheet is counted first (one query per sheet) so the progress knows its total.
    """
    data = export_data(user=user, filters=ExportFilters(year=year))
    workbook = Workbook(write_only=True)
    import_limit = min(max_text(), MAX_CELL_TEXT)
    counts: dict[str, int] = {}
    warnings: list[str] = []
    for sheet, queryset, rows in SOURCES:
        total = queryset(data).count() if progress is not None else 0
        if progress is not None:
            progress(sheet.name, 0, total)
        worksheet = start_sheet(workbook, sheet)
        done = 0
        for chunk in rows(data):
            for row in chunk:
                done += 1
                stream_row(worksheet, _clean(sheet, row, done + 1, import_limit, warnings))
            if progress is not None:
                progress(sheet.name, done, total)
        counts[sheet.name] = done
    workbook.save(output)
    return ExportCounts(rows=counts, warnings=tuple(warnings))

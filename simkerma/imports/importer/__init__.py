"""The workbook import: read every sheet, check every row, then write everything in one transaction.

Reading and checking (the slow part) happen before the transaction begins; the transaction only
writes what the check found new or changed, in batches, and bumps the data versions the cached
figures watch.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from simkerma.activities.scope import rebuild_scope, refresh_agreements_scope, refresh_scope
from simkerma.agreements.selectors import AGREEMENTS, PARTNERS
from simkerma.core.versions import bump
from simkerma.imports import cells as cell_values
from simkerma.imports.format import SHEETS, Sheet, normalise_header
from simkerma.imports.importer.activities import ActivityImport
from simkerma.imports.importer.agreements import AgreementImport, PartnerImport
from simkerma.imports.importer.base import Context, SheetImport
from simkerma.imports.importer.evaluations import EvaluationImport
from simkerma.imports.importer.org import ProdiImport, UnitImport
from simkerma.imports.importer.requests import RequestImport
from simkerma.imports.reader import RowsEnd, data_rows, header_row, is_empty, max_columns, max_text
from simkerma.kpis.engine import KPI_INPUTS
from simkerma.servicedesk.selectors import SERVICE_REQUESTS

HANDLERS: dict[str, type[SheetImport]] = {
    "Unit": UnitImport,
    "Prodi": ProdiImport,
    "Mitra": PartnerImport,
    "Dokumen": AgreementImport,
    "Kegiatan": ActivityImport,
    "Layanan": RequestImport,
    "Evaluasi": EvaluationImport,
}
# Activities rebuilt one by one up to this many; beyond, the whole scope table is rebuilt.
SCOPE_REFRESH_LIMIT = 100_000
PROGRESS_EVERY = 500


def _headers(ctx: Context, sheet: Sheet, worksheet: Any) -> dict[str, int] | None:
    """Column positions by header; None when a required header is missing (the sheet is skipped)."""
    row = header_row(worksheet)
    if len(row) > max_columns() and not is_empty(row[max_columns()]):
        ctx.problem(sheet.name, 1, None, _("This sheet has more than %(limit)s columns.") % {"limit": max_columns()})
        return None
    known = set(sheet.headers)
    positions: dict[str, int] = {}
    for index, value in enumerate(row):
        if is_empty(value):
            continue
        header = normalise_header(value)
        if header in known and header not in positions:
            positions[header] = index
        elif header in positions:
            ctx.problem(sheet.name, 1, header, _("The column %(column)s appears twice.") % {"column": header})
        else:
            ctx.warning(
                sheet.name,
                1,
                str(value)[:60],
                _("Column %(column)s is not in the format; it is ignored.") % {"column": str(value)[:60]},
            )
    missing = [column.name for column in sheet.columns if column.required and column.name not in positions]
    for name in missing:
        ctx.problem(sheet.name, 1, name, _("The required column %(column)s is missing.") % {"column": name})
    return None if missing else positions


def _read_sheet(ctx: Context, sheet: Sheet, worksheet: Any, handler: SheetImport) -> None:
    positions = _headers(ctx, sheet, worksheet)
    if positions is None:
        return
    handler.present = set(positions)
    width = max(positions.values()) + 1
    columns = [(sheet.column(name), index) for name, index in positions.items()]
    required = [column.name for column, _index in columns if column.required]
    limit = max_text()
    end = RowsEnd()
    for number, values in data_rows(worksheet, width, end):
        cells: dict[str, Any] = {}
        for column, index in columns:
            value = values[index] if index < len(values) else None
            if isinstance(value, str) and len(value) > limit:
                ctx.problem(
                    sheet.name,
                    number,
                    column.name,
                    _("This cell holds %(count)s characters; at most %(limit)s are accepted.")
                    % {"count": len(value), "limit": limit},
                )
                continue
            try:
                parsed = cell_values.parse(value, column)
            except cell_values.CellError as error:
                ctx.problem(sheet.name, number, column.name, str(error))
                continue
            cells[column.name] = parsed if parsed != () else None
        for name in required:
            if name in cells and cells[name] is None:
                ctx.problem(sheet.name, number, name, _("This column is required; the cell is empty."))
        handler.row(number, cells)
        ctx.rows_read += 1
        if ctx.progress and ctx.rows_read % PROGRESS_EVERY == 0:
            ctx.progress("read", ctx.rows_read, max(ctx.rows_estimate, ctx.rows_read))
    handler.finish()
    if end.reason == "empty":
        ctx.warning(
            sheet.name,
            end.stopped_at,
            None,
            _("Reading stopped at row %(row)s after many empty rows; anything below is ignored.")
            % {"row": end.stopped_at},
        )
    elif end.reason == "rows":
        ctx.problem(
            sheet.name,
            end.stopped_at,
            None,
            _("This sheet has more rows than can be imported at once (%(limit)s).")
            % {"limit": end.stopped_at and end.stopped_at - 2},
        )


def check_workbook(ctx: Context, workbook: Any) -> list[SheetImport]:
    """Every sheet read and checked, in the format's order; gives the sheets' imports ready to write."""
    by_name: dict[str, Any] = {}
    for worksheet in workbook.worksheets:
        name = normalise_header(worksheet.title)
        if name in {normalise_header(sheet.name) for sheet in SHEETS} and name not in by_name:
            by_name[name] = worksheet
        else:
            ctx.warning(
                worksheet.title[:60],
                None,
                None,
                _("Sheet %(sheet)s is not in the format; it is ignored.") % {"sheet": worksheet.title[:60]},
            )
    # The sheets' stated dimensions may lie; they only size the progress bar.
    ctx.rows_estimate = sum(max(int(getattr(ws, "max_row", 0) or 0) - 1, 0) for ws in by_name.values())
    if ctx.progress:
        ctx.progress("read", 0, ctx.rows_estimate)
    imports = []
    for sheet in SHEETS:
        worksheet = by_name.get(normalise_header(sheet.name))
        if worksheet is None:
            continue
        handler = HANDLERS[sheet.name](ctx)
        ctx.count(sheet.name)
        _read_sheet(ctx, sheet, worksheet, handler)
        imports.append(handler)
    if ctx.progress:
        ctx.progress("read", ctx.rows_read, ctx.rows_read)
    return imports


def write_workbook(ctx: Context, imports: list[SheetImport]) -> None:
    """Write what the check found, in one transaction; then the scope and the data versions."""
    by_sheet = {handler.name: handler for handler in imports}
    ctx.rows_to_write = sum(counts.created + counts.updated for counts in ctx.counts.values())
    if ctx.progress:
        ctx.progress("write", 0, ctx.rows_to_write)
    with transaction.atomic():
        for handler in imports:
            handler.write()
        touched = {name for name, counts in ctx.counts.items() if counts.created or counts.updated}
        prodi = by_sheet.get("Prodi")
        agreements = by_sheet.get("Dokumen")
        activities = by_sheet.get("Kegiatan")
        touched_activities = list(getattr(activities, "touched", []))
        if (prodi is not None and prodi.moved_unit) or len(touched_activities) > SCOPE_REFRESH_LIMIT:  # type: ignore[attr-defined]
            rebuild_scope()
        else:
            if touched_activities:
                refresh_scope(touched_activities)
            changed_agreements: set[int] = getattr(agreements, "changed_ids", set())
            if changed_agreements:
                refresh_agreements_scope(changed_agreements)
        if touched & {"Unit", "Prodi", "Dokumen", "Kegiatan", "Evaluasi"}:
            bump(KPI_INPUTS)
        if "Dokumen" in touched:
            bump(AGREEMENTS)
        if touched & {"Mitra", "Dokumen"}:
            bump(PARTNERS)
        if "Layanan" in touched:
            bump(SERVICE_REQUESTS)

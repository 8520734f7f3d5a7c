"""Opening an uploaded workbook safely and reading its sheets row by row, within bounds.

A file is refused with one plain message before openpyxl parses anything when it is not an Excel
(.xlsx) package: a CSV or an image renamed .xlsx, a password-protected workbook or an old .xls
(both are OLE compound files), a damaged package or a zip bomb (core.ooxml). Rows are streamed in
read-only mode; the sheet's stated dimension is not trusted: a sheet ends after
SIMKERMA_IMPORT_MAX_EMPTY_ROWS empty rows in a row, at most SIMKERMA_IMPORT_MAX_ROWS rows are
read, and at most SIMKERMA_IMPORT_MAX_COLUMNS columns of each. A sheet whose XML turns out damaged
while its rows are read is refused with WorkbookRefused too.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from simkerma.core.ooxml import check_ooxml_package

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"


def max_sheets() -> int:
    return int(getattr(settings, "SIMKERMA_IMPORT_MAX_SHEETS", 30))


def max_columns() -> int:
    return int(getattr(settings, "SIMKERMA_IMPORT_MAX_COLUMNS", 60))


def max_rows() -> int:
    return int(getattr(settings, "SIMKERMA_IMPORT_MAX_ROWS", 1_000_000))


def max_empty_rows() -> int:
    return int(getattr(settings, "SIMKERMA_IMPORT_MAX_EMPTY_ROWS", 1000))


def max_text() -> int:
    return int(getattr(settings, "SIMKERMA_IMPORT_MAX_TEXT", 10_000))


class WorkbookRefused(Exception):
    """The file cannot be read as a workbook; `message` says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@contextlib.contextmanager
def binary(file: IO[bytes] | str | Path) -> Iterator[IO[bytes]]:
    """The file as a seekable binary stream (a path is opened and closed again)."""
    if isinstance(file, (str, Path)):
        with open(file, "rb") as stream:
            yield stream
        return
    if not file.seekable():
        yield io.BytesIO(file.read())
        return
    yield file


def open_workbook(stream: IO[bytes]) -> Any:
    """The workbook opened read-only (cached values, not formulas), or WorkbookRefused."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(OLE_SIGNATURE):
        raise WorkbookRefused(
            _(
                "This workbook is protected with a password or is an old .xls file: save it as .xlsx "
                "without a password and upload it again."
            )
        )
    if not head.startswith(ZIP_SIGNATURE):
        raise WorkbookRefused(_("This file is not an Excel workbook (.xlsx). Save it from Excel as an .xlsx workbook."))
    try:
        check_ooxml_package(stream)
    except ValidationError as error:
        raise WorkbookRefused(" ".join(error.messages)) from None
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception:
        raise WorkbookRefused(
            _("This file cannot be read as an Excel workbook (.xlsx). Save it again from Excel.")
        ) from None
    if len(workbook.worksheets) > max_sheets():
        workbook.close()
        raise WorkbookRefused(
            _("This workbook has %(count)s sheets; at most %(limit)s are read.")
            % {"count": len(workbook.worksheets), "limit": max_sheets()}
        )
    return workbook


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class RowsEnd:
    """How reading a sheet ended: at its last row, or stopped at a bound (`stopped_at` is then set)."""

    stopped_at: int | None = None
    reason: str = ""  # "empty" (many empty rows) or "rows" (the row limit)


def _rows(worksheet: Any, **bounds: int) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as values; a sheet whose XML is damaged is refused (rows are parsed as they are read)."""
    rows = worksheet.iter_rows(values_only=True, **bounds)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # openpyxl and the XML parser raise many kinds of errors for damaged sheets
            raise WorkbookRefused(
                _("The sheet %(sheet)s is damaged and cannot be read. Save the workbook again from Excel.")
                % {"sheet": worksheet.title}
            ) from None
        yield values


def header_row(worksheet: Any) -> tuple[Any, ...]:
    """The first row, one column more than the bound (so that too many columns can be told)."""
    for values in _rows(worksheet, min_row=1, max_row=1, max_col=max_columns() + 1):
        return tuple(values)
    return ()


def data_rows(worksheet: Any, width: int, end: RowsEnd) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(Excel row number, values) of every non-empty row below the header, `width` columns each.

    Stops after too many empty rows in a row or at the row limit, and says so in `end`.
    """
    limit = max_rows()
    empty_limit = max_empty_rows()
    empty_run = 0
    number = 1
    rows = _rows(worksheet, min_row=2, max_row=limit + 2, max_col=max(width, 1))
    for number, values in enumerate(rows, start=2):
        if all(is_empty(value) for value in values):
            empty_run += 1
            if empty_run >= empty_limit:
                end.stopped_at, end.reason = number - empty_run + 1, "empty"
                return
            continue
        empty_run = 0
        if number > limit + 1:
            end.stopped_at, end.reason = number, "rows"
            return
        yield number, tuple(values)

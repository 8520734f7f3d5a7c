from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from simkerma.core.dates import WIB
from simkerma.core.xlsx import stream_row


def _written(values):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    stream_row(sheet, values)
    output = io.BytesIO()
    workbook.save(output)
    return load_workbook(io.BytesIO(output.getvalue()))["Data"][1]


def test_a_streamed_row_keeps_text_text_and_numbers_numbers():
    row = _written(["=1+1", "+62 812", "-5", "\tx", "@SUM(A1)", "#N/A", "biasa", 7, None, "a\x00b", '=HYPERLINK("x")'])
    assert [cell.value for cell in row] == [
        "=1+1",
        "+62 812",
        "-5",
        "\tx",
        "@SUM(A1)",
        "#N/A",
        "biasa",
        7,
        None,
        "ab",
        '=HYPERLINK("x")',
    ]
    assert [cell.data_type for cell in row[:7]] == ["s"] * 7
    assert [cell.quotePrefix for cell in row[:7]] == [True] * 5 + [False, False]
    assert row[10].data_type == "s" and row[10].quotePrefix
    assert row[7].data_type == "n"


def test_dates_and_datetimes_are_excel_dates_with_their_formats():
    row = _written([dt.date(2025, 3, 1), dt.datetime(2025, 3, 1, 9, 15)])
    assert row[0].is_date and row[0].value == dt.datetime(2025, 3, 1) and row[0].number_format == "yyyy-mm-dd"
    assert row[1].is_date and row[1].value == dt.datetime(2025, 3, 1, 9, 15)
    assert row[1].number_format == "yyyy-mm-dd hh:mm"


def test_an_aware_datetime_is_refused_rather_than_written_in_the_wrong_zone():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    with pytest.raises(ValueError, match="time zone"):
        stream_row(sheet, [dt.datetime(2025, 3, 1, 9, 15, tzinfo=WIB)])

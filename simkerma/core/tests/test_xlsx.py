from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from simkerma.core.xlsx import append_row


def test_it_keeps_text_text_and_numbers_numbers():
    workbook = Workbook()
    sheet = workbook.active
    append_row(sheet, ["=1+1", "+62 812", "-5", "\tx", "\rcmd", "biasa", 7, None, "a\x00b"])
    output = io.BytesIO()
    workbook.save(output)
    row = load_workbook(io.BytesIO(output.getvalue())).active[1]
    assert [cell.value for cell in row] == ["=1+1", "+62 812", "-5", "\tx", "\rcmd", "biasa", 7, None, "ab"]
    assert [cell.data_type for cell in row[:6]] == ["s"] * 6
    assert [cell.quotePrefix for cell in row[:6]] == [True] * 5 + [False]
    assert row[6].data_type == "n"

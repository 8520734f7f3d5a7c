"""Reading one cell as its column's kind: text, codes, lists, dates, datetimes, years, yes/no."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from simkerma.core.dates import WIB
from simkerma.imports import format as fmt
from simkerma.imports.cells import CellError, parse


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def column(sheet: fmt.Sheet, name: str) -> fmt.Column:
    return sheet.column(name)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("  IF01 ", "IF01"), (2015.0, "2015"), (2015, "2015"), (12.5, "12.5"), ("", None), ("   ", None), (None, None)],
)
def test_codes_and_text_are_stripped_and_integral_floats_are_whole(value, expected):
    assert parse(value, column(fmt.PRODI, "kode")) == expected


def test_a_list_is_split_trimmed_without_empties_or_repeats():
    assert parse(" IF01; IF02;;IF01 ; ", column(fmt.DOKUMEN, "prodi_kode")) == ("IF01", "IF02")
    assert parse(None, column(fmt.DOKUMEN, "prodi_kode")) == ()


def test_a_list_of_choices_is_checked_and_matched_without_regard_to_case():
    assert parse("Penelitian;pkm", column(fmt.DOKUMEN, "bidang")) == ("penelitian", "pkm")
    with pytest.raises(
        CellError, match=re.escape("“riset” is not one of the allowed values: pendidikan, penelitian, pkm.")
    ):
        parse("pkm;riset", column(fmt.DOKUMEN, "bidang"))


def test_a_choice_keeps_its_canonical_spelling():
    assert parse("mou", column(fmt.DOKUMEN, "jenis")) == "MoU"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2025, 1, 15), dt.date(2025, 1, 15)),
        (dt.date(2025, 1, 15), dt.date(2025, 1, 15)),
        ("2025-01-15", dt.date(2025, 1, 15)),
        (" 2025-1-5 ", dt.date(2025, 1, 5)),
    ],
)
def test_dates_are_excel_dates_or_iso_text(value, expected):
    assert parse(value, column(fmt.DOKUMEN, "tanggal_mulai")) == expected


@pytest.mark.parametrize("value", ["15/01/2025", "2025-02-30", "besok", 45000])
def test_other_dates_are_refused_naming_the_expected_form(value):
    with pytest.raises(CellError, match="write it as YYYY-MM-DD or as an Excel date"):
        parse(value, column(fmt.DOKUMEN, "tanggal_mulai"))


def test_datetimes_are_read_as_wib():
    expected = dt.datetime(2025, 3, 3, 9, 15, tzinfo=WIB)
    assert parse("2025-03-03 09:15", column(fmt.LAYANAN, "diterima")) == expected
    assert parse(dt.datetime(2025, 3, 3, 9, 15), column(fmt.LAYANAN, "diterima")) == expected
    with pytest.raises(CellError, match="YYYY-MM-DD HH:MM"):
        parse("2025-03-03", column(fmt.LAYANAN, "diterima"))
    with pytest.raises(CellError, match="YYYY-MM-DD HH:MM"):
        parse(dt.date(2025, 3, 3), column(fmt.LAYANAN, "diterima"))


@pytest.mark.parametrize(("value", "expected"), [(2015, 2015), (2015.0, 2015), ("2015", 2015)])
def test_years(value, expected):
    assert parse(value, column(fmt.PRODI, "aktif_mulai")) == expected


@pytest.mark.parametrize("value", ["dua ribu", 2015.5, 20150, True])
def test_other_years_are_refused(value):
    with pytest.raises(CellError, match=re.escape("Write a year, such as 2025.")):
        parse(value, column(fmt.PRODI, "aktif_mulai"))


def test_yes_no_and_scale():
    assert parse("Ya", column(fmt.EVALUASI, "manfaat")) is True
    assert parse("tidak", column(fmt.EVALUASI, "manfaat")) is False
    assert parse(None, column(fmt.EVALUASI, "manfaat")) is None
    with pytest.raises(CellError, match=re.escape("Write “ya” or “tidak”.")):
        parse("yes", column(fmt.EVALUASI, "manfaat"))
    assert parse(3.0, column(fmt.EVALUASI, "kepuasan")) == 3
    with pytest.raises(CellError, match="from 1 to 4"):
        parse(5, column(fmt.EVALUASI, "kepuasan"))

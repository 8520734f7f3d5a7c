"""The benchmark's workbook generator (bench/workbook_data.py): the format's sheets and headers,
values the format allows, codes defined before use, the same file every time, and a small one
imports with no problem and then changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bench.workbook_data import SIX_HUNDRED_THOUSAND, TEN_THOUSAND, Size, workbook_path, write_workbook
from simkerma.activities.models import Activity
from simkerma.agreements.models import Agreement
from simkerma.evaluations.models import Evaluation
from simkerma.imports import format as fmt
from simkerma.imports.services import workbook_import
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import ServiceRequest

SIZE_OF_SHEET = {
    "Unit": "units",
    "Prodi": "prodi",
    "Mitra": "partners",
    "Dokumen": "agreements",
    "Kegiatan": "activities",
    "Layanan": "requests",
    "Evaluasi": "evaluations",
}


Rows = list[dict[str, Any]]


def _read(path: Path) -> dict[str, tuple[list[str], Rows]]:
    """Each sheet, in the file's order: its header row, and its rows as {header: value}."""
    workbook = load_workbook(path, read_only=True)
    try:
        sheets = {}
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(values_only=True)
            headers = [str(header) for header in next(rows)]
            padded = (row + (None,) * (len(headers) - len(row)) for row in rows)
            sheets[worksheet.title] = (headers, [dict(zip(headers, row, strict=True)) for row in padded])
        return sheets
    finally:
        workbook.close()


def _sheets(path: Path) -> dict[str, Rows]:
    return {title: rows for title, (_, rows) in _read(path).items()}


def _items(value: Any) -> list[str]:
    return [part for part in str(value).split(fmt.LIST_SEPARATOR) if part] if value not in (None, "") else []


@pytest.fixture(scope="module")
def ten_thousand_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "10k.xlsx"
    counts = write_workbook(path, TEN_THOUSAND)
    assert counts == {sheet: getattr(TEN_THOUSAND, name) for sheet, name in SIZE_OF_SHEET.items()}
    return path


@pytest.fixture(scope="module")
def ten_thousand(ten_thousand_file: Path) -> dict[str, Rows]:
    return _sheets(ten_thousand_file)


def test_the_sizes_hold_the_rows_they_promise() -> None:
    assert TEN_THOUSAND.rows == 10_000
    assert SIX_HUNDRED_THOUSAND.activities == 600_000
    assert SIX_HUNDRED_THOUSAND.agreements == 60_000
    assert SIX_HUNDRED_THOUSAND.partners == 20_000
    assert SIX_HUNDRED_THOUSAND.prodi == 200
    small = TEN_THOUSAND.scaled(500)
    assert 480 <= small.rows <= 520
    assert small.activities == 350
    with pytest.raises(ValueError, match="evaluation"):
        Size(units=3, prodi=1, partners=1, agreements=1, activities=0, requests=0, evaluations=2)


def test_every_sheet_in_the_format_order_with_its_headers(ten_thousand_file: Path) -> None:
    sheets = _read(ten_thousand_file)
    assert list(sheets) == [sheet.name for sheet in fmt.SHEETS]
    for sheet in fmt.SHEETS:
        headers, rows = sheets[sheet.name]
        assert headers == sheet.headers
        assert len(rows) == getattr(TEN_THOUSAND, SIZE_OF_SHEET[sheet.name])


def test_every_value_is_one_the_format_allows(ten_thousand: dict[str, Rows]) -> None:
    for sheet in fmt.SHEETS:
        for number, row in enumerate(ten_thousand[sheet.name], start=2):
            for column in sheet.columns:
                value = row[column.name]
                place = (sheet.name, number, column.name, value)
                if column.required:
                    assert value not in (None, ""), place
                if value in (None, ""):
                    continue
                if column.kind in (fmt.Kind.CHOICE, fmt.Kind.YES_NO, fmt.Kind.SCALE):
                    assert str(value) in column.choices, place
                elif column.kind == fmt.Kind.CHOICES:
                    assert set(_items(value)) <= set(column.choices), place
                elif column.kind == fmt.Kind.DATE:
                    assert isinstance(value, dt.datetime) and (value.hour, value.minute) == (0, 0), place
                    assert 1990 <= value.year <= 2100, place
                elif column.kind == fmt.Kind.DATETIME:
                    assert isinstance(value, dt.datetime), place
                elif column.kind == fmt.Kind.YEAR:
                    assert isinstance(value, int) and 1990 <= value <= 2100, place
    for sheet in fmt.SHEETS:
        keys = [tuple(row[name] for name in sheet.key) for row in ten_thousand[sheet.name]]
        assert len(set(keys)) == len(keys), sheet.name


def test_every_code_is_defined_before_it_is_named(ten_thousand: dict[str, Rows]) -> None:
    units = {row["kode"]: row["jenis"] for row in ten_thousand["Unit"]}
    prodi = {row["kode"] for row in ten_thousand["Prodi"]}
    partners = {row["kode"] for row in ten_thousand["Mitra"]}
    assert all(units[row["unit_kode"]] == "jurusan" for row in ten_thousand["Prodi"])
    agreements: dict[str, dict[str, Any]] = {}
    for row in ten_thousand["Dokumen"]:
        assert set(_items(row["mitra_kode"])) <= partners
        assert set(_items(row["unit_kode"])) <= set(units)
        assert set(_items(row["prodi_kode"])) <= prodi
        assert row["tanggal_mulai"] <= row["tanggal_berakhir"]
        if row["diakhiri_pada"]:
            assert row["tanggal_mulai"] <= row["diakhiri_pada"] <= row["tanggal_berakhir"]
        parent = agreements.get(row["induk_nomor"]) if row["induk_nomor"] else None
        if row["jenis"] == "MoU":
            assert row["induk_nomor"] is None
        else:
            assert parent is not None, row["nomor"]
            assert parent["jenis"] in ({"MoU"} if row["jenis"] == "MoA" else {"MoU", "MoA"})
        agreements[row["nomor"]] = row
    assert {row["jenis"] for row in agreements.values()} == {"MoU", "MoA", "IA"}
    assert any(row["diakhiri_pada"] for row in agreements.values())
    statuses = set()
    for row in ten_thousand["Kegiatan"]:
        agreement = agreements[row["dokumen_nomor"]]
        assert row["bidang"] in _items(agreement["bidang"])
        last = agreement["diakhiri_pada"] or agreement["tanggal_berakhir"]
        assert agreement["tanggal_mulai"] <= row["tanggal_mulai"] <= last
        assert set(_items(row["prodi_kode"])) <= prodi
        assert set(_items(row["unit_kode"])) <= set(units)
        if row["status"] == "terlaksana":
            assert row["tanggal_mulai"].date() <= dt.date(2025, 12, 31)
        statuses.add(row["status"])
    assert statuses == {"rencana", "terlaksana", "batal"}
    for row in ten_thousand["Layanan"]:
        assert (row["mitra_kode"] in partners) if row["dari_mitra"] == fmt.YES else row["mitra_kode"] is None
        for later in ("direspons", "draf_dikirim", "ditindaklanjuti"):
            assert row[later] is None or row[later] > row["diterima"]
    for row in ten_thousand["Evaluasi"]:
        assert row["tahun"] == agreements[row["dokumen_nomor"]]["tanggal_mulai"].year


def test_the_same_size_writes_the_same_rows_and_is_kept(tmp_path: Path) -> None:
    size = TEN_THOUSAND.scaled(300)
    first = workbook_path(size, tmp_path)
    written = first.stat().st_mtime_ns
    assert workbook_path(size, tmp_path) == first
    assert first.stat().st_mtime_ns == written  # kept, not written again
    again = tmp_path / "again.xlsx"
    write_workbook(again, size)
    assert _sheets(again) == _sheets(first)
    other = workbook_path(Size(**{**size.__dict__, "seed": size.seed + 1}), tmp_path)
    assert other != first
    assert _sheets(other) != _sheets(first)


@pytest.mark.django_db
def test_a_small_workbook_imports_with_no_problem_and_then_changes_nothing(tmp_path: Path) -> None:
    size = Size(units=5, prodi=8, partners=20, agreements=30, activities=150, requests=15, evaluations=10)
    path = workbook_path(size, tmp_path)

    result = workbook_import(file=path, user=None)

    assert result.problems == []
    assert result.warnings == []
    assert result.saved
    created = {counts.sheet: counts.created for counts in result.counts}
    assert created == {sheet: getattr(size, name) for sheet, name in SIZE_OF_SHEET.items()}
    stored = (Unit, Prodi, Partner, Agreement, Activity, ServiceRequest, Evaluation)
    assert [model.objects.count() for model in stored] == [getattr(size, name) for name in SIZE_OF_SHEET.values()]
    assert Agreement.objects.filter(parent__isnull=False).count() == 25  # all but the five MoUs
    assert Activity.objects.filter(status="terlaksana").exists()

    again = workbook_import(file=path, user=None)

    assert again.problems == []
    assert {(c.sheet, c.created, c.updated) for c in again.counts} == {(sheet, 0, 0) for sheet in SIZE_OF_SHEET}
    assert sum(c.unchanged for c in again.counts) == size.rows

"""The LKPS tables written as XLSX: the sheets, the headings (row 4 the groups, row 5 the columns)
and the records from row 6, read back with openpyxl."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from simkerma.reports.framework import ReportParams, get_exporter
from simkerma.reports.renderers import render
from simkerma.reports.tests import lkps_data
from simkerma.reports.tests.lkps_data import FORMULA, PARTNERS_A, TS

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(prodi_if, jurusan_if, prodi_mb):
    return lkps_data.build(prodi_if, jurusan_if, prodi_mb)


def _workbook(key, params):
    output = io.BytesIO()
    render(get_exporter(key).build(params), "xlsx", output)
    output.seek(0)
    return load_workbook(output)


def _row(sheet, number):
    return [cell.value for cell in sheet[number]]


def test_iaps4_xlsx(data, prodi_if):
    workbook = _workbook("lkps_iaps4", ReportParams(TS, prodi=prodi_if))
    assert workbook.sheetnames == ["Tabel 1-1", "Tabel 1-2", "Tabel 1-3"]
    sheet = workbook["Tabel 1-1"]
    assert sheet["A1"].value == "Tabel 1-1. Kerjasama Pendidikan"
    assert sheet["A2"].value == "D3 Teknik Informatika — BAN-PT IAPS 4.0 — TS-2 = 2023, TS-1 = 2024, TS = 2025"
    assert _row(sheet, 4)[:5] == [None, None, "Tingkat", None, None]
    assert _row(sheet, 5) == [
        "No",
        "Lembaga Mitra",
        "Internasional",
        "Nasional",
        "Wilayah/Lokal",
        "Judul Kegiatan Kerjasama",
        "Manfaat bagi PS yang Diakreditasi",
        "Waktu dan Durasi",
        "Bukti Kerjasama",
        "Tahun Berakhirnya Kerjasama",
    ]
    assert _row(sheet, 6) == [
        1,
        PARTNERS_A,
        "V",
        None,
        None,
        "Kuliah tamu keamanan siber",
        "Materi kuliah diperbarui",
        "12/03/2024 – 14/03/2024 (1 tahun)",
        "https://bukti.example.id/a1",
        2027,
    ]
    # The partner named like a formula is written as text, never a formula.
    assert sheet["B6"].data_type == "s" and sheet["B6"].value.startswith(FORMULA)
    assert sheet.max_row == 6
    pkm = workbook["Tabel 1-3"]
    assert _row(pkm, 6)[:5] == [1, "PT Lokal Batam", None, None, "V"]
    assert pkm["I6"].value == "Hanya dokumen kerja sama 002/MOA.PL29/I/2023 (bukan bukti pelaksanaan)"
    assert pkm["J6"].value == 2024
    assert _row(pkm, 7)[:2] == [2, PARTNERS_A]


def test_lam_infokom_xlsx(data, prodi_if):
    workbook = _workbook("lkps_laminfokom", ReportParams(TS, prodi=prodi_if))
    assert workbook.sheetnames == ["3.C.1", "4.C.1"]
    sheet = workbook["3.C.1"]
    assert sheet["A1"].value == "3.C.1. Kerjasama Penelitian"
    assert "format belum terverifikasi" in sheet["A3"].value and "Ciri Khas PS" in sheet["A3"].value
    assert _row(sheet, 4)[5:8] == ["Pendanaan (Rp juta)", None, None]
    assert _row(sheet, 5) == [
        "No",
        "Judul Kerja Sama",
        "Mitra",
        "Sumber (L/N/I)",
        "Durasi (tahun)",
        "TS-2",
        "TS-1",
        "TS",
        "Ciri Khas PS (Ya/Tidak)",
        "Link Bukti",
    ]
    assert _row(sheet, 6) == [
        1,
        "Riset bersama sensor",
        PARTNERS_A,
        "I",
        2,
        15.0,
        2.5,
        None,
        "Tidak",
        "Laporan LPK-0001; https://dok.example.id/1",
    ]
    assert _row(workbook["4.C.1"], 6)[1:9] == ["Servis gratis", "PT Lokal Batam", "L", 1, None, None, None, "Ya"]


def test_lam_teknik_xlsx(data, jurusan_if):
    workbook = _workbook("lkps_lamteknik", ReportParams(TS, unit=jurusan_if))
    assert workbook.sheetnames == ["Tabel 2a1", "Tabel 2a2", "Tabel 2a3"]
    sheet = workbook["Tabel 2a1"]
    assert sheet["A2"].value == "Teknik Informatika — LAM Teknik (IAPS 2025) — TS-2 = 2023, TS-1 = 2024, TS = 2025"
    assert sheet["A3"].value == "format belum terverifikasi"
    assert _row(sheet, 5)[4] == "Lokal"
    # The jurusan's own activity first (01/03/2024), then the prodi's (12/03/2024).
    assert [sheet["F6"].value, sheet["F7"].value] == ["Magang jurusan", "Kuliah tamu keamanan siber"]
    assert [sheet["A6"].value, sheet["A7"].value] == [1, 2]


def test_an_empty_window_gives_headers_only(data, prodi_if):
    workbook = _workbook("lkps_iaps4", ReportParams(2019, prodi=prodi_if))
    for name in ("Tabel 1-1", "Tabel 1-2", "Tabel 1-3"):
        assert workbook[name]["B5"].value == "Lembaga Mitra"
        assert workbook[name].max_row == 5

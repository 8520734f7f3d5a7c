"""The LKPS selector and the three exporters' rows, against answers worked out by hand (lkps_data)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from simkerma.reports.framework import ReportParams, get_exporter
from simkerma.reports.lkps import LkpsSelection
from simkerma.reports.renderers import render
from simkerma.reports.tests import lkps_data
from simkerma.reports.tests.lkps_data import (
    A1_IAPS,
    A2_IAPS,
    A6_IAPS,
    B1_IAPS,
    B3_IAPS,
    PARTNERS_A,
    TS,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(prodi_if, jurusan_if, prodi_mb):
    return lkps_data.build(prodi_if, jurusan_if, prodi_mb)


def _rows(report):
    return {table.key: [list(row) for row in table.rows] for table in report.tables}


def test_iaps4_for_a_prodi_lists_what_was_carried_out_in_the_window(data, prodi_if):
    report = get_exporter("lkps_iaps4").build(ReportParams(TS, prodi=prodi_if))
    # a1 inherits the prodi from its agreement; a3 (cancelled), a4 (TS-3), a5 (TS+1), b2 (after
    # the agreement's termination) and b3 (the jurusan's only) are not listed.
    assert _rows(report) == {"Tabel 1-1": [A1_IAPS], "Tabel 1-2": [A2_IAPS], "Tabel 1-3": [B1_IAPS, A6_IAPS]}
    assert report.verified is True
    assert report.subtitle == "D3 Teknik Informatika — BAN-PT IAPS 4.0 — TS-2 = 2023, TS-1 = 2024, TS = 2025"


def test_iaps4_for_a_jurusan_adds_the_activities_counting_for_the_jurusan(data, jurusan_if):
    report = get_exporter("lkps_iaps4").build(ReportParams(TS, unit=jurusan_if))
    assert _rows(report) == {
        "Tabel 1-1": [B3_IAPS, A1_IAPS],
        "Tabel 1-2": [A2_IAPS],
        "Tabel 1-3": [B1_IAPS, A6_IAPS],
    }
    assert report.subtitle.startswith("Teknik Informatika — BAN-PT IAPS 4.0 — TS-2 = 2023")


def test_activities_whose_only_evidence_is_the_agreement_are_warned_of(data, prodi_if, jurusan_if):
    report = get_exporter("lkps_iaps4").build(ReportParams(TS, prodi=prodi_if))
    # b1 has no evidence and no report; a6's only report is superseded.
    assert [w.url for w in report.warnings] == [f"/kegiatan/{data.b1.pk}/", f"/kegiatan/{data.a6.pk}/"]
    assert "K-B1" in report.warnings[0].message and "Servis gratis" in report.warnings[0].message
    assert "002/MOA.PL29/I/2023" in report.warnings[0].message
    jurusan = get_exporter("lkps_iaps4").build(ReportParams(TS, unit=jurusan_if))
    assert [w.url for w in jurusan.warnings] == [f"/kegiatan/{pk}/" for pk in (data.b1.pk, data.b3.pk, data.a6.pk)]


def test_lam_teknik_rows_and_columns(data, prodi_if):
    report = get_exporter("lkps_lamteknik").build(ReportParams(TS, prodi=prodi_if))
    assert _rows(report) == {"Tabel 2a1": [A1_IAPS], "Tabel 2a2": [A2_IAPS], "Tabel 2a3": [B1_IAPS, A6_IAPS]}
    assert report.verified is False
    assert report.tables[0].header == [
        "No",
        "Lembaga Mitra",
        "Internasional",
        "Nasional",
        "Lokal",
        "Judul Kegiatan Kerja Sama",
        "Manfaat bagi PS",
        "Waktu dan Durasi",
        "Bukti Kerja Sama",
        "Tahun Berakhirnya Kerja Sama",
    ]


def test_lam_infokom_rows_with_funding_in_rp_juta(data, prodi_if):
    report = get_exporter("lkps_laminfokom").build(ReportParams(TS, prodi=prodi_if))
    rows = _rows(report)
    # a2's 2022 funding is outside the window; Rp 15,000,000 is 15.00 juta.
    assert rows["3.C.1"] == [
        [
            "Riset bersama sensor",
            PARTNERS_A,
            "I",
            2,
            Decimal("15.00"),
            Decimal("2.50"),
            None,
            "Tidak",
            "Laporan LPK-0001; https://dok.example.id/1",
        ]
    ]
    assert rows["4.C.1"] == [
        ["Servis gratis", "PT Lokal Batam", "L", 1, None, None, None, "Ya", B1_IAPS[7]],
        ["Pelatihan UMKM", PARTNERS_A, "I", 1, None, None, None, "Tidak", A6_IAPS[7]],
    ]
    assert report.verified is False
    assert "Ciri Khas PS" in report.tables[0].notes[0]
    # Only the research and community service tables: b1 and a6 are warned of, not an education row.
    assert len(report.warnings) == 2


def test_a_ts_with_no_data_gives_the_tables_without_rows(data, prodi_if):
    report = get_exporter("lkps_iaps4").build(ReportParams(2019, prodi=prodi_if))
    assert _rows(report) == {"Tabel 1-1": [], "Tabel 1-2": [], "Tabel 1-3": []}
    assert report.warnings == []


def test_the_selection_needs_a_prodi_or_a_jurusan(db):
    with pytest.raises(ValueError):
        LkpsSelection(ReportParams(TS))


def test_the_queries_do_not_grow_with_the_rows(data, prodi_if, jurusan_if, django_assert_num_queries):
    def export(key, params):
        report = get_exporter(key).build(params)
        render(report, "xlsx", io.BytesIO())

    # IAPS 4.0: the warnings, partners, reports and the three tables' rows; LAM INFOKOM adds funding
    # and has two tables.
    expected = {"lkps_iaps4": 6, "lkps_lamteknik": 6, "lkps_laminfokom": 6}
    for key, count in expected.items():
        for params in (ReportParams(TS, prodi=prodi_if), ReportParams(TS, unit=jurusan_if)):
            with django_assert_num_queries(count):
                export(key, params)
    lkps_data.add_many(data, 30)
    assert LkpsSelection(ReportParams(TS, prodi=prodi_if)).count() == 34
    for key, count in expected.items():
        for params in (ReportParams(TS, prodi=prodi_if), ReportParams(TS, unit=jurusan_if)):
            with django_assert_num_queries(count):
                export(key, params)

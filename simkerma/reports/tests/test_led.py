"""The LED's cooperation part on hand-built data: the rows of each table, the C.2 scores and the summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.models import Kind
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.archive.models import CooperationReport
from simkerma.archive.tests.factories import ReportFactory
from simkerma.core.choices import Field, Level
from simkerma.evaluations.tests.factories import EvaluationFactory
from simkerma.org.tests.factories import ProdiFactory
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.reports.framework import ReportParams, get_exporter
from simkerma.reports.led import NOT_EVALUATED, led_report

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def rows(report, key):
    table = next(t for t in report.tables if t.key == key)
    return list(table.iter_rows()), table


@pytest.fixture
def led_data(jurusan_if, jurusan_mb, prodi_if):
    """Three agreements of IF in force in 2025: A evaluated on all three aspects, B on benefit only,
    C not evaluated; one of MB, and one of IF that ended in 2024."""
    ProdiFactory(code="IF02", name="Rekayasa Perangkat Lunak", level="D4", unit=jurusan_if)
    a = AgreementFactory(
        number="001/MOU/2025",
        kind=Kind.MOU,
        units=[jurusan_if],
        partners=[PartnerFactory(name="PT Alfa")],
        level=Level.NASIONAL,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )
    b = AgreementFactory(
        number="002/MOA/2025",
        kind=Kind.MOA,
        prodi=[prodi_if],
        partners=[PartnerFactory(name="Universiti Beta", country="MY")],
        level=Level.INTERNASIONAL,
        start_date=dt.date(2025, 2, 1),
        end_date=dt.date(2027, 1, 31),
    )
    c = AgreementFactory(number="003/IA/2025", kind=Kind.IA, units=[jurusan_if], start_date=dt.date(2025, 3, 1))
    AgreementFactory(number="004/MOU/2025", units=[jurusan_mb])
    AgreementFactory(
        number="099/MOU/2020", units=[jurusan_if], start_date=dt.date(2020, 1, 1), end_date=dt.date(2024, 12, 31)
    )
    EvaluationFactory(agreement=a, year=2025, benefit=True, performance=True, kepuasan=4, keberlanjutan=True)
    EvaluationFactory(agreement=b, year=2025, benefit=True, performance=False, kepuasan=2, keberlanjutan=False)
    done = ActivityStatus.TERLAKSANA
    ActivityFactory(
        code="K1", title="Kuliah tamu", agreement=a, status=done, start_date=dt.date(2025, 3, 10), evidence="foto"
    )
    ActivityFactory(
        code="K2",
        title="Riset bersama",
        agreement=b,
        field=Field.PENELITIAN,
        status=done,
        start_date=dt.date(2025, 5, 2),
    )
    ActivityFactory(code="K3", agreement=c, status=ActivityStatus.BATAL, start_date=dt.date(2025, 4, 1))
    ActivityFactory(code="K4", agreement=a, status=done, start_date=dt.date(2024, 12, 31))
    return {"a": a, "b": b, "c": c}


def test_it_lists_the_units_agreements_in_force_in_the_year(led_data, jurusan_if):
    found, table = rows(led_report(jurusan_if, 2025), "Dokumen")
    assert table.header == ["No", "Nomor Dokumen", "Jenis", "Mitra", "Tingkat", "Mulai", "Berakhir", "Status"]
    assert found == [
        [
            1,
            "001/MOU/2025",
            "MoU",
            "PT Alfa",
            "Nasional",
            dt.date(2025, 1, 1),
            dt.date(2025, 12, 31),
            "Segera berakhir",
        ],
        [
            2,
            "002/MOA/2025",
            "MoA/PKS",
            "Universiti Beta",
            "Internasional",
            dt.date(2025, 2, 1),
            dt.date(2027, 1, 31),
            "Aktif",
        ],
        [3, "003/IA/2025", "IA", found[2][3], "Nasional", dt.date(2025, 3, 1), dt.date(2029, 12, 31), "Aktif"],
    ]


def test_it_lists_the_activities_carried_out_for_the_unit_in_the_year(led_data, jurusan_if):
    found, _table = rows(led_report(jurusan_if, 2025), "Kegiatan")
    assert found == [
        [1, "K1", "Kuliah tamu", "Pendidikan", "PT Alfa", dt.date(2025, 3, 10), "foto"],
        [2, "K2", "Riset bersama", "Penelitian", "Universiti Beta", dt.date(2025, 5, 2), ""],
    ]


def test_it_scores_each_agreement_from_its_evaluation(led_data, jurusan_if):
    found, table = rows(led_report(jurusan_if, 2025), "Skor C.2")
    assert found == [
        [1, "001/MOU/2025", True, True, True, 4, ""],
        [2, "002/MOA/2025", True, False, False, 2, ""],
        [3, "003/IA/2025", None, None, None, None, NOT_EVALUATED],
    ]
    # The average is over the evaluated agreements only: (4 + 2) / 2.
    assert table.footer == [["Rata-rata unit", None, None, None, Decimal("3.00"), ""]]


def test_it_scores_three_for_benefit_and_performance_without_satisfaction(led_data, jurusan_if):
    led_data["a"].evaluations.update(kepuasan=2)
    found, table = rows(led_report(jurusan_if, 2025), "Skor C.2")
    assert found[0][1:6] == ["001/MOU/2025", True, True, False, 3]
    assert table.footer[0][4] == Decimal("2.50")


def test_it_gives_the_kpi_figures_of_the_unit_as_the_summary(led_data, jurusan_if):
    summary = dict(led_report(jurusan_if, 2025).summary)
    assert summary["Kegiatan terlaksana bidang Pendidikan"] == 1
    assert summary["Kegiatan terlaksana bidang Penelitian"] == 1
    assert summary["Kegiatan terlaksana bidang PkM"] == 0
    assert summary["B.1.2.9.7 tercapai"] == "Tidak"
    assert summary["Prodi aktif"] == 2
    assert summary["Prodi yang bekerja sama"] == 1  # IF01 through agreement B; IF02 has none
    assert summary["Cakupan prodi (%)"] == 50.0
    assert summary["Prodi belum bekerja sama"] == "IF02"
    assert summary["Kerja sama yang dihitung (B.1.2.9.8)"] == 2
    assert summary["Aspek manfaat terpenuhi"] == 2
    assert summary["Aspek kinerja terpenuhi"] == 1
    assert summary["Aspek kepuasan dan keberlanjutan terpenuhi"] == 1
    assert summary["Skor rata-rata C.2"] == Decimal("3.00")


def test_it_lists_the_archived_led_reports_of_the_units_agreements_in_the_year(led_data, jurusan_if, jurusan_mb):
    archived_at = dt.datetime(2025, 6, 30, 18, tzinfo=dt.UTC)  # 1 July in Jakarta
    kept = {"status": CooperationReport.Status.ARCHIVED, "is_led_data": True, "archived_at": archived_at}
    ReportFactory(
        code="L2025-00001",
        title="Laporan kuliah tamu",
        agreement=led_data["a"],
        retention_until=dt.date(2030, 7, 1),
        **kept,
    )
    ReportFactory(code="L2025-00002", agreement=led_data["a"])  # a draft
    ReportFactory(
        code="L2025-00003", agreement=AgreementFactory(units=[jurusan_mb]), retention_until=dt.date(2030, 7, 1), **kept
    )
    ReportFactory(
        code="L2024-00009",
        agreement=led_data["b"],
        retention_until=dt.date(2029, 12, 31),
        **{**kept, "archived_at": dt.datetime(2024, 12, 31, 16, 59, tzinfo=dt.UTC)},  # 23:59 WIB, 2024
    )
    found, _table = rows(led_report(jurusan_if, 2025), "Bukti")
    assert found == [
        [1, "L2025-00001", 1, "Laporan kuliah tamu", "001/MOU/2025", dt.date(2025, 7, 1), dt.date(2030, 7, 1)]
    ]


def test_a_year_without_data_gives_empty_tables_with_headings(jurusan_if):
    report = led_report(jurusan_if, 1990)
    assert [t.key for t in report.tables] == ["Dokumen", "Kegiatan", "Skor C.2", "Bukti"]
    assert all(list(t.iter_rows()) == [] for t in report.tables)
    assert dict(report.summary)["Skor rata-rata C.2"] == "-"
    assert report.all_notices[0] == "format belum terverifikasi"


def test_the_exporter_builds_the_unit_report(led_data, jurusan_if):
    exporter = get_exporter("led")
    report = exporter.build(ReportParams(year=2025, unit=jurusan_if))
    assert report.subtitle == "IF Teknik Informatika, tahun 2025"
    assert exporter.filename(ReportParams(year=2025, unit=jurusan_if), "pdf") == "led-IF-2025.pdf"


def _consume(report):
    for table in report.tables:
        list(table.iter_rows())


def test_it_costs_the_same_queries_for_few_and_many_rows(led_data, jurusan_if, django_assert_num_queries):
    timezone.activate("Asia/Jakarta")
    with django_assert_num_queries(17) as few:
        _consume(led_report(jurusan_if, 2025))
    for n in range(6):
        agreement = AgreementFactory(units=[jurusan_if], partners=[PartnerFactory(), PartnerFactory()])
        EvaluationFactory(agreement=agreement, year=2025)
        ActivityFactory(agreement=agreement, status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 8, n + 1))
        ReportFactory(
            agreement=agreement,
            status=CooperationReport.Status.ARCHIVED,
            is_led_data=True,
            archived_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
            retention_until=dt.date(2030, 9, 1),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        report = led_report(jurusan_if, 2025)
        assert len(list(report.tables[0].iter_rows())) == 9
        for table in report.tables[1:]:
            list(table.iter_rows())

"""IKU 2023 on data whose answer is worked out by hand below."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import override_settings

from simkerma.activities.models import ActivityStatus
from simkerma.activities.reporting import CooperationForm
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.partners.models import PartnerCategory
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.reports.framework import ReportParams, get_exporter
from simkerma.reports.iku import iku2023
from simkerma.reports.renderers import render

DONE = ActivityStatus.TERLAKSANA


def category(code, weight):
    found = PartnerCategory.objects.get(code=code)
    found.weight = weight
    found.save()
    return found


@pytest.fixture
def world(db):
    """Three qualifying prodi (IF-D3, IF-D4, MB-D3), an S2 prodi and one closed before 2025.

    IF-D3 counts: X1 (inherited from AG1, multinational partner, weight 1.0) and X11 (UMKM, 0.3).
    IF-D4 counts: X2 (UMKM, 0.3). MB-D3 does not: X3 cancelled, X4 after its agreement ended early,
    X5's partner has no category, X6 has no form, X7 is in 2024, X9's partner category does not
    qualify. IF-D3's X10 is in a form that does not qualify. X8 is for the S2 prodi.
    """
    jurusan_if, jurusan_mb = UnitFactory(code="JIF", name="Informatika"), UnitFactory(code="JMB", name="Bisnis")
    p1 = ProdiFactory(code="IFD3", level="D3", name="Teknik Informatika", unit=jurusan_if)
    p2 = ProdiFactory(code="IFD4", level="D4", name="Rekayasa Perangkat Lunak", unit=jurusan_if)
    p3 = ProdiFactory(code="MBD3", level="D3", name="Akuntansi", unit=jurusan_mb)
    s2 = ProdiFactory(code="IFS2", level="S2", name="Teknik Komputer", unit=jurusan_if)
    ProdiFactory(code="OLD", level="D3", name="Tutup", unit=jurusan_mb, active_until=2024)
    multinational, umkm = category("multinasional", Decimal("1.00")), category("umkm", Decimal("0.30"))
    other = PartnerCategory.objects.create(code="lain", name="Lainnya", qualifies_iku=False)
    internship = CooperationForm.objects.get(code="magang_1_semester")
    visit = CooperationForm.objects.create(code="kunjungan", name="Kunjungan", qualifies_iku=False)
    pa = PartnerFactory(name="PT Global", ministry_category=multinational)
    pb = PartnerFactory(name="UD Kecil", ministry_category=umkm)
    pc = PartnerFactory(name="CV Tanpa Kategori")
    pd = PartnerFactory(name="Yayasan Lain", ministry_category=other)
    ag1 = AgreementFactory(partners=[pa], prodi=[p1], start_date=dt.date(2024, 1, 1))
    ag2 = AgreementFactory(partners=[pb], prodi=[p2])
    ag3 = AgreementFactory(partners=[pa], prodi=[p3], terminated_on=dt.date(2025, 4, 1))
    ag4 = AgreementFactory(partners=[pc], prodi=[p3])
    ag5 = AgreementFactory(partners=[pd], prodi=[p3])

    def act(code, agreement, day, *, status=DONE, form=internship, prodi=None):
        return ActivityFactory(
            code=code, agreement=agreement, start_date=day, status=status, cooperation_form=form, prodi=prodi
        )

    return {
        "prodi": (p1, p2, p3, s2),
        "x": {
            "X1": act("X1", ag1, dt.date(2025, 3, 10)),
            "X2": act("X2", ag2, dt.date(2025, 5, 1), prodi=[p2]),
            "X3": act("X3", ag2, dt.date(2025, 6, 1), status=ActivityStatus.BATAL, prodi=[p3]),
            "X4": act("X4", ag3, dt.date(2025, 6, 10)),
            "X5": act("X5", ag4, dt.date(2025, 7, 1)),
            "X6": act("X6", ag1, dt.date(2025, 8, 1), form=None, prodi=[p3]),
            "X7": act("X7", ag1, dt.date(2024, 11, 1), prodi=[p3]),
            "X8": act("X8", ag1, dt.date(2025, 9, 1), prodi=[s2]),
            "X9": act("X9", ag5, dt.date(2025, 9, 2)),
            "X10": act("X10", ag1, dt.date(2025, 10, 1), form=visit),
            "X11": act("X11", ag2, dt.date(2025, 11, 1), prodi=[p1]),
        },
    }


def test_it_counts_qualifying_prodi_without_weights(world):
    data = iku2023(2025, weighted=False)
    # Qualifying: IFD3, IFD4, MBD3 (S2 and the closed prodi left out); counted: IFD3 and IFD4.
    assert [r.prodi.code for r in data.prodi] == ["IFD3", "IFD4", "MBD3"]
    assert [r.counted for r in data.prodi] == [True, True, False]
    assert [[c.code for c in r.qualifying] for r in data.prodi] == [["X1", "X11"], ["X2"], []]
    # 2 / 3 * 100 = 66.666… → 66.7
    assert data.percentage == 66.7


def test_it_weighs_each_prodi_by_its_best_category(world):
    data = iku2023(2025, weighted=True)
    # IFD3: max(1.0, 0.3) = 1.0; IFD4: 0.3; MBD3: 0 → (1.0 + 0.3 + 0) / 3 * 100 = 43.33… → 43.3
    assert [r.value(True) for r in data.prodi] == [Decimal("1.00"), Decimal("0.30"), Decimal("0")]
    assert data.percentage == 43.3


def test_it_lists_activities_missing_a_form_or_category(world):
    data = iku2023(2025, weighted=False)
    # X5: its partner has no category; X6: no form. X9's category is set and does not qualify.
    assert [c.code for c in data.incomplete()] == ["X5", "X6"]


def test_it_gives_none_without_qualifying_prodi(db):
    data = iku2023(2025)
    assert data.qualifying_count == 0
    assert data.percentage is None


@override_settings(SIMKERMA_IKU_WEIGHTS=False)
def test_it_writes_the_report_in_xlsx(world):
    report = get_exporter("iku2023").build(ReportParams(year=2025))
    out = io.BytesIO()
    render(report, "xlsx", out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=4, values_only=True)}
    assert summary["Program studi terhitung"] == 2
    assert summary["Persentase IKU (%)"] == 66.7
    assert summary["Cara hitung"].startswith("tanpa bobot")
    prodi = list(book["IKU per PS"].iter_rows(min_row=6, values_only=True))
    assert prodi[0] == (1, "IFD3", "D3", "Teknik Informatika", "Informatika", "Ya", 2, "Perusahaan multinasional", 1)
    assert prodi[2][1] == "MBD3" and prodi[2][5] == "Tidak" and prodi[2][7] is None
    evidence = list(book["Bukti"].iter_rows(min_row=6, values_only=True))
    assert [(row[1], row[2]) for row in evidence] == [
        ("D3 Teknik Informatika", "X1"),
        ("D3 Teknik Informatika", "X11"),
        ("D4 Rekayasa Perangkat Lunak", "X2"),
    ]
    assert evidence[0][5:8] == (
        "PT Global",
        "Perusahaan multinasional",
        "Magang/praktik kerja paling sedikit satu semester",
    )
    missing = list(book["Perlu dilengkapi"].iter_rows(min_row=6, values_only=True))
    assert [(row[1], row[5]) for row in missing] == [
        ("X5", "kategori mitra: CV Tanpa Kategori"),
        ("X6", "bentuk kerja sama"),
    ]
    assert "X5" in report.warnings[0].message and "CV Tanpa Kategori" in report.warnings[0].message
    assert [w.url for w in report.warnings] == [
        f"/kegiatan/{world['x']['X5'].pk}/ubah/",
        f"/kegiatan/{world['x']['X6'].pk}/ubah/",
    ]


@override_settings(SIMKERMA_IKU_WEIGHTS=True)
def test_it_names_the_weighted_mode(world):
    report = get_exporter("iku2023").build(ReportParams(year=2025))
    summary = dict(report.summary)
    assert summary["Persentase IKU (%)"] == 43.3
    assert summary["Cara hitung"].startswith("berbobot")


def test_it_caps_the_warnings(db):
    unit = UnitFactory(code="JX")
    prodi = ProdiFactory(code="PX", level="D3", unit=unit)
    agreement = AgreementFactory(partners=[PartnerFactory()], prodi=[prodi])
    for n in range(23):
        ActivityFactory(code=f"W{n:02d}", agreement=agreement, start_date=dt.date(2025, 2, 1), status=DONE)
    report = get_exporter("iku2023").build(ReportParams(year=2025))
    assert len(report.warnings) == 21
    assert "3" in report.warnings[-1].message and report.warnings[-1].url == ""


def _consume(report):
    return [list(table.iter_rows()) for table in report.tables]


def test_its_queries_do_not_grow_with_the_rows(world, django_assert_num_queries):
    exporter = get_exporter("iku2023")
    # Prodi, the scope rows with their activities and forms, and the agreements' partners.
    with django_assert_num_queries(3):
        few = _consume(exporter.build(ReportParams(year=2025)))
    unit = UnitFactory(code="JY")
    partner = PartnerFactory(ministry_category=PartnerCategory.objects.get(code="umkm"))
    form = CooperationForm.objects.get(code="tefa")
    for n in range(12):
        prodi = ProdiFactory(code=f"M{n:02d}", level="D4", unit=unit)
        agreement = AgreementFactory(partners=[partner, PartnerFactory()], prodi=[prodi])
        for m in range(3):
            ActivityFactory(agreement=agreement, start_date=dt.date(2025, 4, m + 1), status=DONE, cooperation_form=form)
    with django_assert_num_queries(3):
        many = _consume(exporter.build(ReportParams(year=2025)))
    assert len(many[0]) == len(few[0]) + 12
    assert len(many[1]) == len(few[1]) + 36


def test_it_writes_formula_like_text_as_text(world):
    activity = world["x"]["X1"]
    activity.title = '=HYPERLINK("http://x.test")'
    activity.save(update_fields=["title"])
    out = io.BytesIO()
    render(get_exporter("iku2023").build(ReportParams(year=2025)), "xlsx", out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Bukti"]
    cell = sheet.cell(row=6, column=4)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x.test")', "s")

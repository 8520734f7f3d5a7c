"""The accreditation score estimate, checked against arithmetic done by hand in the comments."""

import datetime as dt
import io

import openpyxl
import pytest
from django.test import override_settings

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.choices import Field, Level
from simkerma.evaluations.tests.factories import EvaluationFactory
from simkerma.org.models import LecturerCount
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.reports.framework import ReportParams, get_exporter
from simkerma.reports.renderers import render
from simkerma.reports.score import Factors, Inputs, count_inputs, estimate, score_b

DONE = ActivityStatus.TERLAKSANA
IAPS = Factors(a=3, b=2, c=1, ni=2, nn=6, nw=9, source="uji")


@pytest.fixture
def prodi(db):
    unit = UnitFactory(code="JS")
    p = ProdiFactory(code="SD3", level="D3", name="Teknik Elektro", unit=unit)
    other = ProdiFactory(code="SD4", level="D4", unit=unit)
    start = dt.date(2022, 1, 1)
    national = AgreementFactory(level=Level.NASIONAL, prodi=[p], start_date=start)
    international = AgreementFactory(level=Level.INTERNASIONAL, prodi=[p], start_date=start)
    regional = AgreementFactory(level=Level.WILAYAH, prodi=[other], start_date=start)
    ended = AgreementFactory(level=Level.NASIONAL, prodi=[p], start_date=start, terminated_on=dt.date(2024, 1, 1))

    def act(agreement, day, field, status=DONE, prodi=None):
        ActivityFactory(agreement=agreement, start_date=day, field=field, status=status, prodi=prodi)

    act(national, dt.date(2023, 3, 1), Field.PENDIDIKAN)  # N1, NN
    act(international, dt.date(2024, 5, 1), Field.PENDIDIKAN)  # N1, NI
    act(national, dt.date(2025, 2, 1), Field.PENELITIAN)  # N2, NN
    act(regional, dt.date(2025, 6, 1), Field.PKM, prodi=[p])  # N3, NW: named on the activity
    act(regional, dt.date(2025, 7, 1), Field.PKM, prodi=[p])  # N3, NW
    act(regional, dt.date(2025, 7, 2), Field.PKM)  # the other prodi's (inherited), not this one's
    act(national, dt.date(2025, 8, 1), Field.PENDIDIKAN, ActivityStatus.BATAL)  # cancelled
    act(national, dt.date(2022, 12, 1), Field.PENDIDIKAN)  # before TS-2
    act(ended, dt.date(2024, 3, 1), Field.PENELITIAN)  # after its agreement ended early
    LecturerCount.objects.create(prodi=p, year=2025, ndtps=6)
    LecturerCount.objects.create(prodi=p, year=2024, ndtps=10)
    EvaluationFactory(agreement=national, year=2024, effectiveness=3)
    EvaluationFactory(agreement=international, year=2025, effectiveness=4)
    EvaluationFactory(agreement=international, year=2022, effectiveness=1)  # before TS-2
    return p


def test_it_counts_the_inputs_over_the_window(prodi):
    inputs = count_inputs(prodi, 2025)
    assert (inputs.n1, inputs.n2, inputs.n3) == (2, 1, 2)
    assert (inputs.ni, inputs.nn, inputs.nw) == (1, 2, 2)
    assert inputs.ndtps == 6
    # (3 + 4) / 2 = 3.5 over the two evaluations of 2024 and 2025.
    assert (inputs.effectiveness, inputs.evaluations) == (3.5, 2)


def test_it_estimates_the_score_by_the_matriks(prodi):
    result = estimate(count_inputs(prodi, 2025), IAPS)
    # a·N1 + b·N2 + c·N3 = 3·2 + 2·1 + 1·2 = 10; RK = 10 / 6 = 1.6667; A = min(1.6667, 4) = 1.6667
    assert result.weighted == (6, 2, 2)
    assert result.rk == pytest.approx(10 / 6)
    assert result.score_a == pytest.approx(10 / 6)
    # NI = 1 < 2, NN = 2 < 6, NI > 0: B = 2 + 2·(1/2) + 2/6 - (1·2)/(2·6) = 3 + 1/3 - 1/6 = 3.1667
    assert result.score_b == pytest.approx(19 / 6)
    # (2·10/6 + 19/6) / 3 = (39/6) / 3 = 13/6 = 2.1667
    assert result.score == pytest.approx(13 / 6)


@pytest.mark.parametrize(
    ("ni", "nn", "nw", "expected"),
    [
        (2, 0, 0, 4.0),  # NI ≥ 2
        (1, 6, 0, 3.5),  # NN ≥ 6: 3 + 1/2
        (0, 3, 0, 2.5),  # 2 + 0 + 3/6 - 0
        (0, 0, 9, 2.0),  # NW ≥ 9
        (0, 0, 3, 2 / 3),  # 2·3/9
        (0, 0, 0, 0.0),
    ],
)
def test_it_scores_the_levels(ni, nn, nw, expected):
    assert score_b(ni, nn, nw, IAPS)[0] == pytest.approx(expected)


def test_it_caps_rk_at_four():
    # RK = 3·20 / 5 = 12 → A = 4; B = 4 (NI = 2); score = (8 + 4) / 3 = 4
    result = estimate(Inputs(n1=20, n2=0, n3=0, ni=2, nn=0, nw=0, ndtps=5), IAPS)
    assert (result.rk, result.score_a, result.score) == (12, 4, 4)


def test_it_gives_no_score_without_lecturers():
    result = estimate(Inputs(n1=1, n2=0, n3=0, ni=0, nn=1, nw=0, ndtps=None), IAPS)
    assert (result.rk, result.score_a, result.score) == (None, None, None)


def test_it_writes_every_step_for_both_variants(prodi):
    report = get_exporter("score_estimate").build(ReportParams(year=2025, prodi=prodi))
    assert not report.verified and not report.warnings
    out = io.BytesIO()
    render(report, "xlsx", out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    summary = [row for row in book["Ringkasan"].iter_rows(min_row=4, values_only=True)]
    assert summary[0] == ("Status", "Perkiraan, bukan nilai resmi")
    assert summary[1][1] == pytest.approx(13 / 6)
    assert "IAPS 4.0" in summary[2][1]
    sheet = book["Perkiraan skor"]
    assert [cell.value for cell in sheet[5]] == [
        "Besaran",
        "Rumus / Keterangan",
        "Nilai (BAN-PT IAPS 4.0)",
        "Nilai (LAMDIK 2025)",
    ]
    steps = {row[0]: row[2:] for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert steps["NDTPS"] == (6, 6)
    assert steps["RK"] == (1.6667, 1.6667)
    assert steps["B"] == (3.1667, 3.1667)
    assert steps["Skor"] == (2.1667, 2.1667)
    # E only for LAMDIK: the mean effectiveness 3.5.
    assert steps["E"] == (None, 3.5)
    assert "belum terverifikasi" in sheet["A3"].value


def test_it_warns_when_ndtps_is_missing(db):
    prodi = ProdiFactory(code="NOL", level="D4", unit=UnitFactory(code="JN"))
    report = get_exporter("score_estimate").build(ReportParams(year=2025, prodi=prodi))
    assert [w.url for w in report.warnings] == ["/organisasi/dosen-tetap/?year=2025"]
    assert "NOL" in report.warnings[0].message
    assert dict(report.summary)["Skor kerja sama, BAN-PT IAPS 4.0 (perkiraan, bukan nilai resmi)"] is None


@override_settings(
    SIMKERMA_ACCREDITATION_FACTORS={"iaps4": {"D3": {"a": 2, "b": 1, "c": 1, "ni": 1, "nn": 3, "nw": 6, "source": "X"}}}
)
def test_it_takes_the_factors_from_the_settings(prodi):
    report = get_exporter("score_estimate").build(ReportParams(year=2025, prodi=prodi))
    table = report.tables[0]
    assert [c.label for c in table.columns][2:] == ["Nilai (BAN-PT IAPS 4.0)"]
    steps = {row[0]: row[2] for row in table.iter_rows()}
    # 2·2 + 1·1 + 1·2 = 7; RK = 7/6 = 1.1667; B: NI = 1 ≥ 1 → 4; (2·7/6 + 4) / 3 = 2.1111
    assert (steps["RK"], steps["B"], steps["Skor"]) == (1.1667, 4.0, 2.1111)


def _consume(report):
    return [list(table.iter_rows()) for table in report.tables]


def test_its_queries_do_not_grow_with_the_rows(prodi, django_assert_num_queries):
    exporter = get_exporter("score_estimate")
    # The counts, NDTPS, and the evaluations.
    with django_assert_num_queries(3):
        _consume(exporter.build(ReportParams(year=2025, prodi=prodi)))
    agreement = AgreementFactory(prodi=[prodi], start_date=dt.date(2023, 1, 1))
    for n in range(20):
        ActivityFactory(agreement=agreement, start_date=dt.date(2024, 1, n + 1), status=DONE)
    with django_assert_num_queries(3):
        rows = _consume(exporter.build(ReportParams(year=2025, prodi=prodi)))[0]
    assert {row[0]: row[2] for row in rows}["N1"] == 22

"""IKU 5 and IKU 7 (2025) on data whose answer is worked out by hand below."""

import datetime as dt
import io

import openpyxl
import pytest

from simkerma.activities.models import ActivityStatus
from simkerma.activities.reporting import ActivityOutput
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.reports.framework import ReportParams, get_exporter
from simkerma.reports.iku import iku5, iku7
from simkerma.reports.renderers import render

DONE = ActivityStatus.TERLAKSANA


def output(activity, used_on, title="Prototipe"):
    return ActivityOutput.objects.create(
        activity=activity, title=title, kind="produk", evidence_link="https://bukti.test/x", used_on=used_on
    )


@pytest.fixture
def activities(db):
    """A1 (TW1) used in TW2; A2 (TW1) used in TW1; A3 (TW2) no output; A4 (TW2) used in 2026;
    A5 cancelled; A6 in 2024; A7 (TW4) used in TW4; A8 under an agreement ended before it."""
    agreement = AgreementFactory(partners=[PartnerFactory(name="PT Pakai")], start_date=dt.date(2024, 1, 1))
    ended = AgreementFactory(terminated_on=dt.date(2025, 2, 1))

    def act(code, day, status=DONE, on=agreement):
        return ActivityFactory(code=code, agreement=on, start_date=day, status=status)

    a = {
        "A1": act("A1", dt.date(2025, 2, 10)),
        "A2": act("A2", dt.date(2025, 3, 1)),
        "A3": act("A3", dt.date(2025, 4, 15)),
        "A4": act("A4", dt.date(2025, 5, 1)),
        "A5": act("A5", dt.date(2025, 6, 1), ActivityStatus.BATAL),
        "A6": act("A6", dt.date(2024, 12, 1)),
        "A7": act("A7", dt.date(2025, 10, 1)),
        "A8": act("A8", dt.date(2025, 3, 3), on=ended),
    }
    output(a["A1"], dt.date(2025, 5, 5), "Modul A1")
    output(a["A1"], dt.date(2025, 8, 1), "Modul A1 kedua")
    output(a["A2"], dt.date(2025, 3, 20), "Aplikasi A2")
    output(a["A4"], dt.date(2026, 1, 10), "Terlambat A4")
    output(a["A5"], dt.date(2025, 6, 10), "Batal A5")
    output(a["A6"], dt.date(2025, 1, 5), "Lama A6")
    output(a["A7"], dt.date(2025, 11, 1), "Layanan A7")
    output(a["A8"], dt.date(2025, 3, 10), "Tak berlaku A8")
    return a


def figures(ratios):
    return [(r.label, r.cooperations, r.used, r.percentage) for r in ratios]


def test_it_gives_each_quarter_and_the_year_to_date(activities):
    data = iku5(2025)
    # Own TW: TW1 A1, A2 (A2 used by 31/3) → 1/2; TW2 A3, A4 (A4 used only in 2026) → 0/2;
    # TW3 none → no figure; TW4 A7 used → 1/1.
    assert figures(data.quarters) == [
        ("TW1", 2, 1, 50.0),
        ("TW2", 2, 0, 0.0),
        ("TW3", 0, 0, None),
        ("TW4", 1, 1, 100.0),
    ]
    # Year to date: by 30/6 A1 (used 5/5) and A2 of A1..A4 → 2/4; the year: A1, A2, A7 of 5 → 60.0.
    assert figures(data.to_date) == [
        ("TW1–TW1", 2, 1, 50.0),
        ("TW1–TW2", 4, 2, 50.0),
        ("TW1–TW3", 4, 2, 50.0),
        ("TW1–TW4", 5, 3, 60.0),
    ]
    assert data.period.percentage == 60.0


def test_it_stops_at_the_quarter_asked_for(activities):
    data = iku5(2025, 2)
    assert [r.label for r in data.quarters] == ["TW1", "TW2"]
    assert (data.period.label, data.period.percentage) == ("TW2", 0.0)
    assert data.to_date[-1].percentage == 50.0


def test_it_counts_sdg_goals_of_agreements_in_force(db):
    AgreementFactory(sdg_goals=["sdg4", "sdg17"], number="A/1")
    AgreementFactory(sdg_goals=["sdg17"], number="A/2", start_date=dt.date(2023, 1, 1), end_date=dt.date(2025, 1, 1))
    AgreementFactory(sdg_goals=["sdg9"], number="A/3")
    AgreementFactory(sdg_goals=["sdg17"], start_date=dt.date(2020, 1, 1), end_date=dt.date(2024, 12, 31))
    AgreementFactory(sdg_goals=["sdg17"], terminated_on=dt.date(2025, 1, 1))
    data = iku7(2025)
    # In force in 2025: A/1, A/2 (until 1/1), A/3; the one ended in 2024 and the one ended on 1/1 are not.
    assert data.agreements == 3
    assert data.sdg17_count == 2
    assert (data.per_sdg["sdg4"], data.per_sdg["sdg9"], data.per_sdg["sdg1"]) == (1, 1, 0)
    assert [row[0] for row in data.sdg17] == ["A/2", "A/1"]


def test_it_writes_the_outputs_of_the_period(activities):
    AgreementFactory(sdg_goals=["sdg17"], number="S/17")
    report = get_exporter("iku2025").build(ReportParams(year=2025, quarter=2))
    out = io.BytesIO()
    render(report, "xlsx", out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=4, values_only=True)}
    assert summary["IKU 5 TW2 (%)"] == 0
    assert summary["IKU 5 TW1–TW2 (%)"] == 50
    assert summary["IKU 7: dokumen SDG 17"] == 1
    # Used by 30/6, of the activities from January: A2's (20/3) then A1's first (5/5).
    rows = list(book["Luaran"].iter_rows(min_row=6, values_only=True))
    assert [(r[1], r[3], r[4], r[5], r[9]) for r in rows] == [
        ("A2", "TW1", "PT Pakai", "Aplikasi A2", "TW1"),
        ("A1", "TW1", "PT Pakai", "Modul A1", "TW2"),
    ]
    ratios = list(book["IKU 5"].iter_rows(min_row=6, values_only=True))
    assert [r[0] for r in ratios] == ["TW1", "TW2", "TW1–TW1", "TW1–TW2"]
    sdg = {r[0]: r[2] for r in book["IKU 7 SDG"].iter_rows(min_row=6, values_only=True)}
    assert sdg["SDG17"] == 1 and len(sdg) == 17


def _consume(report):
    return [list(table.iter_rows()) for table in report.tables]


def test_its_queries_do_not_grow_with_the_rows(activities, django_assert_num_queries):
    exporter = get_exporter("iku2025")
    # IKU 5's activities, IKU 7's agreements, and the outputs with the agreements' partners.
    with django_assert_num_queries(4):
        few = _consume(exporter.build(ReportParams(year=2025)))
    for n in range(15):
        agreement = AgreementFactory(sdg_goals=["sdg17"], partners=[PartnerFactory(), PartnerFactory()])
        activity = ActivityFactory(agreement=agreement, start_date=dt.date(2025, 7, n + 1), status=DONE)
        output(activity, dt.date(2025, 9, 1))
    with django_assert_num_queries(4):
        many = _consume(exporter.build(ReportParams(year=2025)))
    assert len(many[1]) == len(few[1]) + 15
    assert len(many[3]) == len(few[3]) + 15

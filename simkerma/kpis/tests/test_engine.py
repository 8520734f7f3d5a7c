"""The KPI report on hand-built data (see data.py for every figure worked out by hand)."""

from __future__ import annotations

import json

import pytest

from simkerma.core.choices import Field
from simkerma.evaluations.selectors import Judgement
from simkerma.kpis import engine
from simkerma.kpis.tests import data
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return data.build_all()


def test_it_reports_the_year_exactly_as_computed_by_hand(world):
    assert engine.kpi_report(2025, now=data.NOW) == data.EXPECTED_2025


def test_the_report_is_json_with_the_contracts_keys_and_types(world):
    report = json.loads(json.dumps(engine.kpi_report(2025, now=data.NOW)))
    assert list(report) == ["year", "prodi_coverage", "unit_fields", "service_times", "aspects"]
    assert list(report["prodi_coverage"]) == ["active", "covered", "percent", "target", "met", "uncovered"]
    assert list(report["service_times"]) == ["draft_1d", "response_15m", "followup_1d"]
    assert list(report["aspects"]) == ["counted", "not_evaluated", "benefit", "performance", "satisfaction"]
    assert isinstance(report["prodi_coverage"]["target"], float)


def test_the_deadlines_cross_the_weekend_the_holidays_and_the_night(world):
    from simkerma.servicedesk.models import ServiceRequest

    r1, r2, r3 = (ServiceRequest.objects.get(code=code) for code in ("R1", "R2", "R3"))
    assert r1.response_due_at == data.wib(2025, 11, 17, 8, 10)  # Friday 15:55 + 15 minutes → Monday
    assert r2.draft_due_at == data.wib(2025, 12, 29, 10, 0)  # 6 h on the 24th; 25th, 26th, weekend off
    assert r3.followup_due_at == data.wib(2025, 11, 18, 16, 0)  # in at night: a whole Tuesday


def test_a_year_without_data_gives_zeros_and_nulls(world):
    report = engine.kpi_report(1995, now=data.NOW)
    empty_unit = {"pendidikan": 0, "penelitian": 0, "pkm": 0, "met": False, "levels": data.NO_LEVELS}
    assert report == {
        "year": 1995,
        # IF03 was active from 2020 and IF02 from 2026: three prodi were always active.
        "prodi_coverage": {
            "active": 3,
            "covered": 0,
            "percent": 0.0,
            "target": 80.0,
            "met": False,
            "uncovered": ["IF01", "MB01", "MB02"],
        },
        "unit_fields": {
            "IF": {**empty_unit, "expected": ["pendidikan", "penelitian", "pkm"]},
            "MB": {**empty_unit, "expected": ["pendidikan", "penelitian", "pkm"]},
            "P3M": {**empty_unit, "expected": ["penelitian", "pkm"]},
        },
        "service_times": {
            "draft_1d": {"met": 0, "breached": 0, "pending": 0, "percent": None},
            "response_15m": {"met": 0, "breached": 0, "pending": 0, "percent": None},
            "followup_1d": {"met": 0, "breached": 0, "pending": 0, "percent": None},
        },
        "aspects": {
            "counted": 0,
            "not_evaluated": [],
            "benefit": {"met": 0, "percent": None},
            "performance": {"met": 0, "percent": None},
            "satisfaction": {"met": 0, "percent": None},
        },
    }


def test_an_empty_database_gives_nulls_for_every_percentage():
    report = engine.kpi_report(2025)
    assert report["prodi_coverage"] == {
        "active": 0,
        "covered": 0,
        "percent": None,
        "target": 80.0,
        "met": False,
        "uncovered": [],
    }
    assert report["unit_fields"] == {}
    assert report["aspects"]["benefit"] == {"met": 0, "percent": None}


def test_the_next_year_counts_prodi_active_then(world):
    # 2026: active IF01, IF02, MB01, MB02 (IF03 ended in 2025). K12 covers IF02; K11 names IF03,
    # inactive, which still counts for IF.
    report = engine.kpi_report(2026, now=data.NOW)
    assert report["prodi_coverage"] == {
        "active": 4,
        "covered": 1,
        "percent": 25.0,
        "target": 85.0,
        "met": False,
        "uncovered": ["IF01", "MB01", "MB02"],
    }
    assert {field: report["unit_fields"]["IF"][field] for field in Field.values} == {
        "pendidikan": 1,
        "penelitian": 1,
        "pkm": 0,
    }
    assert report["aspects"]["counted"] == 1
    assert report["aspects"]["not_evaluated"] == ["MoA-2025-001"]


@pytest.mark.parametrize(
    ("year", "target"),
    [(2020, 80.0), (2025, 80.0), (2026, 85.0), (2028, 95.0), (2029, 100.0), (2040, 100.0)],
)
def test_the_coverage_target_steps_up_to_100(year, target):
    assert engine.coverage_target(year) == target


def test_the_target_comes_from_the_settings(settings):
    settings.SIMKERMA_KPI_COVERAGE_BASE_YEAR = 2024
    settings.SIMKERMA_KPI_COVERAGE_BASE = 70
    settings.SIMKERMA_KPI_COVERAGE_STEP = 2.5
    assert engine.coverage_target(2026) == 75.0


def test_coverage_met_is_percent_at_least_target(world, settings):
    settings.SIMKERMA_KPI_COVERAGE_BASE = 75
    assert engine.prodi_coverage(2025)["met"] is True
    settings.SIMKERMA_KPI_COVERAGE_BASE = 75.01
    assert engine.prodi_coverage(2025)["met"] is False


def test_the_satisfaction_threshold_is_a_setting(world, settings):
    settings.SIMKERMA_KPI_SATISFACTION_THRESHOLD = 4
    # 001 has kepuasan 4; 003's 3 from the survey no longer meets it.
    assert engine.aspects(2025)["satisfaction"] == {"met": 1, "percent": 33.33}


def test_percentages_round_half_up():
    assert engine.rounded_percent(1, 32) == 3.13  # 3.125
    assert engine.rounded_percent(2, 3) == 66.67
    assert engine.rounded_percent(1, 8) == 12.5
    assert engine.rounded_percent(0, 5) == 0.0
    assert engine.rounded_percent(0, 0) is None


def judgement(benefit=None, performance=None, kepuasan=None, keberlanjutan=None):
    return Judgement(
        benefit=benefit,
        performance=performance,
        kepuasan=kepuasan,
        keberlanjutan=keberlanjutan,
        kepuasan_from_survey=False,
        keberlanjutan_from_survey=False,
    )


@pytest.mark.parametrize(
    ("value", "score"),
    [
        (judgement(True, True, 3, True), 4),
        (judgement(True, True, 4, False), 3),
        (judgement(True, True, 2, True), 3),
        (judgement(True, False, 4, True), 2),
        (judgement(True, None, None, None), 2),
        (judgement(False, True, 4, True), 1),
        (judgement(None, None, None, None), 1),
        (None, 1),
    ],
)
def test_the_led_score(value, score):
    assert engine.led_quality_score(value) == score


def test_the_engine_pins_its_queries_with_few_rows_and_many(world, django_assert_num_queries):
    with django_assert_num_queries(7):
        few = engine.kpi_report(2025, now=data.NOW, cache=False)
    more = data.build_agreements_many(world, 40)
    for index in range(30):
        ServiceRequestFactory(code=f"RX{index}", received_at=data.wib(2025, 11, 20, 9, 0))
    with django_assert_num_queries(7):
        many = engine.kpi_report(2025, now=data.NOW, cache=False)
    assert many["aspects"]["counted"] == few["aspects"]["counted"] + more
    assert many["service_times"]["response_15m"]["breached"] == 31


def test_the_trend_gives_each_year_in_five_queries(world, django_assert_num_queries):
    with django_assert_num_queries(5):
        rows = engine.trend([2026, 2024, 2025], now=data.NOW, cache=False)
    assert rows == [
        {
            "year": 2024,
            # Active in 2024: IF01, IF03, MB01, MB02; none named by K10 (003 names no prodi).
            "prodi_coverage": {"active": 4, "covered": 0, "percent": 0.0, "target": 80.0, "met": False},
            # 003 is counted (K10); its 2024 evaluation meets only the benefit.
            "aspects": {"counted": 1, "benefit": 100.0, "performance": 0.0, "satisfaction": 0.0},
            "service_times": {"draft_1d": None, "response_15m": None, "followup_1d": None},
        },
        {
            "year": 2025,
            "prodi_coverage": {"active": 4, "covered": 3, "percent": 75.0, "target": 80.0, "met": False},
            "aspects": {"counted": 3, "benefit": 66.67, "performance": 33.33, "satisfaction": 66.67},
            "service_times": {"draft_1d": 100.0, "response_15m": 75.0, "followup_1d": 0.0},
        },
        {
            "year": 2026,
            "prodi_coverage": {"active": 4, "covered": 1, "percent": 25.0, "target": 85.0, "met": False},
            "aspects": {"counted": 1, "benefit": 0.0, "performance": 0.0, "satisfaction": 0.0},
            "service_times": {"draft_1d": None, "response_15m": None, "followup_1d": None},
        },
    ]


def test_the_trend_agrees_with_the_report_of_each_year(world):
    for row in engine.trend(range(2023, 2028), now=data.NOW):
        report = engine.kpi_report(row["year"], now=data.NOW)
        coverage = report["prodi_coverage"]
        assert row["prodi_coverage"] == {key: coverage[key] for key in row["prodi_coverage"]}
        assert row["aspects"] == {
            "counted": report["aspects"]["counted"],
            **{aspect: report["aspects"][aspect]["percent"] for aspect in engine.ASPECTS},
        }
        assert row["service_times"] == {clock: v["percent"] for clock, v in report["service_times"].items()}


def test_the_trend_of_no_years_is_empty():
    assert engine.trend([]) == []


def test_the_coverage_trend_is_the_trends_coverage_in_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = engine.coverage_trend([2026, 2025, 2024, 1995], cache=False)
    assert rows == [
        {"year": year, "prodi_coverage": row["prodi_coverage"]}
        for year, row in ((row["year"], row) for row in engine.trend([1995, 2024, 2025, 2026], now=data.NOW))
    ]
    assert [row["prodi_coverage"]["percent"] for row in rows] == [0.0, 0.0, 75.0, 25.0]
    assert engine.coverage_trend([]) == []

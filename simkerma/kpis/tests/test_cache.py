"""The KPI figures served from the cache are the figures computed afresh, after every kind of write.

Each case warms the cache, writes, and compares the report with the one computed with the cache
bypassed; and checks that the write changed the figure it should (so a stale cache would fail).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.activities.scope import rebuild_scope
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.core.choices import Field
from simkerma.core.versions import versions
from simkerma.evaluations.tests.factories import EvaluationFactory, SurveyInvitationFactory
from simkerma.kpis import engine
from simkerma.kpis.tests import data
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db
S = ActivityStatus


@pytest.fixture
def world():
    return data.build_all()


def cached_report(year: int = 2025) -> dict[str, Any]:
    return engine.kpi_report(year, now=data.NOW)


def fresh_report(year: int = 2025) -> dict[str, Any]:
    return engine.kpi_report(year, now=data.NOW, cache=False)


def _new_activity(w, staff):
    data.activity("K20", w["A2"], Field.PENELITIAN, S.TERLAKSANA, dt.date(2025, 9, 1), prodi=[w["MB01"]])


def _activity_moved_to_carried_out(w, staff):
    Activity.objects.get(code="K9").move(S.TERLAKSANA, user=staff, imported=True)


def _activity_cancelled(w, staff):
    ActivityFactory(code="K21", agreement=w["A2"], field=Field.PKM, start_date=dt.date(2025, 10, 1))
    cached_report()  # the planned activity counts for nothing yet; cached again
    Activity.objects.get(code="K21").move(S.BATAL, user=staff, reason="Mitra membatalkan")


def _activity_start_date_changed(w, staff):
    k4 = Activity.objects.get(code="K4")
    k4.start_date = dt.date(2026, 7, 1)
    k4.save()


def _activity_prodi_changed(w, staff):
    Activity.objects.get(code="K4").prodi.set([w["MB01"]])


def _agreement_units_changed(w, staff):
    w["A2"].units.add(w["P3M"])


def _agreement_prodi_changed(w, staff):
    w["A2"].prodi.set([w["MB01"]])


def _agreement_terminated(w, staff):
    w["A1"].terminated_on = dt.date(2025, 3, 1)
    w["A1"].save()


def _agreement_dates_changed(w, staff):
    w["A2"].start_date = dt.date(2025, 8, 1)
    w["A2"].save()


def _prodi_active_years_changed(w, staff):
    w["MB01"].active_until = 2024
    w["MB01"].save()


def _unit_expected_fields_changed(w, staff):
    w["MB"].expected_fields = [Field.PENDIDIKAN]
    w["MB"].save()


def _evaluation_saved(w, staff):
    EvaluationFactory(agreement=w["A2"], year=2025, benefit=True, performance=True, kepuasan=4, keberlanjutan=True)


def _survey_answered(w, staff):
    invitation = SurveyInvitationFactory(agreement=w["A3"], year=2025)
    cached_report()  # sent, not answered: nothing changes; cached again
    invitation.answered_at = data.NOW
    invitation.satisfaction = invitation.communication = invitation.usefulness = 1
    invitation.intends_to_continue = True
    invitation.save()


def _bulk_insert_then_rebuild(w, staff):
    built = ActivityFactory.build(
        code="K22", agreement=w["A2"], field=Field.PKM, status=S.TERLAKSANA, start_date=dt.date(2025, 9, 9)
    )
    Activity.objects.bulk_create([built])  # around the model: no signal
    rebuild_scope()


def covered(report):
    return report["prodi_coverage"]["covered"]


# (write, what it changes: before, after -> bool)
CASES: dict[str, tuple[Callable[..., None], Callable[[dict, dict], bool]]] = {
    "activity created": (_new_activity, lambda b, a: covered(a) == covered(b) + 1),
    "activity moved to carried out": (
        _activity_moved_to_carried_out,
        lambda b, a: a["unit_fields"]["P3M"]["pkm"] == b["unit_fields"]["P3M"]["pkm"] + 1,
    ),
    "activity start date moved out of the year": (
        _activity_start_date_changed,
        lambda b, a: a["prodi_coverage"]["uncovered"] == ["MB01", "MB02"] and a["aspects"]["counted"] == 2,
    ),
    "activity prodi changed": (_activity_prodi_changed, lambda b, a: a["prodi_coverage"]["uncovered"] == ["MB02"]),
    "agreement units changed": (
        _agreement_units_changed,
        lambda b, a: a["unit_fields"]["P3M"]["pendidikan"] == b["unit_fields"]["P3M"]["pendidikan"] + 1,
    ),
    "agreement prodi changed": (_agreement_prodi_changed, lambda b, a: a["prodi_coverage"]["uncovered"] == ["MB02"]),
    "agreement terminated": (
        _agreement_terminated,
        lambda b, a: "IF01" in a["prodi_coverage"]["uncovered"] and a["aspects"]["counted"] == 2,
    ),
    "agreement dates changed": (_agreement_dates_changed, lambda b, a: a["aspects"]["counted"] == 2),
    "prodi active years changed": (_prodi_active_years_changed, lambda b, a: a["prodi_coverage"]["active"] == 3),
    "unit expected fields changed": (
        _unit_expected_fields_changed,
        lambda b, a: a["unit_fields"]["MB"]["expected"] == ["pendidikan"],
    ),
    "evaluation saved": (_evaluation_saved, lambda b, a: a["aspects"]["not_evaluated"] == []),
    # 003's kepuasan comes from its surveys: (3 + 2) / 2 rounds to 3, (3 + 2 + 1) / 3 is 2.
    "survey answered": (
        _survey_answered,
        lambda b, a: a["aspects"]["satisfaction"]["met"] == b["aspects"]["satisfaction"]["met"] - 1,
    ),
    "bulk insert then rebuild_scope": (
        _bulk_insert_then_rebuild,
        lambda b, a: a["unit_fields"]["MB"]["pkm"] == b["unit_fields"]["MB"]["pkm"] + 1,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_after_each_kind_of_write_the_cached_report_is_the_fresh_one(world, staff, case):
    write, changed = CASES[case]
    before = cached_report()
    assert before == fresh_report()
    write(world, staff)
    after = cached_report()
    assert after == fresh_report()
    assert after != before
    assert changed(before, after)


def test_a_cancelled_planned_activity_leaves_the_figures_as_they_were_and_fresh(world, staff):
    before = cached_report()
    _activity_cancelled(world, staff)
    assert cached_report() == fresh_report() == before


def test_a_rolled_back_write_leaves_the_cached_report_valid(world, staff):
    before = cached_report()
    stamp = versions(engine.DEPENDS_ON)
    with pytest.raises(RuntimeError), transaction.atomic():
        _agreement_terminated(world, staff)
        assert cached_report() == fresh_report() != before  # inside: the write is seen
        raise RuntimeError("rolled back")
    world["A1"].refresh_from_db()
    assert versions(engine.DEPENDS_ON) == stamp
    assert cached_report() == fresh_report() == before


def test_the_service_times_stay_live_while_the_rest_is_cached(world):
    before = cached_report()
    ServiceRequestFactory(code="RX", received_at=data.wib(2025, 11, 20, 9, 0))  # not watched: no bump
    after = cached_report()
    assert after["service_times"]["response_15m"]["breached"] == before["service_times"]["response_15m"]["breached"] + 1
    assert after == fresh_report()


def test_a_setting_the_figures_depend_on_is_part_of_the_key(world, settings):
    before = cached_report()
    settings.SIMKERMA_KPI_COVERAGE_BASE = 70
    after = cached_report()
    assert after == fresh_report()
    assert (before["prodi_coverage"]["target"], after["prodi_coverage"]["target"]) == (80.0, 70.0)


def test_the_trend_and_coverage_trend_follow_a_write(world, staff):
    years = [2024, 2025, 2026]
    engine.trend(years, now=data.NOW)
    engine.coverage_trend(years)
    _agreement_prodi_changed(world, staff)
    assert engine.trend(years, now=data.NOW) == engine.trend(years, now=data.NOW, cache=False)
    assert engine.coverage_trend(years) == engine.coverage_trend(years, cache=False)
    assert engine.coverage_trend(years)[1]["prodi_coverage"]["covered"] == 3  # MB01 for MB02


@pytest.mark.parametrize("extra", [0, 12])
def test_a_cached_report_takes_two_queries_with_few_rows_or_many(world, extra, django_assert_num_queries):
    data.build_agreements_many(world, extra)
    cached_report()
    # The data versions, and the service times (always live).
    with django_assert_num_queries(2):
        cached_report()

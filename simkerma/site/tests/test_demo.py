import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from simkerma.accounts.models import Role, User
from simkerma.activities import scope
from simkerma.activities.models import Activity, ActivityFunding, ActivityOutput
from simkerma.agreements.models import Agreement
from simkerma.core.dates import WIB
from simkerma.evaluations.models import Evaluation, MonitoringRecord, SurveyInvitation
from simkerma.kpis.engine import kpi_report
from simkerma.org.models import LecturerCount, Prodi, Unit
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import Breach, ServiceRequest
from simkerma.site.demo import DEMO_PASSWORD, load_demo
from simkerma.site.demo_agreements import AGREEMENTS

# The demo is built relative to today; the tests load it on a fixed day (a Wednesday, in working hours).
TODAY = dt.datetime(2026, 12, 2, 9, 30, tzinfo=WIB)


@pytest.fixture
def on_demo_day():
    with time_machine.travel(TODAY, tick=False):
        yield


class RolledBack(Exception):
    pass


def _snapshot():
    """The demo's history as plain values (no primary keys), to compare two loads."""
    return (
        list(
            Activity.objects.order_by("code").values_list("code", "title", "start_date", "status", "agreement__number")
        ),
        list(
            ServiceRequest.objects.order_by("code").values_list(
                "code", "kind", "from_partner", "received_at", "responded_at", "draft_sent_at", "followed_up_at"
            )
        ),
        sorted(Breach.objects.values_list("request__code", "clock", "reason")),
        list(
            Evaluation.objects.order_by("agreement__number", "year").values_list(
                "agreement__number", "year", "kepuasan"
            )
        ),
        sorted(SurveyInvitation.objects.values_list("agreement__number", "email", "satisfaction", "reminded_at")),
    )


@pytest.mark.django_db
def test_it_loads_the_demo_institution_into_an_empty_database_once(capsys, client, on_demo_day):
    # The same day gives the same history: the demo draws from one seeded generator.
    with pytest.raises(RolledBack), transaction.atomic():
        load_demo()
        first = _snapshot()
        raise RolledBack
    assert not Unit.objects.exists()

    call_command("load_demo", "--if-empty")
    out = capsys.readouterr().out
    assert _snapshot() == first

    assert Unit.objects.filter(kind="jurusan").count() == 4
    assert Prodi.objects.count() == 21
    # What the official reports need: categories, forms, outputs, funding, SDG goals and NDTPS.
    assert Partner.objects.filter(ministry_category__isnull=False).count() == 11
    assert Partner.objects.get(code="M00007").ministry_category.code == "startup_teknologi"
    assert Activity.objects.filter(cooperation_form__isnull=False).exists()
    assert Activity.objects.filter(cooperation_form__isnull=True, kind="magang").exists()
    assert ActivityOutput.objects.exists() and ActivityFunding.objects.exists()
    assert Agreement.objects.filter(sdg_goals__contains="sdg17").exists()
    assert LecturerCount.objects.values("prodi").distinct().count() == 20
    assert set(Prodi.objects.filter(unit__code="IF").values_list("instrument", flat=True)) == {"laminfokom"}
    assert set(Unit.objects.values_list("code", flat=True)) >= {"IF", "EL", "TM", "MB", "P3M", "HUMAS"}
    assert Unit.objects.get(code="P3M").expected_fields == ["penelitian", "pkm"]
    assert not Unit.objects.filter(is_demo=False).exists()
    assert not Prodi.objects.filter(is_demo=False).exists()
    assert not Partner.objects.filter(is_demo=False).exists()
    assert not Agreement.objects.filter(is_demo=False).exists()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    staff = User.objects.get(username="staf")
    assert staff.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="direktur").check_password(DEMO_PASSWORD)
    assert "staf" in out and DEMO_PASSWORD in out
    # MoU -> MoA -> IA trees; two ended early, some expire within weeks, five shown publicly.
    assert Agreement.objects.count() == len(AGREEMENTS) == 30
    assert Agreement.objects.filter(kind="ia", parent__kind="moa", parent__parent__kind="mou").count() == 4
    assert not Agreement.objects.filter(kind="moa").exclude(parent__kind="mou").exists()
    assert Agreement.objects.exclude(terminated_on=None).count() == 2
    ends = set(Agreement.objects.filter(end_date__gt=TODAY.date()).values_list("end_date", flat=True))
    assert {TODAY.date() + dt.timedelta(days=20), TODAY.date() + dt.timedelta(days=45)} <= ends
    assert Agreement.objects.filter(is_public=True).count() == 5
    # The prodi opened last year is active in two of the three years.
    assert Prodi.objects.get(code="EL06").active_from == 2025
    assert Activity.objects.filter(start_date__year=2024).exists()
    assert Activity.objects.filter(status="batal").count() >= 6
    assert Activity.objects.filter(status__in=["rencana", "dikoordinasikan"], start_date__gt=TODAY.date()).exists()
    assert scope.stored_rows() == scope.computed_rows()

    requests = ServiceRequest.objects.count()
    activities = Activity.objects.count()
    assert requests > 100
    call_command("load_demo", "--if-empty")

    assert "not loaded" in capsys.readouterr().out
    assert Agreement.objects.count() == 30
    assert Activity.objects.count() == activities
    assert ServiceRequest.objects.count() == requests
    assert User.objects.count() == len(Role.values) + 1  # two coordinators

    _assert_kpis_have_shape()
    _assert_requests_evaluations_and_surveys()

    client.force_login(staff)
    assert 'class="demo-banner"' in client.get("/").content.decode()
    Unit.objects.update(is_demo=False)
    assert 'class="demo-banner"' not in client.get("/").content.decode()

    # After the load the scope table follows every change again.
    moved = Activity.objects.carried_out_in(2026).order_by("pk").first()
    moved.prodi.set([Prodi.objects.get(code="TM02")])
    assert scope.stored_rows() == scope.computed_rows()
    assert "TM02" not in kpi_report(2026)["prodi_coverage"]["uncovered"]


def _assert_kpis_have_shape():
    reports = {year: kpi_report(year) for year in (2024, 2025, 2026)}
    coverage = {year: report["prodi_coverage"] for year, report in reports.items()}
    # Each year's uncovered prodi are the demo's by construction (EL06 opened in 2025).
    assert (coverage[2024]["active"], coverage[2024]["covered"]) == (20, 17)
    assert coverage[2024]["uncovered"] == ["IF06", "MB05", "TM02"]
    assert (coverage[2025]["active"], coverage[2025]["covered"], coverage[2025]["percent"]) == (21, 16, 76.19)
    assert coverage[2025]["uncovered"] == ["EL03", "IF03", "IF06", "MB05", "TM02"]
    assert (coverage[2026]["covered"], coverage[2026]["percent"]) == (19, 90.48)
    assert coverage[2026]["uncovered"] == ["MB05", "TM02"]
    # Below the target in 2025 (80), above it in 2026 (85).
    assert (coverage[2025]["met"], coverage[2026]["met"]) == (False, True)
    for year, report in reports.items():
        units = report["unit_fields"]
        assert set(units) == {"EL", "IF", "MB", "TM", "P3M"}
        # MB carried out no research in 2024, TM none in 2025; every other unit covers its fields.
        gaps = {2024: {"MB"}, 2025: {"TM"}, 2026: set()}[year]
        assert {code for code, row in units.items() if not row["met"]} == gaps
        for code in gaps:
            assert units[code]["penelitian"] == 0 and units[code]["pendidikan"] > 0
        for name, clock in report["service_times"].items():
            assert clock["met"] > 0 and clock["breached"] > 0, (year, name)
            assert 50 < clock["percent"] < 100
        aspects = report["aspects"]
        assert aspects["counted"] > 10
        assert len(aspects["not_evaluated"]) == 2
        for name in ("benefit", "performance", "satisfaction"):
            assert 0 < aspects[name]["met"] < aspects["counted"]
    # The requests that came in just now are still running.
    assert reports[2026]["service_times"]["response_15m"]["pending"] == 2


def _assert_requests_evaluations_and_surveys():
    breaches = Breach.objects.all()
    assert breaches.exclude(reason="").exists()
    # Only this year's breaches may still wait for their reason.
    assert {b.deadline.astimezone(WIB).year for b in breaches.filter(reason="")} == {2026}
    assert {b.deadline.astimezone(WIB).year for b in breaches} == {2024, 2025, 2026}
    assert not ServiceRequest.objects.filter(received_at__gt=TODAY).exists()
    # Past years' evaluations are archived for five years; this year's are still open.
    assert not Evaluation.objects.filter(year__lt=2026, archived_at=None).exists()
    assert {e.retention_until.year for e in Evaluation.objects.filter(year=2024)} == {2030}
    assert not Evaluation.objects.filter(year=2026).exclude(archived_at=None).exists()
    # Four of this year's evaluations leave kepuasan to the partners' survey answers.
    surveyed = Evaluation.objects.filter(year=2026, kepuasan=None)
    assert surveyed.count() == 4
    answered = SurveyInvitation.objects.exclude(answered_at=None)
    assert set(answered.values_list("agreement_id", flat=True)) == set(surveyed.values_list("agreement_id", flat=True))
    assert SurveyInvitation.objects.filter(answered_at=None).exclude(reminded_at=None).count() >= 1
    assert SurveyInvitation.objects.filter(answered_at=None, reminded_at=None).exists()
    assert MonitoringRecord.objects.filter(year=2026).count() == Activity.objects.carried_out_in(2026).count()


@pytest.mark.django_db
def test_it_refuses_to_load_the_demo_over_real_data(jurusan_if):
    with pytest.raises(SystemExit):
        call_command("load_demo")
    assert not Unit.objects.filter(is_demo=True).exists()

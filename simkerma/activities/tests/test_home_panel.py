"""What waits for each role on the home page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory

from simkerma.activities.selectors import waiting_for
from simkerma.activities.tests.factories import ActivityFactory, FollowUpTaskFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.archive.tests.factories import ReportFactory

D = dt.date
TODAY = D(2026, 11, 27)
# At most a page and a count for each of five lists, the overdue count, and the versions under which
# the team's reports to write are cached.
PANEL_QUERIES = 12

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agreement_if, agreement_mb, jurusan_if, jurusan_mb, coordinator, staff):
    reported = ActivityFactory(agreement=agreement_if, status="dilaporkan")
    report = ReportFactory(agreement=agreement_if, activities=[reported])
    busy = ActivityFactory(agreement=agreement_if, status="dikoordinasikan")
    return {
        "plan_if": ActivityFactory(agreement=agreement_if, status="rencana", start_date=D(2026, 12, 5)),
        "plan_mb": ActivityFactory(agreement=agreement_mb, status="rencana", start_date=D(2026, 12, 1)),
        "done_if": ActivityFactory(agreement=agreement_if, status="terlaksana", start_date=D(2026, 11, 1)),
        "done_mb": ActivityFactory(agreement=agreement_mb, status="terlaksana", start_date=D(2026, 11, 2)),
        "report": report,
        "overdue": FollowUpTaskFactory(activity=busy, assignee=coordinator, due_date=D(2026, 11, 20)),
        "due_soon": FollowUpTaskFactory(activity=busy, assignee=coordinator, due_date=D(2026, 12, 2)),
        "far": FollowUpTaskFactory(activity=busy, assignee=coordinator, due_date=D(2027, 1, 20)),
        "done_task": FollowUpTaskFactory(
            activity=busy,
            assignee=coordinator,
            due_date=D(2026, 11, 1),
            done_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
        ),
        "expiring_if": AgreementFactory(units=[jurusan_if], start_date=D(2024, 1, 1), end_date=D(2027, 1, 15)),
        "expiring_mb": AgreementFactory(units=[jurusan_mb], start_date=D(2024, 1, 1), end_date=D(2027, 2, 1)),
    }


def test_it_gives_the_kapokja_the_plans_to_coordinate(kapokja, world):
    waiting = waiting_for(kapokja, TODAY)
    assert waiting.to_coordinate.items == [world["plan_mb"], world["plan_if"]]
    assert waiting.reports_to_write.items == [world["done_if"], world["done_mb"]]
    assert waiting.reports_to_archive.items == [world["report"]]


def test_the_teams_reports_to_write_follow_a_report_filed_and_an_activity_carried_out(staff, world, agreement_if):
    assert waiting_for(staff, TODAY).reports_to_write.items == [world["done_if"], world["done_mb"]]
    ReportFactory(agreement=agreement_if, activities=[world["done_if"]])
    assert waiting_for(staff, TODAY).reports_to_write.items == [world["done_mb"]]
    later = ActivityFactory(agreement=agreement_if, status="terlaksana", start_date=D(2026, 11, 3))
    assert waiting_for(staff, TODAY).reports_to_write.items == [world["done_mb"], later]
    world["report"].activities.add(world["done_mb"])
    assert waiting_for(staff, TODAY).reports_to_write.items == [later]


def test_it_gives_staff_reports_to_write_and_to_archive_but_no_plans(staff, world):
    waiting = waiting_for(staff, TODAY)
    assert waiting.to_coordinate is None
    assert waiting.reports_to_write.items == [world["done_if"], world["done_mb"]]
    assert waiting.reports_to_archive.count == 1
    assert set(waiting.expiring.items) == {world["expiring_if"], world["expiring_mb"]}


def test_it_gives_a_coordinator_their_units_reports_their_tasks_and_agreements(coordinator, world):
    waiting = waiting_for(coordinator, TODAY)
    assert waiting.to_coordinate is None
    assert waiting.reports_to_archive is None
    assert waiting.reports_to_write.items == [world["done_if"]]
    assert waiting.tasks.items == [world["overdue"], world["due_soon"]]
    assert waiting.overdue_tasks == 1
    assert waiting.expiring.items == [world["expiring_if"]]


def test_it_gives_readers_only_expiring_agreements_and_outsiders_nothing(auditor, outsider, world):
    waiting = waiting_for(auditor, TODAY)
    assert (waiting.to_coordinate, waiting.reports_to_write, waiting.reports_to_archive) == (None, None, None)
    assert waiting.expiring.count == 2
    assert waiting_for(outsider, TODAY).is_empty


def test_it_counts_beyond_the_rows_it_shows(kapokja, agreement_if):
    for _ in range(8):
        ActivityFactory(agreement=agreement_if, status="rencana")
    waiting = waiting_for(kapokja, TODAY)
    assert (len(waiting.to_coordinate.items), waiting.to_coordinate.count) == (5, 8)


def render_panel(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load activities_panel %}{% activities_home_panel %}").render(Context({"request": request}))


@time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False)
@pytest.mark.parametrize("role", ["kapokja", "staff", "coordinator"])
def test_it_renders_the_panel_in_a_fixed_number_of_queries(
    request, role, world, agreement_if, django_assert_max_num_queries
):
    user = request.getfixturevalue(role)
    with django_assert_max_num_queries(PANEL_QUERIES):
        html = render_panel(user)
    assert 'id="waiting-panel"' in html
    for _ in range(20):
        ActivityFactory(agreement=agreement_if, status="rencana")
        ActivityFactory(agreement=agreement_if, status="terlaksana")
        ReportFactory(agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if, status="dilaporkan")])
        FollowUpTaskFactory(assignee=user, due_date=D(2026, 11, 1))
        AgreementFactory(units=[user.unit] if user.unit else [], start_date=D(2024, 1, 1), end_date=D(2027, 1, 1))
    with django_assert_max_num_queries(PANEL_QUERIES):
        html = render_panel(user)
    assert "/kegiatan/tugas/" in html

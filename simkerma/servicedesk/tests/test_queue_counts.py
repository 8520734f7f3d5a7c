"""The queue's and the home panel's counts of breached and due-soon requests: read through each
clock's index of open requests, cached until a write or the next pending clock running out, and
always the same as counting the rows by the definitions."""

from __future__ import annotations

import datetime as dt

import pytest

from simkerma.accounts.tests.factories import UserFactory
from simkerma.servicedesk.models import RequestKind, ServiceRequest
from simkerma.servicedesk.selectors import (
    RequestFilters,
    due_soon_requests,
    home_panel,
    next_clock_change,
    overdue_requests,
    queue_counts,
    request_list,
    request_list_count,
)
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 27, 10, 0)  # a Friday, 08:00-16:00; a first response is due 15 minutes after


@pytest.fixture
def requests(kapokja):
    """Breached, due soon, still running, answered and discarded requests at NOW."""
    return {
        # Unanswered since 09:00: its first response ran out at 09:15.
        "breached": ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 0)),
        # A partner's draft request of Thursday, answered at once: draft and follow-up both ran out
        # at 09:00 today; one request, counted once.
        "two_clocks": ServiceRequestFactory(
            received_at=wib(2026, 11, 26, 9, 0),
            kind=RequestKind.NEW_DRAFT,
            document_kind="mou",
            from_partner=True,
            responded_at=wib(2026, 11, 26, 9, 5),
        ),
        # In at 09:47: 80% of its 15 minutes used at 09:59, due at 10:02.
        "soon": ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 47)),
        # In at 09:55: due soon at 10:07, due at 10:10.
        "running": ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 55)),
        "answered": ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 0), responded_at=wib(2026, 11, 27, 9, 5)),
        "discarded": ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 0), discarded_at=NOW),
        "someone_elses": ServiceRequestFactory(received_at=wib(2026, 11, 27, 8, 30), assigned_to=kapokja),
    }


def by_definition(now: dt.datetime) -> dict[str, object]:
    """The same figures counted row by row, from the clocks' own columns."""
    counted = list(ServiceRequest.objects.counted())

    def state(request: ServiceRequest, test) -> bool:
        return any(
            getattr(request, done) is None and getattr(request, late) is not None and test(request, prefix)
            for prefix, done, late in (
                ("response", "responded_at", "response_late_after"),
                ("draft", "draft_sent_at", "draft_late_after"),
                ("followup", "followed_up_at", "followup_late_after"),
            )
        )

    def late(request: ServiceRequest, prefix: str) -> bool:
        return getattr(request, f"{prefix}_late_after") < now

    def soon(request: ServiceRequest, prefix: str) -> bool:
        return getattr(request, f"{prefix}_soon_at") <= now <= getattr(request, f"{prefix}_late_after")

    return {
        "overdue": {r.code for r in counted if state(r, late)},
        "soon": {r.code for r in counted if state(r, soon)},
        "open": sum(1 for r in counted if r.next_due_at is not None),
    }


def test_breached_due_soon_and_running_requests_are_counted_apart(requests, staff):
    counts = queue_counts(NOW)
    expected = by_definition(NOW)
    assert expected["overdue"] == {requests[n].code for n in ("breached", "two_clocks", "someone_elses")}
    assert counts.overdue == 3
    assert {r.code for r in overdue_requests(NOW)} == expected["overdue"]
    assert [r.code for r in due_soon_requests(NOW)] == [requests["soon"].code] == list(expected["soon"])
    assert counts.open == expected["open"] == 5  # breached, two clocks, soon, running, someone else's
    assert counts.in_progress == 1  # the draft request
    for filters, expected_count in (
        (RequestFilters(), 6),  # every counted request
        (RequestFilters(open_only=True), 5),
        (RequestFilters(kind=RequestKind.NEW_DRAFT), 1),
        (RequestFilters(q="Permintaan"), 6),
    ):
        assert request_list_count(user=staff, filters=filters) == expected_count
        assert request_list(user=staff, filters=filters).count() == expected_count


def test_due_soon_requests_come_in_deadline_order(requests):
    later = ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 48))
    assert [r.code for r in due_soon_requests(NOW)] == [requests["soon"].code, later.code]


def test_the_cached_counts_follow_the_clock_without_a_write(requests):
    assert next_clock_change(NOW) == requests["soon"].response_late_after == wib(2026, 11, 27, 10, 2)
    assert queue_counts(NOW).overdue == 3
    assert queue_counts(wib(2026, 11, 27, 10, 2)).overdue == 3  # the last on-time moment
    at = wib(2026, 11, 27, 10, 3)
    assert queue_counts(at).overdue == len(by_definition(at)["overdue"]) == 4
    at = wib(2026, 11, 27, 10, 11)
    assert queue_counts(at).overdue == len(by_definition(at)["overdue"]) == 5
    assert next_clock_change(at) is None  # nothing pending any more


def test_a_write_changes_the_cached_counts_at_once(requests, staff):
    assert queue_counts(NOW).overdue == 3
    assert request_list_count(user=staff, filters=RequestFilters()) == 6
    ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 58))
    assert request_list_count(user=staff, filters=RequestFilters()) == 7
    breached = requests["breached"]
    breached.responded_at = wib(2026, 11, 27, 9, 30)
    breached.refresh_next_due()
    breached.save()
    counts = queue_counts(NOW)
    assert (counts.overdue, counts.open) == (2, 5)
    discarded = requests["discarded"]
    discarded.discarded_at = None
    discarded.save()
    assert queue_counts(NOW).overdue == 3


def test_the_home_panel_counts_mine_and_unassigned_breached_requests(requests, staff, kapokja):
    panel = home_panel(staff, now=NOW)
    assert panel["overdue_count"] == 2  # someone else's is not theirs
    assert {row.request.code for row in panel["overdue"]} == {requests[n].code for n in ("breached", "two_clocks")}
    assert [row.request.code for row in panel["due_soon"]] == [requests["soon"].code]
    assert panel["due_soon_count"] == 1
    assert home_panel(kapokja, now=NOW)["overdue_count"] == 3  # theirs and the unassigned ones
    later = wib(2026, 11, 27, 10, 3)  # the one due soon ran out
    assert home_panel(staff, now=later)["overdue_count"] == 3


def test_deleting_a_user_puts_their_requests_on_everyone_s_panel(requests, staff):
    other = UserFactory(username="other-staff", role=staff.role)
    ServiceRequestFactory(received_at=wib(2026, 11, 27, 8, 0), assigned_to=other)
    assert home_panel(staff, now=NOW)["overdue_count"] == 2
    other.delete()  # their request is unassigned by one UPDATE, without a save
    assert home_panel(staff, now=NOW)["overdue_count"] == 3

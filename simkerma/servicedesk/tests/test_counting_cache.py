"""Service-time figures are cached until a request is written or the next pending clock runs out."""

from __future__ import annotations

import datetime as dt

import pytest

from simkerma.servicedesk.selectors import service_times
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
RECEIVED = wib(2026, 11, 27, 9, 50)  # a Friday: the first response is due at 10:05


def response_counts(now):
    return service_times(2026, now=now)["response_15m"]


def test_a_pending_clock_that_runs_out_turns_the_cached_figure_into_a_breach():
    ServiceRequestFactory(received_at=RECEIVED)
    assert response_counts(wib(2026, 11, 27, 10, 0))["pending"] == 1
    assert response_counts(wib(2026, 11, 27, 10, 5)) == response_counts(wib(2026, 11, 27, 10, 0))
    after = response_counts(wib(2026, 11, 27, 10, 6))
    assert (after["pending"], after["breached"]) == (0, 1)
    assert (
        response_counts(wib(2026, 11, 27, 10, 6))
        == service_times(2026, now=wib(2026, 11, 27, 10, 6), cache=False)["response_15m"]
    )


def test_a_cached_figure_is_not_served_for_an_earlier_moment():
    ServiceRequestFactory(received_at=RECEIVED)
    assert response_counts(wib(2026, 11, 27, 11, 0))["breached"] == 1
    assert response_counts(wib(2026, 11, 27, 10, 0))["pending"] == 1


def test_a_written_request_is_counted_at_once(django_assert_num_queries):
    request = ServiceRequestFactory(received_at=RECEIVED)
    now = wib(2026, 11, 27, 10, 0)
    assert response_counts(now)["pending"] == 1
    with django_assert_num_queries(1):  # the versions only: the figure comes from the cache
        assert response_counts(now)["pending"] == 1
    request.responded_at = RECEIVED + dt.timedelta(minutes=5)
    request.save()
    assert response_counts(now) == {
        "met": 1,
        "breached": 0,
        "pending": 0,
        "percent": service_times(2026, now=now, cache=False)["response_15m"]["percent"],
    }
    ServiceRequestFactory(received_at=RECEIVED)
    assert response_counts(now)["pending"] == 1

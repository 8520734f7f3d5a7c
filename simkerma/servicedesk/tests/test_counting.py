"""Counting KPI B.1.2.9.13 as CONTRACTS says: met, breached, pending, by the deadline's period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from simkerma.servicedesk.models import RequestKind
from simkerma.servicedesk.selectors import percent, service_times, service_times_by_month, service_times_month
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 27, 10, 0)  # Friday


def test_percent_rounds_half_up_to_two_decimals_and_is_null_without_a_denominator():
    assert percent(1, 31) == Decimal("3.13")  # 3.125; banker's rounding would give 3.12
    assert percent(2, 1) == Decimal("66.67")
    assert percent(1, 7) == Decimal("12.50")
    assert percent(3, 0) == Decimal("100.00")
    assert percent(0, 0) is None


def test_it_returns_exactly_the_contract_shape():
    result = service_times(2026, now=NOW)
    assert set(result) == {"draft_1d", "response_15m", "followup_1d"}
    for counts in result.values():
        assert set(counts) == {"met", "breached", "pending", "percent"}
        assert counts == {"met": 0, "breached": 0, "pending": 0, "percent": None}


def test_it_counts_met_breached_and_pending_responses():
    received = wib(2026, 11, 26, 9, 0)  # response due 09:15
    ServiceRequestFactory(received_at=received, responded_at=received + dt.timedelta(minutes=15))  # met, exactly
    ServiceRequestFactory(received_at=received, responded_at=received + dt.timedelta(minutes=3))  # met
    ServiceRequestFactory(received_at=received, responded_at=received + dt.timedelta(minutes=16))  # breached
    ServiceRequestFactory(received_at=received)  # still open after its deadline: breached
    ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 50))  # open, due 10:05: pending
    counts = service_times(2026, now=NOW)["response_15m"]
    assert counts == {"met": 2, "breached": 2, "pending": 1, "percent": Decimal("50.00")}


def test_it_counts_a_request_in_the_year_its_deadline_falls_in():
    # Thursday 31 December 2026 at 15:55: 5 minutes that day, then New Year → due Monday 4 January 2027.
    late_december = ServiceRequestFactory(received_at=wib(2026, 12, 31, 15, 55))
    assert late_december.response_due_at == wib(2027, 1, 4, 8, 10)
    ServiceRequestFactory(received_at=wib(2026, 12, 30, 10, 0), responded_at=wib(2026, 12, 30, 10, 5))
    later = wib(2027, 2, 1, 9, 0)
    assert service_times(2026, now=later)["response_15m"] == {
        "met": 1,
        "breached": 0,
        "pending": 0,
        "percent": Decimal("100.00"),
    }
    assert service_times(2027, now=later)["response_15m"] == {
        "met": 0,
        "breached": 1,
        "pending": 0,
        "percent": Decimal("0.00"),
    }


def test_it_counts_the_draft_clock_until_the_draft_is_sent_and_the_follow_up_for_partners_only():
    received = wib(2026, 11, 23, 9, 0)  # draft and follow-up due Tuesday 09:00
    ServiceRequestFactory(
        kind=RequestKind.NEW_DRAFT,
        document_kind="mou",
        received_at=received,
        responded_at=received + dt.timedelta(minutes=5),
        draft_sent_at=wib(2026, 11, 24, 8, 0),
    )
    ServiceRequestFactory(
        kind=RequestKind.REVISION,
        document_kind="moa",
        received_at=received,
        responded_at=received + dt.timedelta(minutes=5),
        draft_sent_at=wib(2026, 11, 24, 10, 0),
    )
    ServiceRequestFactory(
        kind=RequestKind.NEW_COOPERATION,
        received_at=received,
        responded_at=received + dt.timedelta(minutes=5),
    )  # no draft yet, past the limit
    ServiceRequestFactory(
        from_partner=True, received_at=received, responded_at=received, followed_up_at=wib(2026, 11, 24, 9, 0)
    )
    result = service_times(2026, now=NOW)
    assert result["draft_1d"] == {"met": 1, "breached": 2, "pending": 0, "percent": Decimal("33.33")}
    assert result["followup_1d"] == {"met": 1, "breached": 0, "pending": 0, "percent": Decimal("100.00")}
    assert result["response_15m"]["met"] == 4


def test_only_pending_requests_give_a_null_percentage():
    ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 55))
    counts = service_times(2026, now=NOW)["response_15m"]
    assert counts == {"met": 0, "breached": 0, "pending": 1, "percent": None}


def test_months_add_up_to_the_year():
    ServiceRequestFactory(received_at=wib(2026, 3, 2, 9, 0), responded_at=wib(2026, 3, 2, 9, 1))
    ServiceRequestFactory(received_at=wib(2026, 3, 31, 15, 50))  # due 1 April 08:05, never answered
    ServiceRequestFactory(received_at=wib(2026, 11, 26, 9, 0), responded_at=wib(2026, 11, 26, 9, 30))
    months = dict(service_times_by_month(2026, now=NOW))
    assert months[3]["response_15m"]["met"] == 1 and months[3]["response_15m"]["breached"] == 0
    assert months[4]["response_15m"]["breached"] == 1
    assert months[11]["response_15m"]["breached"] == 1
    year = service_times(2026, now=NOW)["response_15m"]
    for key in ("met", "breached", "pending"):
        assert sum(counts["response_15m"][key] for counts in months.values()) == year[key]
    assert service_times_month(2026, 4, now=NOW)["response_15m"]["percent"] == Decimal("0.00")

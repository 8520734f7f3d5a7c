"""The home dashboard: counts per status, what expires soon, and a unit's own agreements."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from simkerma.agreements.models import Status
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.partners.tests.factories import PartnerFactory

D = dt.date
NOW = dt.datetime(2025, 6, 15, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
# Pinned: session, user, the counts' data versions, one query for all status counts, partner count
# (the first request after a write: then cached), the expiring list and its
# partners, the layout's demo check and unread-notice count; for a coordinator also their unit and
# their own list with partners; the service-desk panel (4) and the activities panel (up to 6, one
# more when a list is full and its total is counted).
HOME_MAX_QUERIES = 20


def home(client):
    with time_machine.travel(NOW, tick=False):
        return client.get(reverse("home"))


@pytest.fixture
def registry(jurusan_if, jurusan_mb, prodi_if):
    return {
        "active_if": AgreementFactory(number="A-IF", units=[jurusan_if], end_date=D(2027, 1, 1)),
        "expiring_via_prodi": AgreementFactory(number="E-IF01", prodi=[prodi_if], end_date=D(2025, 7, 1)),
        "expiring_mb": AgreementFactory(number="E-MB", units=[jurusan_mb], end_date=D(2025, 9, 13)),
        "expired_if": AgreementFactory(number="X-IF", units=[jurusan_if], end_date=D(2025, 6, 14)),
        "draft_if": AgreementFactory(number="D-IF", units=[jurusan_if], start_date=D(2025, 6, 16)),
        "terminated_if": AgreementFactory(number="T-IF", units=[jurusan_if], terminated_on=D(2025, 6, 15)),
    }


@pytest.mark.django_db
def test_it_counts_agreements_per_status(client_for, staff, registry):
    response = home(client_for(staff))
    counts = {status.value: count for status, count in response.context["statuses"]}
    assert counts == {
        Status.DRAFT: 1,
        Status.ACTIVE: 1,
        Status.EXPIRING: 2,
        Status.EXPIRED: 1,
        Status.TERMINATED: 1,
    }
    assert response.context["partner_count"] == 6
    assert response.context["mine"] is None


@pytest.mark.django_db
def test_it_lists_what_expires_soonest_first(client_for, auditor, registry):
    response = home(client_for(auditor))
    assert [a.number for a in response.context["expiring"]] == ["E-IF01", "E-MB"]
    assert response.context["expiring_days"] == 90


@pytest.mark.django_db
def test_it_shows_a_coordinator_the_agreements_in_force_for_their_unit(client_for, coordinator, registry):
    response = home(client_for(coordinator))
    assert [a.number for a in response.context["mine"]] == ["E-IF01", "A-IF"]


@pytest.mark.django_db
def test_it_refuses_an_outsider_with_the_no_role_page(client_for, outsider, registry):
    response = home(client_for(outsider))
    assert response.status_code == 403
    assert response.templates[0].name == "core/no_role.html"
    assert b"E-IF01" not in response.content


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = home(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 30])
def test_it_renders_the_dashboard_in_a_fixed_number_of_queries(
    client_for, coordinator, jurusan_if, prodi_if, rows, django_assert_max_num_queries
):
    partners = [PartnerFactory(), PartnerFactory()]
    for n in range(rows):
        AgreementFactory(
            number=f"S-{n}", units=[jurusan_if], prodi=[prodi_if], partners=partners, end_date=D(2025, 8, 1)
        )
    client = client_for(coordinator)
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        response = home(client)
    assert len(response.context["expiring"]) == min(rows, 10)
    assert len(response.context["mine"]) == min(rows, 10)

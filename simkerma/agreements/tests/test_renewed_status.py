"""An agreement that has a renewal is not expiring: not on its page, the lists, the filters or the home page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simkerma.agreements.models import Agreement, Status
from simkerma.agreements.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db
D = dt.date
# 1 December 2026, 10:00 WIB: the old agreement ends on 31 January 2027, 61 days later.
NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def renewed():
    old = AgreementFactory(number="010/MOU.PL29/I/2022", start_date=D(2022, 2, 1), end_date=D(2027, 1, 31))
    AgreementFactory(number="011/MOU.PL29/XI/2026", renews=old, start_date=D(2027, 2, 1), end_date=D(2032, 1, 31))
    return old


@pytest.fixture
def unrenewed():
    return AgreementFactory(number="012/MOU.PL29/I/2022", start_date=D(2022, 2, 1), end_date=D(2027, 1, 31))


@time_machine.travel(NOW, tick=False)
def test_it_counts_a_renewed_agreement_as_active_and_an_unrenewed_one_as_expiring(renewed, unrenewed):
    assert Agreement.objects.get(pk=renewed.pk).status == Status.ACTIVE
    assert Agreement.objects.get(pk=unrenewed.pk).status == Status.EXPIRING
    assert list(Agreement.objects.with_status(Status.EXPIRING)) == [unrenewed]
    assert renewed in Agreement.objects.with_status(Status.ACTIVE)
    counts = Agreement.objects.status_counts()
    assert (counts["expiring"], counts["active"], counts["draft"]) == (1, 1, 1)


@time_machine.travel(NOW, tick=False)
def test_it_flags_the_agreement_again_when_its_renewal_was_ended_early(renewed):
    renewal = renewed.renewals.get()
    renewal.terminated_on = D(2026, 11, 30)
    renewal.termination_reason = "Mitra membatalkan"
    renewal.save()

    assert Agreement.objects.get(pk=renewed.pk).status == Status.EXPIRING
    assert list(Agreement.objects.with_status(Status.EXPIRING)) == [renewed]


@time_machine.travel(NOW, tick=False)
def test_it_leaves_a_renewed_agreement_out_of_the_home_pages_expiring_list(client_for, staff, renewed, unrenewed):
    page = client_for(staff).get(reverse("home"))

    assert list(page.context["expiring"]) == [unrenewed]
    assert "010/MOU.PL29/I/2022" not in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_leaves_a_renewed_agreement_out_of_the_expiring_filter_and_badges_it_active(
    client_for, staff, renewed, unrenewed
):
    client = client_for(staff)
    expiring = client.get(reverse("agreements:list"), {"status": "expiring"})
    assert [a.pk for a in expiring.context["page_obj"]] == [unrenewed.pk]

    with CaptureQueriesContext(connection) as few:
        listing = client.get(reverse("agreements:list")).content.decode()
    row = listing[listing.index("010/MOU.PL29/I/2022") :]
    assert row.index('class="badge status-active"') < row.index("</tr>")
    # The badge costs no query per agreement: three more renewed ones cost nothing more.
    for _ in range(3):
        old = AgreementFactory(start_date=D(2022, 2, 1), end_date=D(2027, 1, 31))
        AgreementFactory(renews=old, start_date=D(2027, 2, 1), end_date=D(2032, 1, 31))
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("agreements:list"))
    assert len(more) == len(few)

    detail = client.get(renewed.get_absolute_url()).content.decode()
    assert 'class="badge status-active"' in detail and "status-expiring" not in detail


@time_machine.travel(NOW, tick=False)
def test_it_shows_a_renewed_agreement_as_active_on_its_partners_page(client_for, staff, renewed):
    page = client_for(staff).get(renewed.partners.get().get_absolute_url()).content.decode()

    row = page[page.index("010/MOU.PL29/I/2022") :]
    assert row.index("status-active") < row.index("</tr>")
    assert "status-expiring" not in page

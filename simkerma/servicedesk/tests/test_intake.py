"""Intake: the public form (rate limit, honeypot, tracking) and requests logged by the staff."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from simkerma.core.models import Notice
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.models import Channel, ServiceRequest, Stage, StageChange
from simkerma.servicedesk.services import service_request_respond
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import local_input, public_data, staff_data, wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 24, 10, 0, 30)
PUBLIC = reverse("servicedesk:public_form")
CREATE = reverse("servicedesk:create")


@time_machine.travel(NOW, tick=False)
def test_a_partner_submits_the_public_form_and_follows_it_with_the_tracking_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PUBLIC, public_data())
    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("servicedesk:public_sent", args=[request.token])
    assert request.channel == Channel.WEB and request.from_partner and request.logged_by is None
    assert request.received_at == NOW and request.code == "LYN-2026-0001"
    assert request.jenis == "draf_dokumen" and request.document_kind == "mou"
    assert request.scope_items == ["Program magang", "Dosen tamu", "Rekrutmen lulusan"]
    assert request.requester_whatsapp == "+62 812-7000-1234" and request.partner_pic.startswith("Budi")
    assert request.response_due_at == wib(2026, 11, 24, 10, 15, 30)
    assert request.followup_due_at == wib(2026, 11, 25, 10, 0, 30)
    assert len(request.token) >= 32
    assert StageChange.objects.get(request=request).to_stage == Stage.DITERIMA
    receipt = Notice.objects.get(kind="servicedesk_receipt")
    assert receipt.email == "rina@galangan.test" and receipt.link == request.get_tracking_url()

    tracking = client.get(request.get_tracking_url())
    assert tracking.status_code == 200
    assert tracking.context["service_request"] == request
    assert client.get(reverse("servicedesk:public_sent", args=[request.token])).status_code == 200
    assert client.get(reverse("servicedesk:track", args=["not-a-token"])).status_code == 404


def test_an_internal_requester_is_not_marked_as_a_partner(client):
    client.post(PUBLIC, public_data(who="internal", kind="informasi", document_kind="mou"))
    request = ServiceRequest.objects.get()
    assert not request.from_partner and request.followup_due_at is None
    assert request.document_kind == ""  # only drafts name a document


def test_the_public_form_refuses_incomplete_requests(client):
    response = client.post(
        PUBLIC, public_data(requester_email="", kind="draf_baru", document_kind="", requester_whatsapp="call me")
    )
    assert response.status_code == 200
    assert {"requester_email", "document_kind", "requester_whatsapp"} <= set(response.context["form"].errors)
    assert not ServiceRequest.objects.exists()


def test_a_filled_honeypot_saves_nothing(client):
    response = client.post(PUBLIC, public_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("servicedesk:public_thanks")
    assert not ServiceRequest.objects.exists()
    assert client.get(response["Location"]).status_code == 200


def test_a_flood_of_submissions_is_slowed_with_429(client, settings):
    settings.SIMKERMA_PUBLIC_FORM_LIMIT = 3
    codes = [client.post(PUBLIC, public_data(subject=f"Flood {n}")).status_code for n in range(8)]
    assert codes == [302, 302, 302, 429, 429, 429, 429, 429]
    assert ServiceRequest.objects.count() == 3
    refused = client.post(PUBLIC, public_data())
    assert refused.status_code == 429 and refused["Retry-After"]
    # Another address is not affected.
    assert client.post(PUBLIC, public_data(), REMOTE_ADDR="10.9.8.7").status_code == 302


def test_a_flood_of_page_views_is_slowed_too(client, settings):
    settings.SIMKERMA_PUBLIC_VIEW_LIMIT = 5
    request = ServiceRequestFactory()
    codes = [client.get(request.get_tracking_url()).status_code for _n in range(7)]
    assert codes == [200] * 5 + [429] * 2
    assert client.get(PUBLIC).status_code == 429


def test_a_flood_of_garbage_never_crashes(client, settings):
    settings.SIMKERMA_PUBLIC_FORM_LIMIT = 50
    payloads = [
        {},
        {"who": "x" * 5000},
        {"kind": "<script>"},
        public_data(requester_email="@@"),
        {"received_at": "2026-99-99"},
        public_data(document_kind="zzz"),
    ]
    for payload in payloads * 3:
        assert client.post(PUBLIC, payload).status_code in (200, 302, 429)
    assert not ServiceRequest.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_staff_log_a_request_with_the_real_time_it_came_in(client_for, staff):
    partner = PartnerFactory()
    data = staff_data(received_at="2026-11-23T20:00", from_partner="on", partner=partner.pk, channel="telepon")
    response = client_for(staff).post(CREATE, data)
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert request.received_at == wib(2026, 11, 23, 20, 0)
    assert request.channel == "telepon" and request.partner == partner and request.from_partner
    assert request.logged_by == staff
    assert request.followup_due_at == wib(2026, 11, 24, 16, 0)


@time_machine.travel(NOW, tick=False)
def test_a_received_time_in_the_future_is_refused(client_for, staff):
    response = client_for(staff).post(CREATE, staff_data(received_at=local_input(NOW + dt.timedelta(minutes=5))))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["received_at"]
    assert not ServiceRequest.objects.exists()


def test_a_received_time_after_the_response_is_refused(client_for, staff):
    request = ServiceRequestFactory(received_at=wib(2026, 11, 23, 9, 0))
    with time_machine.travel(wib(2026, 11, 23, 9, 10), tick=False):
        service_request_respond(request=request, at=wib(2026, 11, 23, 9, 10), note="", user=staff)
    with time_machine.travel(NOW, tick=False):
        response = client_for(staff).post(
            reverse("servicedesk:edit", args=[request.pk]), staff_data(received_at="2026-11-23T09:30")
        )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["received_at"]
    request.refresh_from_db()
    assert request.received_at == wib(2026, 11, 23, 9, 0)


@time_machine.travel(NOW, tick=False)
def test_every_change_to_the_received_time_is_kept_in_the_history(client_for, staff):
    request = ServiceRequestFactory(received_at=wib(2026, 11, 23, 9, 0))
    client = client_for(staff)
    for moment in ("2026-11-23T08:30", "2026-11-22T21:00"):
        assert (
            client.post(reverse("servicedesk:edit", args=[request.pk]), staff_data(received_at=moment)).status_code
            == 302
        )
    history = list(request.history.order_by("history_date", "history_id").values_list("received_at", flat=True))
    assert history == [wib(2026, 11, 23, 9, 0), wib(2026, 11, 23, 8, 30), wib(2026, 11, 22, 21, 0)]
    request.refresh_from_db()
    assert request.response_due_at == wib(2026, 11, 23, 8, 15)  # Sunday night → Monday 08:15
    page = client.get(reverse("servicedesk:history", args=[request.pk]))
    assert page.status_code == 200 and len(page.context["entries"]) == 3


def test_coordinators_log_requests_but_read_only_roles_do_not(client_for, coordinator, pimpinan, auditor):
    with time_machine.travel(NOW, tick=False):
        assert client_for(coordinator).post(CREATE, staff_data()).status_code == 302
    request = ServiceRequest.objects.get()
    assert request.logged_by == coordinator and request.assigned_to is None
    for user in (pimpinan, auditor):
        assert client_for(user).post(CREATE, staff_data()).status_code == 403
    assert ServiceRequest.objects.count() == 1


def test_a_partner_named_alone_is_only_suggested(client):
    partner = PartnerFactory(name="PT. Galangan Kapal Nusantara")
    client.post(PUBLIC, public_data(requester_organisation="Galangan Kapal Nusantara, PT"))
    request = ServiceRequest.objects.get()
    assert request.partner is None
    from simkerma.servicedesk.partner_link import partner_suggestion

    assert partner_suggestion(request) == partner


def test_a_partner_is_linked_by_its_own_address(client):
    partner = PartnerFactory(name="PT. Galangan Kapal Nusantara", email="Rina@Galangan.test")
    client.post(PUBLIC, public_data(requester_organisation="Another name"))
    assert ServiceRequest.objects.get().partner == partner

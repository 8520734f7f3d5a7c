"""The request's rules hold without a form: through full_clean(), through the services and in the admin."""

from __future__ import annotations

import dataclasses

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from simkerma.core.history import reason_display
from simkerma.servicedesk.models import RequestKind, ServiceRequest, Stage, StageChange
from simkerma.servicedesk.services import (
    ServiceRequestData,
    request_data,
    service_request_change_stage,
    service_request_create,
    service_request_respond,
    service_request_update,
)
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are compared in English here; the pages show them in the reader's language."""
    with translation.override("en"):
        yield


def _data(**changes: object) -> ServiceRequestData:
    values: dict = {
        "channel": "email",
        "kind": RequestKind.INFORMATION,
        "subject": "Tanya prosedur",
        "requester_name": "Agus",
        "received_at": wib(2026, 11, 23, 9, 0),
    }
    return ServiceRequestData(**(values | changes))


def test_it_refuses_a_draft_request_without_the_document_wanted_through_full_clean():
    request = ServiceRequestFactory.build(kind=RequestKind.NEW_DRAFT, document_kind="")
    with pytest.raises(ValidationError) as refused:
        request.full_clean()
    assert refused.value.message_dict["document_kind"] == ["Choose the document wanted: MoU, MoA/PKS or IA."]


def test_it_refuses_a_draft_request_without_the_document_wanted_through_the_service(staff):
    with pytest.raises(ValidationError) as refused:
        service_request_create(data=_data(kind=RequestKind.NEW_DRAFT), user=staff)
    assert list(refused.value.message_dict) == ["document_kind"]
    assert not ServiceRequest.objects.exists()
    assert not StageChange.objects.exists()


def test_it_forgets_the_document_wanted_of_a_request_that_is_no_draft(staff):
    with time_machine.travel(wib(2026, 11, 23, 10), tick=False):
        request = service_request_create(data=_data(document_kind="moa"), user=staff)
    assert request.document_kind == "" and request.code == "LYN-2026-0001"


def test_it_refuses_a_received_time_in_the_future(staff):
    with time_machine.travel(wib(2026, 11, 23, 8, 0), tick=False):
        with pytest.raises(ValidationError) as refused:
            ServiceRequestFactory.build(received_at=wib(2026, 11, 23, 9, 0)).full_clean()
        assert refused.value.message_dict["received_at"] == ["This moment is in the future."]
        with pytest.raises(ValidationError) as refused:
            service_request_create(data=_data(), user=staff)
    assert list(refused.value.message_dict) == ["received_at"]
    assert not ServiceRequest.objects.exists()


def _responded(staff):
    request = ServiceRequestFactory(received_at=wib(2026, 11, 23, 9, 0))
    with time_machine.travel(wib(2026, 11, 23, 9, 10), tick=False):
        service_request_respond(request=request, at=wib(2026, 11, 23, 9, 5), note="", user=staff)
    return request


def test_it_refuses_a_received_time_after_the_first_response_through_full_clean(staff):
    request = _responded(staff)
    request.received_at = wib(2026, 11, 23, 9, 30)
    with pytest.raises(ValidationError) as refused:
        request.full_clean()
    assert refused.value.message_dict["received_at"] == [
        "This is after the first response (2026-11-23 09:05 WIB); the request came in before that."
    ]


def test_it_refuses_a_received_time_after_the_first_response_through_the_service(staff):
    request = _responded(staff)
    due = request.response_due_at
    changed = dataclasses.replace(request_data(request), received_at=wib(2026, 11, 23, 9, 30))
    with time_machine.travel(wib(2026, 11, 23, 10), tick=False), pytest.raises(ValidationError) as refused:
        service_request_update(request=request, data=changed, user=staff)
    assert list(refused.value.message_dict) == ["received_at"]
    request.refresh_from_db()
    assert (request.received_at, request.response_due_at) == (wib(2026, 11, 23, 9, 0), due)
    assert request.history.count() == 2  # received, first response: nothing more


def test_it_refuses_a_stage_skipped_through_the_service(staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_COOPERATION)
    with pytest.raises(ValidationError) as refused:
        service_request_change_stage(request=request, to_stage=Stage.REVIEW_INTERNAL, note="", user=staff)
    assert "the next stage is “Verified”" in refused.value.message_dict["to_stage"][0]
    request.refresh_from_db()
    assert request.stage == Stage.DITERIMA and not request.stage_changes.exists()


def test_it_refuses_a_rejection_without_its_reason_through_the_service(staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_COOPERATION)
    with pytest.raises(ValidationError) as refused:
        service_request_change_stage(request=request, to_stage=Stage.DITOLAK, note=" ", user=staff)
    assert refused.value.message_dict == {"note": ["Give the reason for the rejection."]}
    request.refresh_from_db()
    assert request.stage == Stage.DITERIMA and not request.stage_changes.exists()


def test_the_stage_reason_is_stored_in_english_and_shown_translated(staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_COOPERATION)
    with translation.override("id"):
        service_request_change_stage(request=request, to_stage=Stage.DIVERIFIKASI, note="", user=staff)
    stored = request.history.latest("history_id").history_change_reason
    assert stored == "stage: Verified"
    with translation.override("id"):
        assert reason_display(stored) == "tahap: Diverifikasi"


def test_only_the_team_edits_moves_and_answers_a_request(coordinator, outsider):
    request = ServiceRequestFactory(kind=RequestKind.NEW_COOPERATION)
    for user in (coordinator, outsider):
        with pytest.raises(PermissionDenied):
            service_request_update(request=request, data=request_data(request), user=user)
        with pytest.raises(PermissionDenied):
            service_request_change_stage(request=request, to_stage=Stage.DIVERIFIKASI, note="", user=user)
        with pytest.raises(PermissionDenied):
            service_request_respond(request=request, at=wib(2026, 11, 23, 9, 5), note="", user=user)
    request.refresh_from_db()
    assert request.stage == Stage.DITERIMA and request.responded_at is None


def test_a_coordinator_logs_a_request_and_an_outsider_does_not(coordinator, outsider):
    with pytest.raises(PermissionDenied):
        service_request_create(data=_data(), user=outsider)
    assert not ServiceRequest.objects.exists()
    with time_machine.travel(wib(2026, 11, 23, 10), tick=False):
        request = service_request_create(data=_data(), user=coordinator)
    assert request.logged_by == coordinator


# The admin's change form as sent: a request received Monday 23 November 2026 at 09:00 WIB, no stage rows.
ADMIN_FORM = {
    "channel": "email",
    "kind": RequestKind.INFORMATION,
    "received_at_0": "2026-11-23",
    "received_at_1": "09:00:00",
    "stage_changes-TOTAL_FORMS": "0",
    "stage_changes-INITIAL_FORMS": "0",
    "stage_changes-MIN_NUM_FORMS": "0",
    "stage_changes-MAX_NUM_FORMS": "1000",
}


def _admin_post(client, request: ServiceRequest, **changes: str):
    from django.urls import reverse

    data = ADMIN_FORM | {
        "channel": request.channel,
        "kind": request.kind,
        "document_kind": request.document_kind,
        "subject": request.subject,
        "requester_name": request.requester_name,
        "requester_organisation": request.requester_organisation,
        "requester_email": request.requester_email,
    }
    return client.post(reverse("admin:servicedesk_servicerequest_change", args=[request.pk]), data | changes)


@pytest.fixture
def admin_client_for(client):
    from simkerma.accounts.models import Role
    from simkerma.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True))
    return client


def test_a_received_time_corrected_in_the_admin_recomputes_the_deadlines(admin_client_for, staff):
    request = ServiceRequestFactory(received_at=wib(2026, 11, 23, 9, 0))
    with time_machine.travel(wib(2026, 11, 23, 9, 45), tick=False):
        service_request_respond(request=request, at=wib(2026, 11, 23, 9, 40), note="", user=staff)
    assert request.breaches.count() == 1  # 25 minutes after a 09:00 request is late
    with time_machine.travel(wib(2026, 11, 23, 10), tick=False):
        response = _admin_post(admin_client_for, request, received_at_1="09:30:00")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.received_at == wib(2026, 11, 23, 9, 30)
    assert request.response_due_at == wib(2026, 11, 23, 9, 45)
    assert not request.breaches.exists()  # answered at 09:40 is on time for a 09:30 request
    assert request.history.latest("history_id").history_change_reason == "edited"


def test_the_admin_refuses_a_received_time_after_the_first_response(admin_client_for, staff):
    request = _responded(staff)
    with time_machine.travel(wib(2026, 11, 23, 10), tick=False):
        response = _admin_post(admin_client_for, request, received_at_1="09:30:00")
    assert response.status_code == 200
    assert "received_at" in response.context["adminform"].form.errors
    request.refresh_from_db()
    assert request.received_at == wib(2026, 11, 23, 9, 0)
    assert request.history.count() == 2


def test_a_request_added_in_the_admin_gets_its_code_and_deadlines(admin_client_for):
    from django.urls import reverse

    data = ADMIN_FORM | {"subject": "Dari admin", "requester_name": "Agus"}
    with time_machine.travel(wib(2026, 11, 23, 10), tick=False):
        response = admin_client_for.post(reverse("admin:servicedesk_servicerequest_add"), data)
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert (request.code, request.response_due_at) == ("LYN-2026-0001", wib(2026, 11, 23, 9, 15))
    assert request.stage_changes.count() == 1

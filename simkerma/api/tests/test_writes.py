from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from simkerma.core.dates import WIB
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.models import ServiceRequest, StageChange

URL = "/api/v1/service-requests"
BODY = {
    "subject": "Permohonan draf PKS magang",
    "message": "Kami ingin menjalin kerja sama magang untuk 10 mahasiswa.",
    "kind": "draf_baru",
    "document_kind": "moa",
    "requester_name": "Rina Hartati",
    "requester_organisation": "PT Batamindo Investment Cakrawala",
    "requester_email": "rina@batamindo.example",
    "from_partner": True,
    "partner": "BIC",
}


def post(client, body):
    return client.post(URL, body, content_type="application/json")


@pytest.fixture
def partner(db):
    return PartnerFactory(code="BIC", name="PT Batamindo Investment Cakrawala")


def test_it_registers_a_request_with_the_clocks_of_every_channel(bearer, staff, partner):
    client = bearer(staff, read_only=False)
    # Friday 15:55 WIB: the 15-minute deadline is Monday 08:10 (docs/service-times.md).
    with time_machine.travel(dt.datetime(2026, 11, 20, 15, 55, tzinfo=WIB), tick=False):
        response = post(client, BODY)
    assert response.status_code == 201, response.content
    body = response.json()
    created = ServiceRequest.objects.get(code=body["code"])
    assert body["code"].startswith("LYN-2026-")
    assert created.channel == "web"
    assert created.partner == partner
    assert created.logged_by == staff
    assert created.received_at == dt.datetime(2026, 11, 20, 15, 55, tzinfo=WIB)
    assert body["response_due_at"] == "2026-11-23T01:10:00Z"
    assert created.draft_due_at is not None and created.followup_due_at is not None
    assert body["draft_due_at"] == created.draft_due_at.isoformat().replace("+00:00", "Z")
    assert body["tracking_url"] == f"http://testserver{created.get_tracking_url()}"
    assert StageChange.objects.get(request=created).to_stage == "diterima"
    assert created.history.get().history_change_reason == "received"


def test_it_takes_the_channel_from_the_body(bearer, staff, db):
    response = post(bearer(staff, read_only=False), {**BODY, "partner": None, "channel": "email"})
    assert response.status_code == 201, response.content
    assert ServiceRequest.objects.get().channel == "email"


def test_it_refuses_a_write_with_a_read_only_token(bearer, staff, partner):
    response = post(bearer(staff, read_only=True), BODY)
    assert response.status_code == 403
    assert response.json() == {"detail": "This token is read-only."}
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("who", ["pimpinan", "auditor"])
def test_it_refuses_a_role_that_does_not_log_requests(request, bearer, partner, who):
    response = post(bearer(request.getfixturevalue(who), read_only=False), BODY)
    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 256}, "subject"),
        ({"kind": "gossip"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"requester_email": "not an address"}, "requester_email"),
        ({"partner": "NOPE"}, "partner"),
        ({"document_kind": None}, "document_kind"),  # the model's rule: a draft request names its document
        ({"from_partner": "perhaps"}, "from_partner"),
    ],
)
def test_it_names_the_field_the_schema_or_the_rules_refuse(bearer, staff, partner, change, field):
    response = post(bearer(staff, read_only=False), {**BODY, **change})
    assert response.status_code == 422, response.content
    assert ["body", "payload", field] in [problem["loc"] for problem in response.json()["detail"]]
    assert not ServiceRequest.objects.exists()


def test_it_refuses_a_body_that_is_not_json(bearer, staff):
    response = bearer(staff, read_only=False).post(URL, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert not ServiceRequest.objects.exists()


def test_it_sends_the_requester_the_receipt(bearer, staff, partner, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        response = post(bearer(staff, read_only=False), BODY)
    assert response.status_code == 201
    call_command("simkerma_worker", verbosity=0)
    assert [message.to for message in mail.outbox] == [["rina@batamindo.example"]]


def test_it_refuses_a_nul_character_in_the_body(bearer, staff, partner):
    response = post(bearer(staff, read_only=False), {**BODY, "message": "a\x00b"})
    assert response.status_code == 422
    assert ["body", "payload", "message"] in [problem["loc"] for problem in response.json()["detail"]]


def test_it_speaks_english_whatever_the_site_language(bearer, staff, partner):
    response = post(bearer(staff, read_only=False), {**BODY, "document_kind": None})
    assert response.status_code == 422
    assert {
        "type": "value_error",
        "loc": ["body", "payload", "document_kind"],
        "msg": "Choose the document wanted: MoU, MoA/PKS or IA.",
    } in response.json()["detail"]

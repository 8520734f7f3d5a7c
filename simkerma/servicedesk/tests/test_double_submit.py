"""Service requests and draft versions sent twice, and two edits of one request (issue 7, items 8-9)."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from simkerma.core.concurrency import AlreadySubmitted, token_issue
from simkerma.core.tests.concurrency import opened, token_for
from simkerma.servicedesk.models import DraftVersion, ServiceRequest
from simkerma.servicedesk.services import REQUEST_FORM, request_data, service_request_create
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import public_data, staff_data, wib
from simkerma.servicedesk.tests.test_drafts import docx_upload, draft_data, draft_request  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 24, 10, 0, 30)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_the_same_staff_intake_sent_twice_logs_one_request(staff):
    client = logged_in(staff)
    url = reverse("servicedesk:create")
    data = staff_data() | token_for(client, url)
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    request = ServiceRequest.objects.get()
    assert second.status_code == 302 and second.url == request.get_absolute_url()


@time_machine.travel(NOW, tick=False)
def test_the_same_public_request_sent_twice_is_registered_once(client):
    url = reverse("servicedesk:public_form")
    data = public_data() | token_for(client, url)
    first = client.post(url, data)
    second = client.post(url, data)
    request = ServiceRequest.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("servicedesk:public_sent", kwargs={"token": request.token})


def test_the_same_draft_form_sent_twice_makes_one_version(staff, draft_request):  # noqa: F811
    client = logged_in(staff)
    url = reverse("servicedesk:draft_create", args=[draft_request.pk])
    with time_machine.travel(wib(2026, 11, 23, 11, 0), tick=False):
        data = draft_data() | token_for(client, url)
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302
    assert DraftVersion.objects.filter(request=draft_request).count() == 1


def test_the_same_draft_upload_sent_twice_makes_one_version(staff, draft_request):  # noqa: F811
    client = logged_in(staff)
    url = reverse("servicedesk:draft_upload", args=[draft_request.pk])
    token = token_for(client, url)
    for _ in range(2):
        upload = docx_upload(["Versi hasil negosiasi"], name="revisi.docx")
        response = client.post(url, {"document_kind": "mou", "file": upload, "note": "Komentar mitra"} | token)
        assert response.status_code == 302
    assert DraftVersion.objects.filter(request=draft_request).count() == 1


def test_the_second_of_two_request_edits_is_refused_and_reverts_nothing(staff, kapokja):
    client = logged_in(staff)
    client.post(reverse("servicedesk:create"), staff_data(subject="Subjek awal"))
    request = ServiceRequest.objects.get()
    url = reverse("servicedesk:edit", args=[request.pk])
    other = logged_in(kapokja)
    first_version, second_version = opened(client, url), opened(other, url)
    assert client.post(url, staff_data(subject="Subjek dari Staf") | first_version).status_code == 302
    response = other.post(url, staff_data(subject="Subjek awal", message="Pesan Kapokja") | second_version)
    assert response.status_code == 200
    request.refresh_from_db()
    assert (request.subject, request.message) == ("Subjek dari Staf", "")
    errors = " ".join(response.context["form"].non_field_errors())
    assert "“Subjek awal”" in errors and "“Subjek dari Staf”" in errors
    assert response.context["form"]["message"].value() == "Pesan Kapokja"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_token_at_the_same_moment_register_one():
    token = token_issue(REQUEST_FORM)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            start.wait()
            service_request_create(data=request_data(ServiceRequestFactory.build(code="")), token=token)
            outcomes.append("created")
        except AlreadySubmitted as error:
            outcomes.append("replay" if error.obj is not None else "replay without object")
        except Exception as error:  # any other error is the failure being tested
            outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "replay"]
    assert ServiceRequest.objects.count() == 1

"""Outputs used by the partner (IKU 5) on the activity's page: list, add, edit, delete, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from simkerma.activities.data import OutputData
from simkerma.activities.models import ActivityStatus
from simkerma.activities.reporting import ActivityFunding, ActivityOutput
from simkerma.activities.reporting_services import activity_output_create, activity_output_update
from simkerma.activities.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db
D = dt.date
LINK = "https://mitra.example/surat-pemanfaatan.pdf"


def output_post(**overrides):
    data = {
        "title": "Aplikasi pemantauan jaringan",
        "kind": "produk",
        "evidence_link": LINK,
        "used_on": "2025-09-01",
        "notes": "Dipakai di pusat data mitra",
    }
    return data | overrides


@pytest.fixture
def activity(agreement_if):
    return ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1), status=ActivityStatus.TERLAKSANA)


def test_the_team_records_edits_and_deletes_an_output(client_for, staff, activity):
    client = client_for(staff)
    response = client.post(reverse("activities:output_create", args=[activity.pk]), output_post())
    assert response.status_code == 302
    output = ActivityOutput.objects.get()
    assert (output.activity, output.title, output.kind, output.used_on, output.quarter) == (
        activity,
        "Aplikasi pemantauan jaringan",
        "produk",
        D(2025, 9, 1),
        3,
    )
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Aplikasi pemantauan jaringan" in page and LINK in page

    edit = reverse("activities:output_edit", args=[activity.pk, output.pk])
    assert client.post(edit, output_post(title="Aplikasi versi 2", kind="teknologi")).status_code == 302
    output.refresh_from_db()
    assert (output.title, output.kind) == ("Aplikasi versi 2", "teknologi")

    assert client.post(reverse("activities:output_delete", args=[activity.pk, output.pk])).status_code == 302
    assert not ActivityOutput.objects.exists()


def test_a_coordinator_of_the_unit_records_one_and_others_may_not(
    client_for, coordinator, other_coordinator, auditor, activity
):
    url = reverse("activities:output_create", args=[activity.pk])
    assert client_for(other_coordinator).post(url, output_post()).status_code == 403
    assert client_for(auditor).post(url, output_post()).status_code == 403
    assert not ActivityOutput.objects.exists()
    assert client_for(coordinator).post(url, output_post()).status_code == 302
    output = ActivityOutput.objects.get()
    delete = reverse("activities:output_delete", args=[activity.pk, output.pk])
    assert client_for(auditor).post(delete).status_code == 403
    assert client_for(auditor).get(reverse("activities:output_edit", args=[activity.pk, output.pk])).status_code == 403
    assert ActivityOutput.objects.exists()
    page = client_for(auditor).get(activity.get_absolute_url()).content.decode()
    assert "Aplikasi pemantauan jaringan" in page
    assert reverse("activities:output_edit", args=[activity.pk, output.pk]) not in page


def test_an_output_of_another_activity_is_not_found_under_this_one(client_for, staff, activity, agreement_if):
    other = ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1))
    output = ActivityOutput.objects.create(
        activity=other, title="X", kind="produk", evidence_link=LINK, used_on=D(2025, 4, 1)
    )
    url = reverse("activities:output_edit", args=[activity.pk, output.pk])
    assert client_for(staff).get(url).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 501}, "title", "Ensure this value has at most 500 characters"),
        ({"kind": "rahasia"}, "kind", "Select a valid choice."),
        ({"evidence_link": "ftp://mitra.example/a.pdf"}, "evidence_link", "Give a web address starting with http"),
        ({"evidence_link": "javascript:alert(1)"}, "evidence_link", "Enter a valid URL."),
        ({"used_on": "2025-02-28"}, "used_on", "The partner cannot use an output before the activity started"),
        ({"used_on": "2200-01-01"}, "used_on", "The date of use"),
    ],
)
def test_the_form_refuses_a_bad_output_next_to_the_field(client_for, staff, activity, changes, field, message):
    client = client_for(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the reader chose English
    # Django's own messages are read lazily, after the request; the override also restores the language.
    with translation.override("en"):
        response = client.post(reverse("activities:output_create", args=[activity.pk]), output_post(**changes))
        assert response.status_code == 200
        errors = [str(error) for error in response.context["form"].errors[field]]
    assert any(error.startswith(message) for error in errors), errors
    assert not ActivityOutput.objects.exists()


def test_the_service_refuses_every_problem_at_once_and_keeps_the_stored_output(staff, activity):
    output = activity_output_create(
        activity=activity,
        data=OutputData(title="Model", kind="kajian", evidence_link=LINK, used_on=D(2025, 5, 1)),
        user=staff,
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    bad = OutputData(title="", kind="kajian", evidence_link="ftp://x.example/a", used_on=tomorrow)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        activity_output_update(output=output, data=bad, user=staff)
    assert set(refused.value.message_dict) == {"title", "evidence_link", "used_on"}
    output.refresh_from_db()
    assert (output.title, output.evidence_link) == ("Model", LINK)


def test_the_service_refuses_a_reader_and_an_archived_activity(auditor, staff, activity):
    data = OutputData(title="Model", kind="kajian", evidence_link=LINK, used_on=D(2025, 5, 1))
    with pytest.raises(PermissionDenied):
        activity_output_create(activity=activity, data=data, user=auditor)
    activity.status = ActivityStatus.DIARSIPKAN
    with pytest.raises(PermissionDenied):
        activity_output_create(activity=activity, data=data, user=staff)
    assert not ActivityOutput.objects.exists()


def _fill(activity, count):
    for index in range(count):
        ActivityOutput.objects.create(
            activity=activity, title=f"Luaran {index}", kind="produk", evidence_link=LINK, used_on=D(2025, 4, 1)
        )
        ActivityFunding.objects.create(activity=activity, year=2025 + index, amount=index)


def _detail_queries(client, activity, django_assert_num_queries, count):
    with django_assert_num_queries(count) as captured:
        response = client.get(activity.get_absolute_url())
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_the_page_shows_outputs_and_funds_in_a_fixed_number_of_queries(
    client_for, staff, agreement_if, django_assert_num_queries
):
    few = ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1), duration_years=5)
    many = ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1), duration_years=5)
    _fill(few, 1)
    _fill(many, 5)
    client = client_for(staff)
    client.get(few.get_absolute_url())  # the session and the user, cached from here on
    queries = 16
    response, _ = _detail_queries(client, few, django_assert_num_queries, queries)
    assert len(response.context["outputs"]) == 1
    response, _ = _detail_queries(client, many, django_assert_num_queries, queries)
    assert len(response.context["outputs"]) == 5
    assert response.context["funding_total"] == 0 + 1 + 2 + 3 + 4
    assert 'id="funding-total">10<' in response.content.decode()

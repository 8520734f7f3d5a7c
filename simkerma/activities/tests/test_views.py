"""Activity pages: list and filters, detail, planning and editing, scope of unit roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import constants as levels
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory, CoordinationRecordFactory, FollowUpTaskFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.partners.tests.factories import ContactFactory

S = ActivityStatus
D = dt.date
TYPED_TITLE = "Kuliah tamu keamanan jaringan industri"

pytestmark = pytest.mark.django_db


def plan_data(agreement, **overrides):
    data = {
        "agreement": agreement.pk,
        "code": "",
        "title": TYPED_TITLE,
        "kind": "kuliah_tamu",
        "field": "pendidikan",
        "start_date": "2026-12-10",
        "start_time": "09:00",
        "end_date": "",
        "end_time": "11:00",
        "place": "Gedung Utama, Ruang 701",
        "online_link": "",
        "pic": "",
        "partner_contact": "",
        "partner_pic": "Rina (0812-1111-2222)",
        "units": [],
        "prodi": [],
        "expected_students": "40",
        "expected_lecturers": "3",
        "benefit": "Mahasiswa mengenal praktik industri",
        "evidence": "",
    }
    data.update(overrides)
    return data


def test_it_plans_an_activity_with_the_next_code(client_for, staff, agreement_if):
    response = client_for(staff).post(reverse("activities:create"), plan_data(agreement_if))

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert activity.code == "K2026-00001"
    assert (activity.title, activity.status, activity.agreement, activity.created_by) == (
        TYPED_TITLE,
        S.RENCANA,
        agreement_if,
        staff,
    )
    assert (activity.start_time, activity.end_time, activity.expected_students) == (dt.time(9), dt.time(11), 40)
    assert activity.history.latest().history_user == staff


def test_it_prefills_the_agreement_from_the_query(client_for, staff, agreement_if):
    response = client_for(staff).get(reverse("activities:create") + f"?agreement={agreement_if.pk}")
    assert response.status_code == 200
    assert response.context["form"].initial["agreement"] == agreement_if.pk
    assert response.context["form"].initial["field"] == "pendidikan"


def test_it_warns_naming_the_dates_when_the_plan_is_outside_the_agreement(client_for, staff, agreement_if):
    response = client_for(staff).post(
        reverse("activities:create"),
        plan_data(agreement_if, start_date="2029-12-30", end_date="2030-01-02"),
        follow=True,
    )

    assert Activity.objects.count() == 1  # saved, with a warning
    warnings = [str(m) for m in response.context["messages"] if m.level == levels.WARNING]
    assert len(warnings) == 1
    with translation.override("id"):
        for day in (D(2029, 12, 30), D(2030, 1, 2), D(2025, 1, 1), D(2029, 12, 31)):
            assert date_format(day) in warnings[0]
    assert agreement_if.number in warnings[0]
    assert response.context["warning"] == warnings[0]


def test_it_keeps_the_typed_values_when_the_dates_are_wrong(client_for, staff, agreement_if):
    response = client_for(staff).post(
        reverse("activities:create"), plan_data(agreement_if, start_date="2026-12-10", end_date="2026-12-09")
    )

    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert set(response.context["form"].errors) == {"end_date"}
    assert TYPED_TITLE in response.content.decode()


def test_it_refuses_an_end_time_before_the_start_time_on_one_day(client_for, staff, agreement_if):
    response = client_for(staff).post(
        reverse("activities:create"), plan_data(agreement_if, start_time="10:00", end_time="09:00")
    )
    assert set(response.context["form"].errors) == {"end_time"}


def test_it_lets_a_coordinator_plan_only_under_agreements_naming_their_unit(
    client_for, coordinator, agreement_if, agreement_mb
):
    client = client_for(coordinator)
    refused = client.post(reverse("activities:create"), plan_data(agreement_mb))
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"agreement"}
    assert not Activity.objects.exists()

    done = client.post(reverse("activities:create"), plan_data(agreement_if))
    assert done.status_code == 302
    assert Activity.objects.get().agreement == agreement_if


def test_it_refuses_a_coordinator_plan_that_names_only_other_units(
    client_for, coordinator, agreement_if, jurusan_mb, prodi_mb
):
    response = client_for(coordinator).post(
        reverse("activities:create"), plan_data(agreement_if, units=[jurusan_mb.pk], prodi=[prodi_mb.pk])
    )
    assert set(response.context["form"].errors) == {"units"}


def test_it_refuses_a_partner_contact_of_another_partner(client_for, staff, agreement_if):
    stranger = ContactFactory()
    mine = ContactFactory(partner=agreement_if.partners.get())
    client = client_for(staff)

    refused = client.post(reverse("activities:create"), plan_data(agreement_if, partner_contact=stranger.pk))
    assert "partner_contact" in refused.context["form"].errors
    done = client.post(reverse("activities:create"), plan_data(agreement_if, partner_contact=mine.pk))
    assert done.status_code == 302
    assert Activity.objects.get().partner_contact == mine


@pytest.mark.parametrize("role", ["pimpinan", "auditor", "outsider"])
def test_it_refuses_planning_to_readers(request, client_for, role, agreement_if):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("activities:create")).status_code == 403
    assert client.post(reverse("activities:create"), plan_data(agreement_if)).status_code == 403
    assert not Activity.objects.exists()


def test_it_edits_a_plan_and_refuses_other_units_and_archived_ones(
    client_for, coordinator, other_coordinator, agreement_if
):
    activity = ActivityFactory(agreement=agreement_if, code="K2026-00003")
    url = reverse("activities:edit", args=[activity.pk])
    data = plan_data(agreement_if, code="K2026-00003", title="Judul baru")

    assert client_for(other_coordinator).post(url, data).status_code == 403
    assert client_for(coordinator).post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Judul baru"

    Activity.objects.filter(pk=activity.pk).update(status=S.DIARSIPKAN)
    assert client_for(coordinator).post(url, plan_data(agreement_if, code="K2026-00003", title="X")).status_code == 403
    activity.refresh_from_db()
    assert activity.title == "Judul baru"


def test_it_filters_the_list(client_for, staff, agreement_if, agreement_mb, jurusan_if):
    wanted = ActivityFactory(
        agreement=agreement_if, status=S.TERLAKSANA, field="penelitian", kind="magang", start_date=D(2026, 3, 1)
    )
    ActivityFactory(
        agreement=agreement_if, status=S.RENCANA, field="penelitian", kind="magang", start_date=D(2026, 3, 1)
    )
    ActivityFactory(
        agreement=agreement_mb, status=S.TERLAKSANA, field="penelitian", kind="magang", start_date=D(2026, 3, 1)
    )
    ActivityFactory(
        agreement=agreement_if, status=S.TERLAKSANA, field="penelitian", kind="magang", start_date=D(2025, 3, 1)
    )
    ActivityFactory(agreement=agreement_if, status=S.TERLAKSANA, field="pkm", kind="magang", start_date=D(2026, 3, 1))
    query = {"status": "terlaksana", "field": "penelitian", "kind": "magang", "unit": jurusan_if.pk, "year": 2026}

    response = client_for(staff).get(reverse("activities:list"), query)
    assert [a.pk for a in response.context["page_obj"]] == [wanted.pk]
    by_agreement = client_for(staff).get(reverse("activities:list"), {"agreement": agreement_mb.pk})
    assert by_agreement.context["page_obj"].paginator.count == 1
    assert by_agreement.context["agreement"] == agreement_mb


def test_it_returns_only_the_results_fragment_to_htmx(client_for, staff):
    ActivityFactory()
    response = client_for(staff).get(reverse("activities:list"), HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "activities/_list_results.html"


def _list_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(reverse("activities:list"))
    assert response.status_code == 200
    return response


def test_it_lists_activities_in_a_fixed_number_of_queries(
    client_for, staff, django_assert_max_num_queries, jurusan_if, prodi_if
):
    client = client_for(staff)
    ActivityFactory.create_batch(3, units=[jurusan_if])
    _list_queries(client, django_assert_max_num_queries, 10)
    for _ in range(30):
        ActivityFactory(agreement=AgreementFactory(units=[jurusan_if]), prodi=[prodi_if])
    response = _list_queries(client, django_assert_max_num_queries, 10)
    assert len(response.context["page_obj"]) == 25


def test_it_shows_the_detail_in_a_fixed_number_of_queries(
    client_for, kapokja, agreement_if, django_assert_max_num_queries
):
    activity = ActivityFactory(agreement=agreement_if)
    for _ in range(5):
        record = CoordinationRecordFactory(activity=activity)
        FollowUpTaskFactory(activity=activity, record=record)
    client = client_for(kapokja)
    # Two more than before the reporting fields: the funds and the outputs used by the partner.
    with django_assert_max_num_queries(18):
        response = client.get(activity.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["coordinations"]) == 5
    assert len(response.context["tasks"]) == 5


def test_it_shows_the_history_with_the_transition_reason(client_for, staff, kapokja, agreement_if):
    from simkerma.activities.services import activity_transition

    activity = ActivityFactory(agreement=agreement_if)
    activity_transition(activity=activity, to=S.BATAL, user=staff, reason="Mitra menunda")
    response = client_for(kapokja).get(reverse("activities:history", args=[activity.pk]))
    assert response.status_code == 200
    assert any("Mitra menunda" in entry.reason for entry in response.context["entries"])


def test_it_searches_agreements_for_the_picker_within_a_coordinators_scope(
    client_for, coordinator, staff, agreement_if, agreement_mb
):
    url = reverse("activities:pick_agreement")
    mine = client_for(coordinator).get(url, {"agreement__q": "PKS"})
    assert mine.context["results"] == [agreement_if]
    everything = client_for(staff).get(url, {"agreement__q": "PKS"})
    assert set(everything.context["results"]) == {agreement_if, agreement_mb}


def test_it_keeps_the_code_when_it_is_emptied_on_edit(client_for, staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, code="K2026-00042")
    response = client_for(staff).post(reverse("activities:edit", args=[activity.pk]), plan_data(agreement_if, code=""))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.code == "K2026-00042"

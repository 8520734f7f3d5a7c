"""Each activity rule is refused through full_clean() and through the service without a form,
naming the field, with nothing saved; the form shows the same message."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from simkerma.activities.data import ActivityData, CoordinationData, TaskData
from simkerma.activities.forms import ActivityForm
from simkerma.activities.models import Activity, CoordinationRecord, FollowUpTask
from simkerma.activities.services import activity_save, coordination_save, task_create
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db
D = dt.date
NOW = dt.datetime(2026, 3, 9, 3, 0, tzinfo=dt.UTC)


def data(agreement, **overrides):
    values = {
        "agreement": agreement,
        "title": "Kuliah tamu keamanan siber",
        "kind": "kuliah_tamu",
        "field": "pendidikan",
        "start_date": D(2026, 5, 4),
    }
    values.update(overrides)
    return ActivityData(**values)


def refused_by_service(user, values, activity=None):
    with pytest.raises(ValidationError) as refused:
        activity_save(activity=activity, data=values, user=user)
    return refused.value.message_dict


DATE_CASES = [
    ("end_date", {"end_date": D(2026, 5, 1)}),
    ("end_time", {"end_time": dt.time(10, 0)}),
    ("end_time", {"start_time": dt.time(10, 0), "end_time": dt.time(9, 0)}),
    ("end_time", {"start_time": dt.time(10, 0), "end_date": D(2026, 5, 4), "end_time": dt.time(10, 0)}),
]


@pytest.mark.parametrize(("field", "values"), DATE_CASES)
def test_date_and_time_rules_hold_in_full_clean_and_in_the_service(staff, agreement_if, field, values):
    activity = Activity(agreement=agreement_if, code="K2026-00001", title="x", kind="rapat", field="pendidikan")
    for name, value in {"start_date": D(2026, 5, 4), **values}.items():
        setattr(activity, name, value)
    with pytest.raises(ValidationError) as by_clean:
        activity.full_clean()

    by_service = refused_by_service(staff, data(agreement_if, **values))

    assert by_service[field] == by_clean.value.message_dict[field]
    assert not Activity.objects.exists()


def test_the_form_shows_the_same_date_message_as_the_service(staff, agreement_if):
    by_service = refused_by_service(staff, data(agreement_if, end_date=D(2026, 5, 1)))
    form = ActivityForm(
        {
            "agreement": [str(agreement_if.pk)],
            "title": "Kuliah tamu",
            "kind": "kuliah_tamu",
            "field": "pendidikan",
            "start_date": "2026-05-04",
            "end_date": "2026-05-01",
            "expected_students": "0",
            "expected_lecturers": "0",
        },
        user=staff,
    )
    assert not form.is_valid()
    assert form.errors["end_date"] == by_service["end_date"]


def test_a_coordinator_plans_only_under_an_agreement_naming_their_unit(coordinator, agreement_mb):
    errors = refused_by_service(coordinator, data(agreement_mb))
    assert list(errors) == ["agreement"]
    assert not Activity.objects.exists()


def test_a_coordinators_activity_must_name_their_unit(coordinator, agreement_if, jurusan_mb, prodi_mb):
    errors = refused_by_service(coordinator, data(agreement_if, units=[jurusan_mb], prodi=[prodi_mb]))
    assert list(errors) == ["units"]
    assert not Activity.objects.exists()


def test_the_partner_contact_belongs_to_the_agreements_partner(staff, agreement_if):
    stranger = ContactFactory(partner=PartnerFactory(name="PT Lain"))
    errors = refused_by_service(staff, data(agreement_if, partner_contact=stranger))
    assert list(errors) == ["partner_contact"]
    assert not Activity.objects.exists()


@pytest.mark.parametrize("role", ["pimpinan", "auditor", "outsider"])
def test_the_service_refuses_a_role_that_does_not_plan(request, agreement_if, role):
    with pytest.raises(PermissionDenied):
        activity_save(data=data(agreement_if), user=request.getfixturevalue(role))
    assert not Activity.objects.exists()


def test_the_service_refuses_an_edit_by_a_coordinator_of_another_unit(other_coordinator, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, title="Lama")
    with pytest.raises(PermissionDenied):
        activity_save(activity=activity, data=data(agreement_if, title="Baru"), user=other_coordinator)
    assert Activity.objects.get().title == "Lama"


def test_the_service_saves_with_the_next_code_one_history_record_and_the_warnings(staff, agreement_if, prodi_if):
    saved = activity_save(data=data(agreement_if, start_date=D(2030, 2, 1), prodi=[prodi_if]), user=staff)

    activity = Activity.objects.get()
    assert saved.obj == activity
    assert activity.code == "K2030-00001"
    assert activity.created_by == staff
    assert list(activity.prodi.all()) == [prodi_if]
    record = activity.history.get()
    assert (record.history_type, record.history_change_reason) == ("+", "created")
    assert len(saved.warnings) == 1 and agreement_if.number in saved.warnings[0]


def test_an_edit_keeps_the_code_when_none_is_given(staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, code="K2026-00042")
    saved = activity_save(activity=activity, data=data(agreement_if, title="Judul baru"), user=staff)
    activity.refresh_from_db()
    assert (activity.code, activity.title, saved.warnings) == ("K2026-00042", "Judul baru", ())
    assert activity.history.latest().history_change_reason == "edited"


# --- coordination records and tasks ------------------------------------------------------------


def coordination(**overrides):
    values = {
        "kind": "rapat",
        "held_at": dt.datetime(2026, 3, 9, 3, 0, tzinfo=dt.UTC),
        "mode": "luring",
        "agenda": "Persiapan",
    }
    values.update(overrides)
    return CoordinationData(**values)


def test_a_coordination_ending_before_it_starts_is_refused_by_full_clean_and_the_service(kapokja, agreement_if):
    activity = ActivityFactory(agreement=agreement_if)
    held = dt.datetime(2026, 3, 9, 3, 0, tzinfo=dt.UTC)
    record = CoordinationRecord(activity=activity, kind="rapat", mode="luring", held_at=held, ends_at=held)
    with pytest.raises(ValidationError) as by_clean:
        record.full_clean()

    with pytest.raises(ValidationError) as by_service:
        coordination_save(activity=activity, data=coordination(ends_at=held), user=kapokja)

    assert by_service.value.message_dict["ends_at"] == by_clean.value.message_dict["ends_at"]
    assert not CoordinationRecord.objects.exists()


def test_a_coordination_with_a_bad_task_saves_nothing(kapokja, auditor, agreement_if):
    activity = ActivityFactory(agreement=agreement_if)
    tasks = [
        TaskData(title="Siapkan ruang", assignee=kapokja, due_date=D(2026, 3, 12)),
        TaskData(title="Audit", assignee=auditor, due_date=D(2026, 3, 12)),
    ]
    with pytest.raises(ValidationError) as refused:
        coordination_save(activity=activity, data=coordination(tasks=tasks), user=kapokja)

    assert "assignee" in refused.value.message_dict
    assert not CoordinationRecord.objects.exists()
    assert not FollowUpTask.objects.exists()


def test_a_coordination_saves_with_its_tasks(kapokja, staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if)
    tasks = [TaskData(title="Siapkan ruang", assignee=staff, due_date=D(2026, 3, 12))]

    record = coordination_save(
        activity=activity, data=coordination(internal_attendees=[staff], tasks=tasks), user=kapokja
    )

    assert list(record.internal_attendees.all()) == [staff]
    assert list(record.tasks.values_list("title", "assignee", "created_by")) == [
        ("Siapkan ruang", staff.pk, kapokja.pk)
    ]


def test_only_the_team_coordinates(coordinator, agreement_if):
    activity = ActivityFactory(agreement=agreement_if)
    with pytest.raises(PermissionDenied):
        coordination_save(activity=activity, data=coordination(), user=coordinator)
    assert not CoordinationRecord.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_task_due_more_than_a_year_ago_is_refused_by_full_clean_and_the_service(kapokja, staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if)
    long_ago = D(2025, 3, 1)
    task = FollowUpTask(activity=activity, title="Lama", assignee=staff, due_date=long_ago)
    with pytest.raises(ValidationError) as by_clean:
        task.full_clean()

    with pytest.raises(ValidationError) as by_service:
        task_create(
            activity=activity, record=None, data=TaskData(title="Lama", assignee=staff, due_date=long_ago), user=kapokja
        )

    assert by_service.value.message_dict["due_date"] == by_clean.value.message_dict["due_date"]
    assert not FollowUpTask.objects.exists()


def test_a_code_in_use_is_refused_by_the_service_with_the_forms_message(staff, agreement_if):
    ActivityFactory(agreement=agreement_if, code="K2026-00001")
    errors = refused_by_service(staff, data(agreement_if, code="K2026-00001"))
    form = ActivityForm(
        {
            "agreement": [str(agreement_if.pk)],
            "code": "K2026-00001",
            "title": "Kuliah tamu",
            "kind": "kuliah_tamu",
            "field": "pendidikan",
            "start_date": "2026-05-04",
            "expected_students": "0",
            "expected_lecturers": "0",
        },
        user=staff,
    )
    assert not form.is_valid()
    assert errors["code"] == form.errors["code"]
    assert Activity.objects.count() == 1

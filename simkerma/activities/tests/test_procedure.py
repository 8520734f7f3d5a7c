"""The procedure lives on the model: the status changes only by Activity.move(), which records it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from simkerma.activities.models import IMPORTED, Activity, ActivityStatus, ActivityTransition, order_refusal
from simkerma.activities.services import activity_transition
from simkerma.activities.tests.factories import ActivityFactory

S = ActivityStatus
pytestmark = pytest.mark.django_db
STARTED = dt.date(2026, 3, 2)


@pytest.fixture
def planned(agreement_if):
    return ActivityFactory(agreement=agreement_if, start_date=STARTED)


def test_it_refuses_a_skipped_step_set_by_hand_in_full_clean_naming_the_status(planned):
    planned.status = S.DIARSIPKAN

    with pytest.raises(ValidationError) as refused:
        planned.full_clean()

    assert refused.value.message_dict["status"] == [order_refusal(S.RENCANA, S.DIARSIPKAN)]
    assert not ActivityTransition.objects.exists()


def test_it_refuses_a_skipped_step_set_by_hand_in_save_and_records_nothing(planned):
    history_before = planned.history.count()
    planned.status = S.DIARSIPKAN

    with pytest.raises(ValidationError) as refused:
        planned.save()

    assert refused.value.message_dict["status"] == [order_refusal(S.RENCANA, S.DIARSIPKAN)]
    assert Activity.objects.get(pk=planned.pk).status == S.RENCANA
    assert not ActivityTransition.objects.exists()
    assert planned.history.count() == history_before


def test_it_refuses_even_the_next_step_set_by_hand_since_it_would_not_be_recorded(planned):
    planned.status = S.DIKOORDINASIKAN

    with pytest.raises(ValidationError) as refused:
        planned.save()

    assert "status" in refused.value.message_dict
    assert Activity.objects.get(pk=planned.pk).status == S.RENCANA


def test_the_service_refuses_a_skipped_step_with_the_same_message_and_records_nothing(planned, kapokja):
    planned.status = S.DIARSIPKAN
    with pytest.raises(ValidationError) as by_model:
        planned.full_clean()
    planned.status = S.RENCANA

    with pytest.raises(ValidationError) as by_service:
        activity_transition(activity=planned, to=S.DIARSIPKAN, user=kapokja)

    assert by_service.value.messages == by_model.value.message_dict["status"]
    assert Activity.objects.get(pk=planned.pk).status == S.RENCANA
    assert not ActivityTransition.objects.exists()


def test_it_refuses_to_create_an_activity_past_rencana_except_by_the_import_path(agreement_if):
    new = Activity(agreement=agreement_if, code="K2026-00001", title="Magang", kind="magang", field="pendidikan")
    new.start_date = STARTED
    new.status = S.TERLAKSANA

    with pytest.raises(ValidationError) as by_clean:
        new.full_clean()
    with pytest.raises(ValidationError) as by_save:
        new.save()

    assert "status" in by_clean.value.message_dict
    assert "status" in by_save.value.message_dict
    assert not Activity.objects.exists()


def test_create_imported_creates_in_the_given_status_with_the_reason_in_history(agreement_if):
    activity = Activity.create_imported(
        status=S.TERLAKSANA,
        agreement=agreement_if,
        code="K2026-00001",
        title="Magang",
        kind="magang",
        field="pendidikan",
        start_date=STARTED,
    )

    stored = Activity.objects.get(pk=activity.pk)
    assert stored.status == S.TERLAKSANA
    assert stored.history.get().history_change_reason == "imported"
    assert not ActivityTransition.objects.exists()
    stored.full_clean()  # stored as it is, the status passes


def test_an_imported_move_may_jump_ahead_and_records_one_transition_with_its_reason(planned, staff):
    transition = planned.move(S.DILAPORKAN, user=staff, imported=True)

    assert (transition.from_status, transition.to_status, transition.user, transition.reason) == (
        S.RENCANA,
        S.DILAPORKAN,
        staff,
        IMPORTED,
    )
    assert list(planned.transitions.values_list("from_status", "to_status", "reason")) == [
        ("rencana", "dilaporkan", "imported")
    ]
    planned.refresh_from_db()
    assert planned.status == S.DILAPORKAN
    assert planned.history.latest().history_change_reason == "imported"


@pytest.mark.parametrize(("frm", "to"), [(S.DIARSIPKAN, S.BATAL), (S.BATAL, S.TERLAKSANA), (S.TERLAKSANA, S.RENCANA)])
def test_not_even_an_imported_move_leaves_batal_or_diarsipkan_or_goes_back(planned, staff, frm, to):
    Activity.objects.filter(pk=planned.pk).update(status=frm)
    planned.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        planned.move(to, user=staff, imported=True)

    assert "status" in refused.value.message_dict
    assert Activity.objects.get(pk=planned.pk).status == frm
    assert not ActivityTransition.objects.exists()


def test_move_without_import_goes_one_step_and_cancels_with_the_reason(planned, staff):
    with pytest.raises(ValidationError):
        planned.move(S.TERLAKSANA, user=staff)

    planned.move(S.BATAL, user=staff, reason=" Mitra mundur ")

    stored = Activity.objects.get(pk=planned.pk)
    assert (stored.status, stored.cancel_reason) == (S.BATAL, "Mitra mundur")
    assert stored.history.latest().history_change_reason == "Cancelled: Mitra mundur"
    assert list(stored.transitions.values_list("to_status", "reason")) == [("batal", "Mitra mundur")]


def test_the_admin_shows_the_status_read_only(client_for, admin_user, planned):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    page = client_for(admin_user).get(reverse("admin:activities_activity_change", args=[planned.pk]))

    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "status" not in form.fields
    assert "cancel_reason" not in form.fields

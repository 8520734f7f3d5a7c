"""The procedure's status moves: who may make each one, and moves out of order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from simkerma.activities.models import Activity, ActivityStatus, ActivityTransition
from simkerma.activities.services import activity_transition
from simkerma.activities.tests.factories import ActivityFactory

S = ActivityStatus
ROLES = [
    "staff",
    "kapokja",
    "admin_user",
    "coordinator",
    "other_coordinator",
    "p3m_user",
    "pimpinan",
    "auditor",
    "outsider",
]
# (from, to, roles allowed); every other role in ROLES is refused.
MOVES = [
    (S.RENCANA, S.DIKOORDINASIKAN, {"kapokja", "admin_user"}),
    (S.DIKOORDINASIKAN, S.TERLAKSANA, {"staff", "kapokja", "admin_user", "coordinator"}),
    (S.TERLAKSANA, S.DILAPORKAN, {"staff", "kapokja", "admin_user", "coordinator"}),
    (S.DILAPORKAN, S.DIARSIPKAN, {"staff", "kapokja", "admin_user"}),
    (S.RENCANA, S.BATAL, {"staff", "kapokja", "admin_user", "coordinator"}),
    (S.DIKOORDINASIKAN, S.BATAL, {"staff", "kapokja", "admin_user"}),
]
CASES = [(frm, to, role, role in allowed) for frm, to, allowed in MOVES for role in ROLES]


# Started already: an activity is carried out on or after its start date (test_carried_out_timing.py).
STARTED = dt.date(2026, 3, 2)


@pytest.fixture
def activity(agreement_if):
    return ActivityFactory(agreement=agreement_if, start_date=STARTED)


@pytest.mark.parametrize(("frm", "to", "role", "allowed"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_it_lets_only_the_right_roles_make_each_move(request, activity, frm, to, role, allowed):
    user = request.getfixturevalue(role)
    Activity.objects.filter(pk=activity.pk).update(status=frm)
    activity.refresh_from_db()
    reason = "Mitra membatalkan" if to == S.BATAL else ""

    if allowed:
        activity_transition(activity=activity, to=to, user=user, reason=reason)
        activity.refresh_from_db()
        assert activity.status == to
        log = ActivityTransition.objects.get(activity=activity)
        assert (log.from_status, log.to_status, log.user, log.reason) == (frm, to, user, reason)
        if to == S.BATAL:
            assert activity.cancel_reason == reason.strip()
    else:
        with pytest.raises(PermissionDenied):
            activity_transition(activity=activity, to=to, user=user, reason=reason)
        activity.refresh_from_db()
        assert activity.status == frm
        assert not ActivityTransition.objects.exists()


OUT_OF_ORDER = [
    (S.RENCANA, S.TERLAKSANA),
    (S.RENCANA, S.DILAPORKAN),
    (S.RENCANA, S.DIARSIPKAN),
    (S.DIKOORDINASIKAN, S.DILAPORKAN),
    (S.DIKOORDINASIKAN, S.RENCANA),
    (S.TERLAKSANA, S.DIKOORDINASIKAN),
    (S.TERLAKSANA, S.DIARSIPKAN),
    (S.TERLAKSANA, S.BATAL),
    (S.DILAPORKAN, S.BATAL),
    (S.DIARSIPKAN, S.BATAL),
    (S.DIARSIPKAN, S.RENCANA),
    (S.BATAL, S.RENCANA),
    (S.BATAL, S.DIKOORDINASIKAN),
    (S.RENCANA, S.RENCANA),
]


@pytest.mark.parametrize(("frm", "to"), OUT_OF_ORDER)
def test_it_refuses_a_move_out_of_order_even_for_the_kapokja(activity, kapokja, frm, to):
    Activity.objects.filter(pk=activity.pk).update(status=frm)
    activity.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        activity_transition(activity=activity, to=to, user=kapokja, reason="alasan")

    assert refused.value.code == "order"
    assert refused.value.messages and refused.value.messages[0]
    activity.refresh_from_db()
    assert activity.status == frm
    assert not ActivityTransition.objects.exists()


def test_it_needs_a_reason_to_cancel(activity, staff):
    with pytest.raises(ValidationError) as refused:
        activity_transition(activity=activity, to=S.BATAL, user=staff, reason="   ")
    assert "reason" in refused.value.message_dict
    activity.refresh_from_db()
    assert activity.status == S.RENCANA


def test_it_lets_p3m_carry_out_an_activity_that_names_p3m(agreement_mb, p3m_user, p3m_unit, coordinator):
    activity = ActivityFactory(agreement=agreement_mb, units=[p3m_unit], status=S.DIKOORDINASIKAN, start_date=STARTED)

    # The activity names P3M; the agreement (MB) names neither IF nor any of its prodi.
    with pytest.raises(PermissionDenied):
        activity_transition(activity=activity, to=S.TERLAKSANA, user=coordinator)
    activity_transition(activity=activity, to=S.TERLAKSANA, user=p3m_user)

    activity.refresh_from_db()
    assert activity.status == S.TERLAKSANA


def test_it_walks_the_whole_procedure_and_keeps_the_log_and_history(activity, staff, kapokja):
    activity_transition(activity=activity, to=S.DIKOORDINASIKAN, user=kapokja)
    activity_transition(activity=activity, to=S.TERLAKSANA, user=staff)
    activity_transition(activity=activity, to=S.DILAPORKAN, user=staff, reason="L2026-00001")
    activity_transition(activity=activity, to=S.DIARSIPKAN, user=staff, reason="L2026-00001")

    log = list(activity.transitions.values_list("from_status", "to_status", "user__username"))
    assert log == [
        ("rencana", "dikoordinasikan", "kapokja"),
        ("dikoordinasikan", "terlaksana", "staf"),
        ("terlaksana", "dilaporkan", "staf"),
        ("dilaporkan", "diarsipkan", "staf"),
    ]
    statuses = list(activity.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["rencana", "dikoordinasikan", "terlaksana", "dilaporkan", "diarsipkan"]
    assert activity.history.latest().history_change_reason.endswith("L2026-00001")


def test_it_moves_through_the_view_for_the_kapokja_and_refuses_staff(client_for, activity, staff, kapokja):
    url = reverse("activities:transition", args=[activity.pk])

    refused = client_for(staff).post(url, {"to": S.DIKOORDINASIKAN})
    activity.refresh_from_db()
    assert refused.status_code == 403
    assert activity.status == S.RENCANA

    done = client_for(kapokja).post(url, {"to": S.DIKOORDINASIKAN})
    activity.refresh_from_db()
    assert done.status_code == 302
    assert done["Location"] == activity.get_absolute_url()
    assert activity.status == S.DIKOORDINASIKAN


def test_it_reports_an_out_of_order_move_in_the_view_without_changing_anything(client_for, activity, kapokja):
    response = client_for(kapokja).post(
        reverse("activities:transition", args=[activity.pk]), {"to": S.DIARSIPKAN}, follow=True
    )

    activity.refresh_from_db()
    assert activity.status == S.RENCANA
    levels = [m.level_tag for m in get_messages(response.wsgi_request)] or [
        m.level_tag for m in response.context["messages"]
    ]
    assert "error" in levels


def test_it_offers_only_the_moves_the_user_may_make(client_for, activity, staff, kapokja, auditor):
    url = activity.get_absolute_url()
    assert client_for(kapokja).get(url).context["buttons"] == [S.DIKOORDINASIKAN, S.BATAL]
    assert client_for(staff).get(url).context["buttons"] == [S.BATAL]
    assert client_for(auditor).get(url).context["buttons"] == []


def test_it_refuses_a_get_on_the_transition_url(client_for, activity, kapokja):
    assert client_for(kapokja).get(reverse("activities:transition", args=[activity.pk])).status_code == 405


def test_it_keeps_a_long_cancel_reason_whole_and_the_history_reason_within_its_column(activity, staff):
    reason = "Mitra menunda seluruh program karena restrukturisasi. " * 40

    activity_transition(activity=activity, to=S.BATAL, user=staff, reason=reason)

    activity.refresh_from_db()
    assert activity.cancel_reason == reason.strip()
    recorded = activity.history.latest().history_change_reason
    assert len(recorded) == 100
    assert recorded.endswith("…")

"""Reminders before activities and before agreements expire, sent exactly once by the worker."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.activities.reminders import window_for
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core import notices
from simkerma.core.models import Notice

WIB = dt.timezone(dt.timedelta(hours=7))
D = dt.date

pytestmark = pytest.mark.django_db


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def planned(agreement_if, coordinator, other_coordinator, kapokja):
    """A plan on 10 December 2026 for IF, with kapokja as person in charge."""
    return ActivityFactory(agreement=agreement_if, title="Kuliah tamu siber", start_date=D(2026, 12, 10), pic=kapokja)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(0, None), (1, 1), (2, 7), (7, 7), (8, None), (30, 30), (31, 90), (90, 90), (91, 180), (181, None)],
)
def test_it_puts_each_day_in_one_reminder_window(days_left, expected):
    days = [1, 7] if days_left <= 8 else [30, 90, 180]
    assert window_for(days_left, days) == expected


def test_it_reminds_the_pic_and_the_unit_coordinators_once_per_window(planned, coordinator, kapokja):
    with time_machine.travel(at(2026, 12, 3, 8, 0), tick=False):
        notices.run_once(now=at(2026, 12, 3, 8, 0))
        notices.run_once(now=at(2026, 12, 3, 8, 1))
    assert recipients() == sorted([coordinator.email, kapokja.email])  # not the MB coordinator
    assert {m.subject for m in mail.outbox} == {mail.outbox[0].subject}
    assert "Kuliah tamu siber" in mail.outbox[0].subject
    assert planned.get_absolute_url() in mail.outbox[0].body

    # Later in the same window: nothing new. The 1-day window: one more each.
    with time_machine.travel(at(2026, 12, 6, 8, 0), tick=False):
        notices.run_once(now=at(2026, 12, 6, 8, 0))
    assert len(mail.outbox) == 2
    with time_machine.travel(at(2026, 12, 9, 8, 0), tick=False):
        notices.run_once(now=at(2026, 12, 9, 8, 0))
        notices.run_once(now=at(2026, 12, 9, 8, 5))
    assert len(mail.outbox) == 4
    keys = set(Notice.objects.values_list("key", flat=True))
    assert keys == {f"activity:{planned.pk}:20261210:{d}d:{user.pk}" for d in (7, 1) for user in (coordinator, kapokja)}


def test_it_waits_for_the_first_opening_of_the_office_day_before_sending(planned):
    # Thursday 3 December 2026; the default calendar opens at 08:00.
    with time_machine.travel(at(2026, 12, 3, 0, 5), tick=False):
        notices.run_once(now=at(2026, 12, 3, 0, 5))
    assert Notice.objects.count() == 2
    assert {notice.due_at for notice in Notice.objects.all()} == {at(2026, 12, 3, 8, 0)}
    with time_machine.travel(at(2026, 12, 3, 7, 59), tick=False):
        notices.run_once(now=at(2026, 12, 3, 7, 59))
    assert len(mail.outbox) == 0
    with time_machine.travel(at(2026, 12, 3, 8, 0), tick=False):
        notices.run_once(now=at(2026, 12, 3, 8, 0))
    assert len(mail.outbox) == 2


def test_it_sends_nothing_for_cancelled_or_carried_out_activities(agreement_if, coordinator):
    ActivityFactory(agreement=agreement_if, start_date=D(2026, 12, 10), status="batal")
    ActivityFactory(agreement=agreement_if, start_date=D(2026, 12, 10), status="terlaksana")
    with time_machine.travel(at(2026, 12, 3, 8, 0), tick=False):
        notices.run_once(now=at(2026, 12, 3, 8, 0))
    assert not Notice.objects.exists()


def test_it_sends_each_notice_once_across_a_mail_failure_and_a_retry_after_the_lease(planned, coordinator, kapokja):
    now = at(2026, 12, 3, 8, 0)
    with (
        time_machine.travel(now, tick=False),
        override_settings(EMAIL_BACKEND="simkerma.activities.tests.test_reminders.FailingBackend"),
    ):
        planned_count, sent = notices.run_once(now=now)
    assert (planned_count, sent) == (2, 0)
    assert Notice.objects.filter(sent_at__isnull=True).count() == 2
    assert all(n.last_error for n in Notice.objects.all())

    # Within the lease the claimed notices are left alone.
    soon = now + dt.timedelta(minutes=2)
    with time_machine.travel(soon, tick=False):
        assert notices.run_once(now=soon) == (0, 0)
    assert len(mail.outbox) == 0

    later = now + notices.CLAIM_LEASE + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert notices.run_once(now=later) == (0, 2)
        assert notices.run_once(now=later + dt.timedelta(minutes=10)) == (0, 0)
    assert recipients() == sorted([coordinator.email, kapokja.email])
    assert Notice.objects.filter(sent_at__isnull=True).count() == 0


def test_it_holds_a_notice_claimed_by_a_worker_that_died_and_alerts_the_administrators(planned, coordinator, kapokja):
    admin = UserFactory(username="admin.notice", role=Role.ADMIN, email="admin@polibatam.ac.id")
    now = at(2026, 12, 3, 8, 0)
    with time_machine.travel(now, tick=False):
        for planner in notices.planners():
            planner(now)
    # A worker claims one notice and dies while sending it: the mail server may have it or not.
    dead = Notice.objects.get(recipient=coordinator)
    assert notices._claim(dead, now, "dead-host:1")

    with time_machine.travel(now + dt.timedelta(minutes=1), tick=False):
        assert notices.send_due_notices(now=now + dt.timedelta(minutes=1)) == 1
    assert recipients() == [kapokja.email]

    after_lease = now + notices.CLAIM_LEASE + dt.timedelta(seconds=1)
    with time_machine.travel(after_lease, tick=False):
        notices.send_due_notices(now=after_lease)
        notices.send_due_notices(now=after_lease + dt.timedelta(minutes=30))
    # Not sent again (that could double it); held, and the administrator is told.
    assert coordinator.email not in recipients()
    dead.refresh_from_db()
    assert dead.sent_at is None
    assert dead.attempts == notices.MAX_ATTEMPTS
    assert dead.last_error.startswith("outcome unknown: the worker dead-host:1 claimed it at ")
    alert = Notice.objects.get(kind=notices.UNKNOWN_ALERT_KIND)
    assert alert.recipient == admin
    assert dead.subject in alert.body and coordinator.email in alert.body
    assert admin.email in recipients()


def test_it_sends_through_the_worker_command_exactly_once(planned, coordinator, kapokja):
    with time_machine.travel(at(2026, 12, 3, 8, 0), tick=False):
        call_command("simkerma_worker")
        call_command("simkerma_worker")
    assert recipients() == sorted([coordinator.email, kapokja.email])
    assert Notice.objects.filter(sent_at__isnull=False).count() == 2


def test_it_reminds_of_an_expiring_agreement_its_coordinators_and_the_team(
    jurusan_if, coordinator, other_coordinator, staff, kapokja
):
    inactive = UserFactory(username="staf.lama", role=Role.STAF, is_active=False)
    agreement = AgreementFactory(
        number="003/PKS.PL29/I/2025", units=[jurusan_if], start_date=D(2025, 1, 1), end_date=D(2027, 3, 1)
    )
    AgreementFactory(units=[jurusan_if], start_date=D(2025, 1, 1), end_date=D(2027, 3, 1), terminated_on=D(2026, 6, 1))

    # 1 March 2027 is 90 days after 1 December 2026.
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        notices.run_once(now=at(2026, 12, 1, 9, 0))
        notices.run_once(now=at(2026, 12, 1, 9, 1))
    assert recipients() == sorted([coordinator.email, staff.email, kapokja.email])
    assert inactive.email not in recipients()
    assert all("003/PKS.PL29/I/2025" in m.subject for m in mail.outbox)
    assert set(Notice.objects.values_list("key", flat=True)) == {
        f"agreement:{agreement.pk}:20270301:90d:{u.pk}" for u in (coordinator, staff, kapokja)
    }

    # Thirty days before, on Saturday 30 January 2027: one more round, planned then and sent at the
    # next opening, on Monday; extending the agreement starts the windows afresh.
    with time_machine.travel(at(2027, 1, 30, 9, 0), tick=False):
        notices.run_once(now=at(2027, 1, 30, 9, 0))
    assert len(mail.outbox) == 3
    with time_machine.travel(at(2027, 2, 1, 8, 0), tick=False):
        notices.run_once(now=at(2027, 2, 1, 8, 0))
    assert len(mail.outbox) == 6

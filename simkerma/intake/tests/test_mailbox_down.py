"""A mailbox that is down or refuses the login: one alert per outage, retried with back-off."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from simkerma.core.models import Notice
from simkerma.intake.imap import backoff, poll_mailbox
from simkerma.intake.models import MailboxState
from simkerma.intake.tests.dovecot import free_port
from simkerma.intake.tests.mails import mail
from simkerma.servicedesk.models import ServiceRequest


def test_it_backs_off_and_alerts_the_administrators_once_while_the_server_is_down(mailbox, settings, admin_user):
    settings.SIMKERMA_IMAP_PORT = free_port()  # nothing listens there
    start = timezone.now()

    for minute in range(30):  # the worker's planner runs each minute
        assert poll_mailbox(now=start + dt.timedelta(minutes=minute)) is None

    state = MailboxState.objects.get()
    # Tried at minutes 0, 1, 3, 7 and 15: each wait twice the one before.
    assert state.failures == 5
    assert state.next_attempt_at == start + dt.timedelta(minutes=15) + backoff(5)
    assert state.down_since == start
    assert "ConnectionRefusedError" in state.last_error
    alerts = Notice.objects.filter(kind="intake_imap_down")
    assert [(n.recipient, n.email) for n in alerts] == [(admin_user, admin_user.email)]


def test_a_refused_login_alerts_too_and_the_next_good_run_clears_the_outage(mailbox, settings, admin_user):
    password = settings.SIMKERMA_IMAP_PASSWORD
    settings.SIMKERMA_IMAP_PASSWORD = "salah"
    start = timezone.now()
    assert poll_mailbox(now=start) is None
    state = MailboxState.objects.get()
    assert "MailboxLoginError" in state.last_error
    assert Notice.objects.filter(kind="intake_imap_down").count() == 1

    settings.SIMKERMA_IMAP_PASSWORD = password
    mailbox.deliver(mail())
    assert poll_mailbox(now=start + dt.timedelta(seconds=30)) is None  # still waiting out the back-off
    result = poll_mailbox(now=start + backoff(1))

    assert result is not None and result.created == 1
    state.refresh_from_db()
    assert (state.failures, state.down_since, state.last_error) == (0, None, "")
    assert ServiceRequest.objects.count() == 1


def test_it_does_nothing_without_a_configured_mailbox(db, settings):
    settings.SIMKERMA_IMAP_HOST = ""

    assert poll_mailbox() is None
    assert not MailboxState.objects.exists()


def test_backoff_doubles_up_to_the_limit(settings):
    settings.SIMKERMA_IMAP_MAX_BACKOFF_SECONDS = 3600

    assert [backoff(n).total_seconds() for n in (1, 2, 3, 7, 8, 40)] == [60, 120, 240, 3600, 3600, 3600]

"""Reminders and alerts: producers plan notices, the worker sends each one once.

An app registers a planner in its AppConfig.ready():

    from simkerma.core.notices import register_planner
    register_planner(plan_activity_reminders)

A planner receives the current time and calls `notice_plan(...)` for every notice that should
exist by then; planning the same key again is a no-op, so planners can run every minute. A planner
that fails is logged and the others still run.

Notices to a person with an account (reminders, breach alerts) keep office hours: one that falls
outside working time is due at the next opening of the working calendar in force then, which the
service desk provides (`register_office_calendar`). A notice to an outside address only, such as
the receipt to a requester, is due at once.

Each notice is sent at most once. The worker records its claim (who, when, the attempt) before it
hands the message to the mail server and marks the notice sent right after; a refusal by the mail
server releases the claim's owner, so the notice is tried again once the lease runs out. A claim that
runs out still owned means its worker died or hung in the middle of sending: the mail server may or
may not have the message, so it is not sent again (that could double it). It is held with its
outcome unknown, logged as an error, and every administrator gets an alert naming it, to check with
the recipient (docs/architecture.md, "Notices").

Sent notices are kept for settings.SIMKERMA_NOTICE_KEEP_DAYS, then pruned a batch at a time. The
setting is never shorter than the longest reminder, so a planner whose window is still open never
finds its notice gone and plans it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from simkerma.core.models import Notice
from simkerma.core.registry import Registry
from simkerma.core.text import mail_subject
from simkerma.core.worktime import WorkCalendar, calendar_from_settings

logger = logging.getLogger(__name__)

Planner = Callable[[dt.datetime], None]
_planners: Registry[Planner] = Registry("planner")
# The working calendar in force at a moment.
OfficeCalendar = Callable[[dt.datetime], WorkCalendar]
_office_calendars: Registry[OfficeCalendar] = Registry("office calendar")
# A claimed notice not marked sent within this time had its worker die or hang while sending it.
CLAIM_LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5
PRUNE_BATCH = 1000
UNKNOWN_OUTCOME = "outcome unknown: the worker {worker} claimed it at {at} and never marked it sent"
UNKNOWN_ALERT_KIND = "notice_outcome_unknown"
# Notices this process created, so that a run tells how many it planned without counting the table.
_created = 0


class Stop(Protocol):
    """What tells a run to stop after the notice in hand (the worker's stop flag, or an Event)."""

    def is_set(self) -> bool: ...


def register_planner(planner: Planner, *, order: int = 100) -> None:
    name = f"{planner.__module__}.{getattr(planner, '__qualname__', repr(planner))}"
    if "<" in name:  # a lambda or a local function: only the same object is the same planner
        name = f"{name}#{id(planner)}"
    _planners.register(name, planner, order=order)


def planners() -> list[Planner]:
    return _planners.items()


def register_office_calendar(provider: OfficeCalendar, *, order: int = 100) -> None:
    """The calendar whose openings staff notices keep; the first registered (by order) is used."""
    _office_calendars.register(f"{provider.__module__}.{provider.__qualname__}", provider, order=order)


def office_opening(moment: dt.datetime) -> dt.datetime:
    """`moment` itself during working time, else the next opening (the default calendar when no app
    registered one)."""
    providers = _office_calendars.items()
    calendar = providers[0](moment) if providers else calendar_from_settings(None, around=moment)
    return calendar.next_opening(moment)


def _in_office_hours(due_at: dt.datetime) -> dt.datetime:
    """A later due time moves to its next opening; one due by now stays, unless now is outside
    working time: then it waits for the next opening from now."""
    now = timezone.now()
    if due_at > now:
        return office_opening(due_at)
    opening = office_opening(now)
    return due_at if opening == now else opening


def notice_plan(
    *,
    key: str,
    kind: str,
    subject: str,
    body: str,
    due_at: dt.datetime,
    recipient: Any = None,
    email: str = "",
    link: str = "",
    office_hours: bool | None = None,
) -> Notice | None:
    """Create the notice unless one with this key exists already. Returns the new notice or None.

    With `office_hours` (by default: when the notice goes to a person with an account) a notice due
    outside working time, or already past due then, is due at the next opening instead.
    """
    address = email or (getattr(recipient, "email", "") or "")
    if Notice.objects.filter(key=key).exists():
        return None
    if recipient is not None if office_hours is None else office_hours:
        due_at = _in_office_hours(due_at)
    global _created
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                key=key,
                kind=kind,
                subject=mail_subject(subject),
                body=body,
                due_at=due_at,
                recipient=recipient,
                email=address,
                link=link,
            )
    except IntegrityError:  # another worker planned it a moment ago
        return None
    _created += 1
    return notice


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(notice: Notice, now: dt.datetime, worker: str) -> bool:
    """Take the notice for this worker with a conditional UPDATE; False if someone else has it."""
    taken = (
        Notice.objects.filter(pk=notice.pk, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(_claimable(now))
        .update(claimed_at=now, claimed_by=worker, attempts=F("attempts") + 1)
    )
    return taken == 1


def _claimable(now: dt.datetime) -> Q:
    """Never claimed, or refused by the mail server (owner released) and past the lease."""
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE, claimed_by="")


def _alert_unknown(notice: Notice) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A notice may not have been sent")
        body = _(
            'The worker stopped in the middle of sending the notice "%(subject)s" to %(email)s '
            "(due %(due)s WIB). The mail server may or may not have it, so it is not sent again, "
            "which could double it. Check with the recipient whether it arrived."
        ) % {
            "subject": notice.subject,
            "email": notice.email or "-",
            "due": timezone.localtime(notice.due_at).strftime("%Y-%m-%d %H:%M"),
        }
    # The administrators: their role makes them superusers.
    for user in get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk"):
        notice_plan(
            key=f"core.notice_unknown:{notice.pk}:{user.pk}",
            kind=UNKNOWN_ALERT_KIND,
            subject=subject,
            body=body,
            due_at=timezone.now(),
            recipient=user,
        )


def notices_hold_unknown(*, now: dt.datetime | None = None) -> int:
    """Hold every notice whose claim ran out still owned (its worker died or hung while sending):
    it is never sent again, and the administrators are alerted. Returns how many were held."""
    now = now or timezone.now()
    stale = (
        Notice.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, claimed_at__lt=now - CLAIM_LEASE)
        .exclude(claimed_by="")
        .order_by("pk")
    )
    held = 0
    for notice in list(stale):
        assert notice.claimed_at is not None
        reason = UNKNOWN_OUTCOME.format(worker=notice.claimed_by, at=notice.claimed_at.isoformat())
        # Conditional on the same claim, so two workers never hold (and alert) it twice. The owner
        # stays, so a worker that was only slow can still mark it sent.
        taken = Notice.objects.filter(
            pk=notice.pk, sent_at__isnull=True, claimed_by=notice.claimed_by, claimed_at=notice.claimed_at
        ).update(attempts=MAX_ATTEMPTS, last_error=reason)
        if taken != 1:
            continue
        held += 1
        logger.error("notice %s held: %s", notice.key, reason)
        if notice.kind != UNKNOWN_ALERT_KIND:  # an alert about an alert would never end
            _alert_unknown(notice)
    return held


def send_due_notices(
    *,
    now: dt.datetime | None = None,
    worker: str | None = None,
    limit: int = 200,
    stop: Stop | None = None,
) -> int:
    """Send every due, unsent notice once (until `stop` is set). Returns how many were sent."""
    now = now or timezone.now()
    worker = worker or worker_id()
    notices_hold_unknown(now=now)
    due = (
        Notice.objects.filter(sent_at__isnull=True, due_at__lte=now, attempts__lt=MAX_ATTEMPTS)
        .filter(_claimable(now))
        .order_by("due_at", "pk")[:limit]
    )
    sent = 0
    for notice in list(due):
        if stop is not None and stop.is_set():
            break
        if not _claim(notice, now, worker):
            continue
        try:
            if notice.email:
                body = notice.body
                if notice.link:
                    body = f"{body}\n\n{settings.SIMKERMA_BASE_URL.rstrip('/')}{notice.link}"
                # A subject stored before one-line text was enforced may still hold a line break.
                send_mail(mail_subject(notice.subject), body, None, [notice.email])
        except Exception as error:  # the mail server refused: leave it for the next claim
            logger.warning("notice %s not sent: %s", notice.key, error)
            # The outcome is known (refused), so the claim's owner is released for a retry after the lease.
            Notice.objects.filter(pk=notice.pk, claimed_by=worker).update(last_error=str(error)[:2000], claimed_by="")
            continue
        Notice.objects.filter(pk=notice.pk, claimed_by=worker).update(sent_at=timezone.now())
        sent += 1
    return sent


def run_planners(now: dt.datetime, *, stop: Stop | None = None) -> int:
    """Run every planner (until `stop` is set); one that fails is logged. Returns how many notices were planned."""
    before = _created
    for planner in planners():
        if stop is not None and stop.is_set():
            break
        try:
            planner(now)
        except Exception:
            logger.exception("notice planner %s failed", getattr(planner, "__qualname__", planner))
    return _created - before


def run_once(*, now: dt.datetime | None = None, stop: Stop | None = None) -> tuple[int, int]:
    """Plan every notice that is due by now, then send. Returns (planned, sent)."""
    now = now or timezone.now()
    planned = run_planners(now, stop=stop)
    if stop is not None and stop.is_set():
        return planned, 0
    return planned, send_due_notices(now=now, stop=stop)


def notices_prune(*, now: dt.datetime | None = None, batch: int = PRUNE_BATCH) -> int:
    """Delete at most `batch` of the notices sent more than SIMKERMA_NOTICE_KEEP_DAYS ago, oldest
    first. Returns how many went; the worker calls it every run, so a backlog goes a batch at a time."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.SIMKERMA_NOTICE_KEEP_DAYS)
    old = Notice.objects.filter(sent_at__lt=cutoff).order_by("sent_at", "pk").values_list("pk", flat=True)[:batch]
    ids = list(old)
    if not ids:
        return 0
    deleted, _by_model = Notice.objects.filter(pk__in=ids).delete()
    return deleted

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
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

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
# A claimed notice not marked sent within this time is claimed again (its worker died).
CLAIM_LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5
PRUNE_BATCH = 1000
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
        Notice.objects.filter(pk=notice.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .update(claimed_at=now, claimed_by=worker, attempts=F("attempts") + 1)
    )
    return taken == 1


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
    due = (
        Notice.objects.filter(sent_at__isnull=True, due_at__lte=now, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
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
            Notice.objects.filter(pk=notice.pk).update(last_error=str(error)[:2000])
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

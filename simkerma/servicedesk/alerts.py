"""The breach watch: a planner for the notice worker (`manage.py simkerma_worker`).

Every run records a breach for each clock past its limit, then tells every active Kapokja about
each breach not announced yet, by e-mail and in the app; a breach found outside working time is
announced at the next opening (core.notices keeps office hours for staff). Notice keys make this
idempotent: two runs, or two workers, announce each breach once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from simkerma.accounts.models import Role, User
from simkerma.core.notices import notice_plan
from simkerma.servicedesk.models import CLOCK_BY_NAME, Breach
from simkerma.servicedesk.services import breaches_detect


def breach_notice_key(breach: Breach, user: User) -> str:
    return f"servicedesk.breach:{breach.pk}:{user.pk}"


def _message(breach: Breach) -> tuple[str, str]:
    request = breach.request
    clock = CLOCK_BY_NAME[breach.clock]
    deadline = timezone.localtime(breach.deadline).strftime("%Y-%m-%d %H:%M")
    subject = _("Service time breached: %(code)s, %(clock)s") % {
        "code": request.code,
        "clock": breach.get_clock_display(),
    }
    done = getattr(request, clock.done)
    state = (
        _("It was done at %(when)s (WIB).") % {"when": timezone.localtime(done).strftime("%Y-%m-%d %H:%M")}
        if done
        else _("It is still open.")
    )
    body = _(
        'The request %(code)s "%(subject)s" from %(requester)s passed its deadline of %(deadline)s (WIB) '
        "for: %(clock)s. %(state)s\n\nPlease see that the staff record the reason for the breach."
    ) % {
        "code": request.code,
        "subject": request.subject,
        "requester": request.requester_name,
        "deadline": deadline,
        "clock": breach.get_clock_display(),
        "state": state,
    }
    return subject, body


def plan_breach_notices(now: dt.datetime) -> None:
    breaches_detect(now=now)
    pending = list(
        Breach.objects.filter(notified_at__isnull=True, request__discarded_at__isnull=True)
        .select_related("request")
        .order_by("pk")
    )
    if not pending:
        return
    recipients = list(User.objects.filter(role=Role.KAPOKJA, is_active=True).order_by("pk"))
    with translation.override(settings.LANGUAGE_CODE):
        for breach in pending:
            subject, body = _message(breach)
            for user in recipients:
                notice_plan(
                    key=breach_notice_key(breach, user),
                    kind="servicedesk_breach",
                    subject=subject,
                    body=body,
                    due_at=now,
                    recipient=user,
                    link=breach.request.get_absolute_url(),
                )
            Breach.objects.filter(pk=breach.pk, notified_at__isnull=True).update(notified_at=now)

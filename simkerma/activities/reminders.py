"""Reminder planners for the core notice worker (registered in ActivitiesConfig.ready()).

Each planner runs every minute or so and plans the notices that are due by now. A reminder
"d days before" belongs to a window: with days [7, 1] the 7-day reminder is planned when the date
is 2 to 7 days away and the 1-day reminder when it is 1 day away, so an activity planned at short
notice gets one reminder, not a burst of all the ones it missed. The key names the date it is
about, so a moved activity or an extended agreement is reminded of again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from simkerma.accounts.models import UNIT_ROLES, Role, User
from simkerma.activities.models import Activity, ActivityStatus
from simkerma.agreements.models import Agreement
from simkerma.core.dates import WIB
from simkerma.core.models import Notice
from simkerma.core.notices import notice_plan
from simkerma.org.models import Prodi, Unit

# A reminder is due from the start of its day; as a notice to staff it waits for the day's first
# opening (core.notices keeps office hours).
SEND_AT = dt.time(0, 0)


def activity_reminder_days() -> list[int]:
    return sorted({int(d) for d in settings.SIMKERMA_ACTIVITY_REMINDER_DAYS if int(d) > 0})


def agreement_reminder_days() -> list[int]:
    return sorted({int(d) for d in settings.SIMKERMA_AGREEMENT_REMINDER_DAYS if int(d) > 0})


def window_for(days_left: int, days: list[int]) -> int | None:
    """The reminder (in days before) whose window holds days_left, if any. `days` is ascending."""
    lower = 0
    for d in days:
        if lower < days_left <= d:
            return d
        lower = d
    return None


def _due_at(day: dt.date) -> dt.datetime:
    """The start of the reminder's day (WIB); a window reached late (a plan made at short notice) is due at once."""
    return dt.datetime.combine(day, SEND_AT, tzinfo=WIB)


def _coordinators_by_unit(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    people: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(is_active=True, role__in=list(UNIT_ROLES), unit_id__in=set(unit_ids)):
        people[user.unit_id].append(user)  # type: ignore[index]
    return people


def _plan_missing(candidates: list[dict[str, Any]]) -> None:
    """Plan the candidates whose key is not there yet (one query to find them)."""
    known = set(Notice.objects.filter(key__in=[c["key"] for c in candidates]).values_list("key", flat=True))
    for candidate in candidates:
        if candidate["key"] not in known:
            notice_plan(**candidate)


def _units_prefetch() -> list[Any]:
    units = Unit.objects.only("pk")
    prodi = Prodi.objects.only("pk", "unit_id")
    return [
        Prefetch("units", queryset=units),
        Prefetch("prodi", queryset=prodi),
        Prefetch("agreement__units", queryset=units),
        Prefetch("agreement__prodi", queryset=prodi),
    ]


def plan_activity_reminders(now: dt.datetime) -> None:
    """Before each planned activity: to its person in charge and the coordinators of its units."""
    days = activity_reminder_days()
    if not days:
        return
    today = timezone.localdate(now)
    activities = list(
        Activity.objects.filter(
            status__in=[ActivityStatus.RENCANA, ActivityStatus.DIKOORDINASIKAN],
            start_date__gt=today,
            start_date__lte=today + dt.timedelta(days=max(days)),
        )
        .select_related("agreement", "pic")
        .prefetch_related(*_units_prefetch())
    )
    units = {activity.pk: activity.unit_ids() for activity in activities}
    coordinators = _coordinators_by_unit(uid for ids in units.values() for uid in ids)
    candidates: list[dict[str, Any]] = []
    with translation.override(settings.LANGUAGE_CODE):
        for activity in activities:
            d = window_for((activity.start_date - today).days, days)
            if d is None:
                continue
            people = {u.pk: u for uid in units[activity.pk] for u in coordinators.get(uid, [])}
            if activity.pic and activity.pic.is_active and activity.pic.has_role:
                people[activity.pic.pk] = activity.pic
            subject = _("Reminder: %(title)s on %(date)s") % {
                "title": activity.title,
                "date": date_format(activity.start_date),
            }
            body = _('The activity %(code)s "%(title)s" under agreement %(number)s starts on %(date)s%(place)s.') % {
                "code": activity.code,
                "title": activity.title,
                "number": activity.agreement.number,
                "date": date_format(activity.start_date),
                "place": f", {activity.place}" if activity.place else "",
            }
            for user in people.values():
                candidates.append(
                    {
                        "key": f"activity:{activity.pk}:{activity.start_date:%Y%m%d}:{d}d:{user.pk}",
                        "kind": "activity_reminder",
                        "subject": subject,
                        "body": body,
                        "due_at": _due_at(activity.start_date - dt.timedelta(days=d)),
                        "recipient": user,
                        "link": activity.get_absolute_url(),
                    }
                )
    _plan_missing(candidates)


def plan_agreement_reminders(now: dt.datetime) -> None:
    """Before each agreement expires: to the coordinators of its units and to the Kapokja and staff."""
    days = agreement_reminder_days()
    if not days:
        return
    today = timezone.localdate(now)
    agreements = list(
        Agreement.objects.valid_on(today)
        .filter(end_date__gt=today, end_date__lte=today + dt.timedelta(days=max(days)))
        .not_renewed(today)
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.only("pk")),
            Prefetch("prodi", queryset=Prodi.objects.only("pk", "unit_id")),
        )
    )
    unit_ids = {a.pk: {u.pk for u in a.units.all()} | {p.unit_id for p in a.prodi.all()} for a in agreements}
    coordinators = _coordinators_by_unit(uid for ids in unit_ids.values() for uid in ids)
    team = list(User.objects.filter(is_active=True, role__in=[Role.STAF, Role.KAPOKJA]))
    candidates: list[dict[str, Any]] = []
    with translation.override(settings.LANGUAGE_CODE):
        for agreement in agreements:
            d = window_for((agreement.end_date - today).days, days)
            if d is None:
                continue
            people = {u.pk: u for u in team}
            people |= {u.pk: u for uid in unit_ids[agreement.pk] for u in coordinators.get(uid, [])}
            subject = _("Agreement %(number)s expires on %(date)s") % {
                "number": agreement.number,
                "date": date_format(agreement.end_date),
            }
            body = _('%(kind)s %(number)s "%(title)s" ends on %(date)s (in %(days)s days). Consider renewing it.') % {
                "kind": agreement.get_kind_display(),
                "number": agreement.number,
                "title": agreement.title,
                "date": date_format(agreement.end_date),
                "days": (agreement.end_date - today).days,
            }
            for user in people.values():
                candidates.append(
                    {
                        "key": f"agreement:{agreement.pk}:{agreement.end_date:%Y%m%d}:{d}d:{user.pk}",
                        "kind": "agreement_expiry",
                        "subject": subject,
                        "body": body,
                        "due_at": _due_at(agreement.end_date - dt.timedelta(days=d)),
                        "recipient": user,
                        "link": agreement.get_absolute_url(),
                    }
                )
    _plan_missing(candidates)

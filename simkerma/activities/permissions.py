"""Who may do what with activities, coordination and tasks (PR.28.3, docs/user-guide.md).

- Staf Kerjasama prepares plans; coordinators and P3M plan under agreements naming their unit.
- The Kapokja coordinates: rencana → dikoordinasikan is the Kapokja's alone.
- Carrying out: staff, Kapokja, or a coordinator/P3M of a unit the activity names.
- Reporting: staff, Kapokja, or the unit's coordinator (when a report is filed).
- Archiving: staff and Kapokja only.
- Cancelling, with a reason: staff and Kapokja, or the unit's coordinator while it is still a plan.
- Pimpinan, auditors and accounts without a role never write.
The administrator may do anything the team may.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from simkerma.accounts.models import Role
from simkerma.activities.models import ActivityStatus, order_refusal

if TYPE_CHECKING:
    from simkerma.activities.models import Activity, FollowUpTask
    from simkerma.agreements.models import Agreement

S = ActivityStatus
KAPOKJA_ROLES = frozenset({Role.KAPOKJA, Role.ADMIN})


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role)


def is_team(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_team)


def is_unit_member(user: Any, activity: Activity) -> bool:
    return bool(user.is_authenticated and user.is_unit_scoped and activity.names_unit(user.unit_id))


def can_plan(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_team or user.is_unit_scoped))


def can_plan_under(user: Any, agreement: Agreement) -> bool:
    if not can_plan(user):
        return False
    return bool(user.is_team or agreement.names_unit(user.unit_id))


def can_edit_activity(user: Any, activity: Activity) -> bool:
    if activity.status in (S.DIARSIPKAN, S.BATAL):
        return False
    return is_team(user) or is_unit_member(user, activity)


def can_manage_cooperation_forms(user: Any) -> bool:
    """The ministry's list of forms of cooperation is kept by the Kapokja (and the administrator);
    the rest of the team reads it."""
    return _active(user) and user.role in KAPOKJA_ROLES


def can_coordinate(user: Any) -> bool:
    """Coordination records and follow-up tasks are kept by the cooperation team."""
    return is_team(user)


def can_complete_task(user: Any, task: FollowUpTask) -> bool:
    """The assignee or the team; a read-only role never completes a task, even one given to it earlier."""
    return _active(user) and user.is_writer and (task.assignee_id == user.pk or user.is_team)


def can_file_reports(user: Any) -> bool:
    """Reports on activities are filed by the cooperation team, coordinators and P3M."""
    return bool(user.is_authenticated and (user.is_team or user.is_unit_scoped))


def can_report_on(user: Any, activities: Iterable[Activity]) -> bool:
    """The team reports on any activities; a coordinator or P3M on activities that all name their unit."""
    if is_team(user):
        return True
    if not (user.is_authenticated and user.is_unit_scoped):
        return False
    activities = list(activities)
    return bool(activities) and all(activity.names_unit(user.unit_id) for activity in activities)


def transition_refusal(user: Any, activity: Activity, to: str) -> str:
    """Why this user may not move this activity to `to` now; empty when they may."""
    if not _active(user) or user.role in (Role.PIMPINAN, Role.AUDITOR):
        return _("Your role cannot change activities.")
    order_problem = order_refusal(activity.status, to)
    if order_problem:
        return order_problem
    team = user.is_team
    unit = is_unit_member(user, activity)
    if to == S.DIKOORDINASIKAN:
        ok = user.role in KAPOKJA_ROLES
        return "" if ok else _("Only the Kapokja marks an activity as coordinated.")
    if to in (S.TERLAKSANA, S.DILAPORKAN):
        return (
            "" if team or unit else _("Only the cooperation team or a coordinator of the activity's unit may do this.")
        )
    if to == S.DIARSIPKAN:
        return "" if team else _("Only the cooperation team archives.")
    if to == S.BATAL:
        if team or (unit and activity.status == S.RENCANA):
            return ""
        if unit:
            return _("A coordinated activity can only be cancelled by the cooperation team.")
        return _("Only the cooperation team or a coordinator of the activity's unit may cancel it.")
    return _("Unknown status.")


# Moves offered as buttons on the activity page; reporting and archiving happen through reports.
BUTTON_MOVES = (S.DIKOORDINASIKAN, S.TERLAKSANA, S.BATAL)


def timing_refusal(activity: Activity, to: str, today: dt.date | None = None) -> str:
    """Why the calendar does not allow this move yet; empty when it does.

    An activity is carried out on or after its start date: marking it terlaksana earlier would
    count it in the KPIs before it happened.
    """
    today = today or timezone.localdate()
    if to == S.TERLAKSANA and activity.start_date > today:
        return _("This activity starts on %(date)s; it can be marked as carried out from that day on.") % {
            "date": date_format(activity.start_date)
        }
    return ""


def allowed_buttons(user: Any, activity: Activity, today: dt.date | None = None) -> list[str]:
    return [
        to
        for to in BUTTON_MOVES
        if not transition_refusal(user, activity, to) and not timing_refusal(activity, to, today)
    ]


def held_moves(user: Any, activity: Activity, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Moves this user could make but not yet, each with the reason, shown instead of a button."""
    return [
        (to, reason)
        for to in BUTTON_MOVES
        if not transition_refusal(user, activity, to) and (reason := timing_refusal(activity, to, today))
    ]

"""Who may file, change, archive, correct and dispose of cooperation reports.

Filing and correcting: the cooperation team, or a coordinator/P3M whose unit every one of the
report's activities names. Archiving and requesting disposal: the cooperation team. Approving a
disposal: the Kapokja (or the administrator), never the person who asked for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from simkerma.activities.permissions import KAPOKJA_ROLES, is_team

if TYPE_CHECKING:
    from simkerma.activities.models import Activity
    from simkerma.archive.models import CooperationReport, DisposalRecord


def can_file_reports(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_team or user.is_unit_scoped))


def can_report_on(user: Any, activities: Iterable[Activity]) -> bool:
    if is_team(user):
        return True
    if not (user.is_authenticated and user.is_unit_scoped):
        return False
    activities = list(activities)
    return bool(activities) and all(activity.names_unit(user.unit_id) for activity in activities)


def can_write_report(user: Any, report: CooperationReport) -> bool:
    """Whether the user may work on this report at all (edit a draft, or correct an archived one)."""
    return can_report_on(user, report.activities.all())


def can_archive(user: Any) -> bool:
    return is_team(user)


def can_request_disposal(user: Any) -> bool:
    return is_team(user)


def can_decide_disposal(user: Any, disposal: DisposalRecord | None = None) -> bool:
    if not (user.is_authenticated and user.has_role and user.role in KAPOKJA_ROLES):
        return False
    return disposal is None or disposal.requested_by_id != user.pk

"""Who may file, change, archive, correct and dispose of cooperation reports.

Filing and correcting: the cooperation team, or a coordinator/P3M whose unit every one of the
report's activities names. Archiving and requesting disposal: the cooperation team. Approving a
disposal: the Kapokja (or the administrator), never the person who asked for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# Who may report on activities is the activities' rule; the archive's doors use it from here too.
from simkerma.activities.permissions import KAPOKJA_ROLES, is_team
from simkerma.activities.permissions import can_file_reports as can_file_reports
from simkerma.activities.permissions import can_report_on as can_report_on

if TYPE_CHECKING:
    from simkerma.archive.models import CooperationReport, DisposalRecord


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

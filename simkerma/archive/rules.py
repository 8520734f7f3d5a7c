"""Rules a report must keep that look at its activities, checked by the form and by the services.

Every rule raises a ValidationError naming the field (`activities`), so the form shows it beside
the picker and the JSON API and the workbook importer report it against the same field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from simkerma.activities.models import Activity, ActivityStatus

if TYPE_CHECKING:
    from simkerma.archive.models import CooperationReport

# Only an activity carried out (or already counted as reported) can be reported on.
REPORTABLE = (ActivityStatus.TERLAKSANA, ActivityStatus.DILAPORKAN)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"activities": ValidationError(message, code=code)})


def check_report_activities(activities: Sequence[Activity]) -> None:
    """A report is on at least one activity, every one carried out, all under one agreement."""
    if not activities:
        raise _refuse(_("Choose the activities this report is on."), "required")
    not_ready = [a.code for a in activities if a.status not in REPORTABLE]
    if not_ready:
        raise _refuse(
            _("Only carried-out activities can be reported on; not yet: %(codes)s.") % {"codes": ", ".join(not_ready)},
            "not_carried_out",
        )
    if len({a.agreement_id for a in activities}) > 1:
        raise _refuse(_("All activities of one report must hang under the same agreement."), "two_agreements")


def check_unreported(activities: Iterable[Activity], *, report: CooperationReport | None = None) -> None:
    """An activity has one report; changing it later is an edit of the draft or a correction.

    `report` is the report being written (its own versions do not count).
    """
    reported = Activity.objects.filter(pk__in=[a.pk for a in activities], reports__isnull=False)
    if report is not None:
        reported = reported.exclude(reports__code=report.code)
    pairs = list(reported.order_by("code").values_list("code", "reports__code").distinct())
    if pairs:
        raise _refuse(
            _("Already reported: %(list)s. Each activity has one report; edit its draft or file a correction.")
            % {"list": ", ".join(f"{activity} ({code})" for activity, code in pairs)},
            "already_reported",
        )


def check_same_activities(activities: Iterable[Activity], report: CooperationReport) -> None:
    """A filed report's activities stay as they were filed: its edits and corrections keep them."""
    if {a.pk for a in activities} != set(report.activities.values_list("pk", flat=True)):
        raise _refuse(
            _("A filed report keeps the activities it was filed on; file a new report for other activities."),
            "activities_fixed",
        )

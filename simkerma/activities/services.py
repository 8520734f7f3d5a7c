from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from simkerma.activities.data import ActivityData, CoordinationData, FundingData, TaskData
from simkerma.activities.models import (
    Activity,
    ActivityStatus,
    CalendarToken,
    CoordinationRecord,
    FollowUpTask,
    order_refusal,
)
from simkerma.activities.permissions import (
    can_complete_task,
    can_coordinate,
    can_edit_activity,
    can_plan,
    timing_refusal,
    transition_refusal,
)
from simkerma.activities.reporting import ActivityFunding
from simkerma.activities.rules import activity_warnings, check_activity, funding_refusals
from simkerma.core.concurrency import ensure_current, proposed_from_data, submission_claim, submission_record
from simkerma.core.data import Saved, apply_data
from simkerma.core.history import CREATED, EDITED, change_reason, reason_template, save_with_one_record
from simkerma.core.numbering import next_code, save_with_code

S = ActivityStatus
ACTIVITY_FORM = "activities.activity"
COORDINATION_FORM = "activities.coordination"
TASK_FORM = "activities.task"
CODE_WIDTH = 5
CODE_PATTERN = r"^K[0-9]{4}-[0-9]{5}$"
# The activity's history record when an edit changed its funds (ActivityFunding keeps no history of its own).
FUNDING_EDITED = reason_template(gettext_noop("edited; funding changed for %(years)s"))


def activity_next_code(*, year: int) -> str:
    """The next code in the K<year>-<running number> scheme, e.g. K2026-00001."""
    # Codes outside the scheme (a running number of another width, typed by hand) are skipped.
    in_scheme = Activity.objects.filter(code__regex=CODE_PATTERN)
    return next_code(in_scheme, prefix=f"K{year}-", width=CODE_WIDTH)


def activity_save(
    *,
    activity: Activity | None = None,
    data: ActivityData,
    user: Any,
    reason: str = "",
    opened_version: str | None = None,
    token: str | None = None,
) -> Saved[Activity]:
    """Create (`activity` None) or update an activity, its units and its prodi, as one history record.

    Refuses with PermissionDenied when the user may not write it, and with ValidationError (by
    field) when a rule is broken; nothing is saved then. An empty code takes the next one (the next
    free one when another user took it a moment earlier); on edit an empty code keeps the stored
    one. A stale edit that would overwrite someone's change raises StaleEdit; a create whose form
    token was used raises AlreadySubmitted. Gives back the activity with its warnings (outside the
    agreement's validity, a field the agreement does not name).
    """
    activity = activity if activity is not None else Activity()
    creating = activity.pk is None
    _check_may_save(user, activity)
    stored_form = activity.cooperation_form_id
    many = apply_data(activity, data, exclude=["code"])
    activity.code = "".join(data.code.split()) or activity.code
    automatic = not activity.code
    _validate(activity, data, automatic=automatic, stored_form=stored_form)
    check_activity(
        user=user,
        agreement=activity.agreement,
        units=many["units"],
        prodi=many["prodi"],
        partner_contact=activity.partner_contact,
    )
    warnings = activity_warnings(
        agreement=activity.agreement, start_date=activity.start_date, end_date=activity.end_date, field=activity.field
    )
    with transaction.atomic():
        claim = submission_claim(token, purpose=ACTIVITY_FORM) if creating else None
        ensure_current(instance=activity, opened_version=opened_version, proposed=proposed_from_data(data))
        if creating and getattr(user, "is_authenticated", False):
            activity.created_by = user
        funding = _FundingChanges.of(activity, data.funding)
        if reason or creating or not funding.years:
            activity._change_reason = change_reason(reason or (CREATED if creating else EDITED))  # type: ignore[attr-defined]
        else:
            activity._change_reason = change_reason(FUNDING_EDITED, years=funding.years)  # type: ignore[attr-defined]
        year = activity.start_date.year
        save_with_code(
            activity,
            save=lambda: save_with_one_record(activity, many),
            next_code=(lambda: activity_next_code(year=year)) if automatic else None,
        )
        funding.write(activity)
        submission_record(claim, activity)
    return Saved(activity, tuple(warnings))


def _validate(activity: Activity, data: ActivityData, *, automatic: bool, stored_form: int | None) -> None:
    """The activity's row, its form of cooperation and its funds; every problem at once, by field.

    Funds left as they are (`data.funding` None) are checked too: new dates must still cover them.
    """
    errors: dict[str, Any] = {}
    try:
        activity.full_clean(exclude=["code"] if automatic else None)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    chosen = activity.cooperation_form
    if chosen is not None and chosen.pk != stored_form and not chosen.is_active:
        errors.setdefault("cooperation_form", []).append(
            ValidationError(_("The form of cooperation %(name)s is no longer in use.") % {"name": chosen.name})
        )
    if activity.start_date and "start_date" not in errors and "end_date" not in errors:
        rows = data.funding if data.funding is not None else _stored_funding(activity)
        problems = funding_refusals(
            rows, start_date=activity.start_date, end_date=activity.end_date, duration_years=activity.duration_years
        )
        messages = [message for row in problems for message in row.values()]
        if messages:
            errors.setdefault("funding", []).extend(ValidationError(message) for message in messages)
    if errors:
        raise ValidationError(errors)


def _stored_funding(activity: Activity) -> list[FundingData]:
    if activity.pk is None:
        return []
    return [
        FundingData(year=row.year, amount=row.amount, source=row.source)
        for row in ActivityFunding.objects.filter(activity_id=activity.pk)
    ]


class _FundingChanges:
    """The rows of funds to write and remove so the stored set is the one given, by year."""

    def __init__(self, saved: list[ActivityFunding], removed: list[ActivityFunding]) -> None:
        self.saved = saved
        self.removed = removed
        self.years = ", ".join(str(year) for year in sorted({row.year for row in saved + removed}))

    @classmethod
    def of(cls, activity: Activity, rows: list[FundingData] | None) -> _FundingChanges:
        if rows is None:
            return cls([], [])
        stored = (
            {row.year: row for row in ActivityFunding.objects.filter(activity_id=activity.pk)} if activity.pk else {}
        )
        saved = []
        for row in rows:
            found = stored.pop(row.year, None) or ActivityFunding(year=row.year)
            if found.pk and found.amount == row.amount and found.source == row.source:
                continue
            found.amount, found.source = row.amount, row.source
            saved.append(found)
        return cls(saved, list(stored.values()))

    def write(self, activity: Activity) -> None:
        ActivityFunding.objects.filter(pk__in=[row.pk for row in self.removed]).delete()
        for row in self.saved:
            row.activity = activity
            row.save()


def _check_may_save(user: Any, activity: Activity) -> None:
    allowed = can_plan(user) if activity.pk is None else can_edit_activity(user, activity)
    if not allowed:
        raise PermissionDenied


def activity_transition(*, activity: Activity, to: str, user: Any, reason: str = "") -> Activity:
    """Move an activity one step in the procedure, or cancel it, and log who did it and why.

    Raises ValidationError when the procedure does not allow the move (out of order, too early,
    or a cancellation without a reason) and PermissionDenied when this user's role may not make it.
    """
    reason = reason.strip()
    with transaction.atomic():
        current = Activity.objects.select_for_update().get(pk=activity.pk)
        problem = order_refusal(current.status, to)
        if problem:
            raise ValidationError(problem, code="order")
        refusal = transition_refusal(user, current, to)
        if refusal:
            raise PermissionDenied(refusal)
        too_early = timing_refusal(current, to)
        if too_early:
            raise ValidationError(too_early, code="too_early")
        if to == S.BATAL and not reason:
            raise ValidationError({"reason": _("Give the reason for cancelling.")}, code="reason")
        current.move(to, user=user, reason=reason)
    activity.status = current.status
    activity.cancel_reason = current.cancel_reason
    activity._stored_status = current.status
    return activity


def coordination_save(
    *,
    record: CoordinationRecord | None = None,
    activity: Activity,
    data: CoordinationData,
    user: Any,
    opened_version: str | None = None,
    token: str | None = None,
) -> CoordinationRecord:
    """Create (`record` None) or update a coordination record; a new one also creates `data.tasks`.

    The record and every task are validated before anything is written; all is saved in one
    transaction. Only the cooperation team coordinates, and not on a cancelled or archived activity.
    """
    if not can_coordinate(user):
        raise PermissionDenied
    record = record if record is not None else CoordinationRecord()
    creating = record.pk is None
    if creating and activity.status in (S.BATAL, S.DIARSIPKAN):
        raise PermissionDenied
    many = apply_data(record, data, exclude=["tasks"])
    record.activity = activity
    record.full_clean()
    tasks = [_task(activity=activity, data=task, user=user) for task in data.tasks] if creating else []
    with transaction.atomic():
        claim = submission_claim(token, purpose=COORDINATION_FORM) if creating else None
        ensure_current(instance=record, opened_version=opened_version, proposed=proposed_from_data(data))
        if creating:
            record.created_by = user
        record.save()
        for name, values in many.items():
            getattr(record, name).set(values)
        for task in tasks:
            task.record = record
            task.save()
        submission_record(claim, record)
    return record


def _task(*, activity: Activity, data: TaskData, user: Any) -> FollowUpTask:
    """A follow-up task, validated and not yet saved."""
    task = FollowUpTask(activity=activity, created_by=user)
    apply_data(task, data)
    task.full_clean(exclude=["record"])
    return task


def task_create(
    *, activity: Activity, record: CoordinationRecord | None, data: TaskData, user: Any, token: str | None = None
) -> FollowUpTask:
    """Add a follow-up task to an activity (and to one of its coordination records)."""
    if not can_coordinate(user):
        raise PermissionDenied
    task = _task(activity=activity, data=data, user=user)
    task.record = record
    with transaction.atomic():
        claim = submission_claim(token, purpose=TASK_FORM)
        task.save()
        submission_record(claim, task)
    return task


def task_complete(*, task: FollowUpTask, user: Any, now: dt.datetime | None = None) -> FollowUpTask:
    """Mark a task done. Marking a done task again changes nothing (the first completion stays)."""
    if not can_complete_task(user, task):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        FollowUpTask.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=now, done_by=user, updated_at=now)
    task.refresh_from_db()
    return task


@transaction.atomic
def calendar_token_issue(*, user: Any) -> CalendarToken:
    """A new feed token for the user; any token they had is revoked (the old URL stops working)."""
    calendar_token_revoke(user=user)
    return CalendarToken.objects.create(user=user)


def calendar_token_revoke(*, user: Any) -> int:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())

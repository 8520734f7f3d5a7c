from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simkerma.activities.models import (
    Activity,
    ActivityStatus,
    ActivityTransition,
    CalendarToken,
    CoordinationRecord,
    FollowUpTask,
    assignee_refusal,
)
from simkerma.activities.permissions import (
    can_complete_task,
    can_coordinate,
    order_refusal,
    timing_refusal,
    transition_refusal,
)
from simkerma.core.concurrency import ensure_current, proposed_from_form, submission_claim, submission_record
from simkerma.core.history import change_reason

S = ActivityStatus
CODE_PATTERN = r"^K[0-9]{4}-[0-9]{5}$"


def activity_next_code(*, year: int) -> str:
    """The next code in the K<year>-<running number> scheme, e.g. K2026-00001."""
    prefix = f"K{year}-"
    last = (
        Activity.objects.filter(code__startswith=prefix, code__regex=CODE_PATTERN)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def activity_save(
    *, form: Any, user: Any, reason: str, opened_version: str | None = None, token: str | None = None
) -> Activity:
    """Save an activity form; an empty code takes the next one (retrying if someone took it first).

    A stale edit that would overwrite someone's change raises StaleEdit; a create whose form token
    was used raises AlreadySubmitted.
    """
    activity: Activity = form.save(commit=False)
    claim = submission_claim(token, purpose="activities.activity") if activity.pk is None else None
    ensure_current(instance=activity, opened_version=opened_version, proposed=proposed_from_form(form))
    automatic = not form.cleaned_data.get("code")
    for attempt in range(3):
        try:
            with transaction.atomic():
                if automatic:
                    activity.code = activity_next_code(year=activity.start_date.year)
                if activity.pk is None and getattr(user, "is_authenticated", False):
                    activity.created_by = user
                activity._change_reason = change_reason(reason)  # type: ignore[attr-defined]
                activity.save()
                form.save_m2m()
                submission_record(claim, activity)
                return activity
        except IntegrityError:
            if not automatic or attempt == 2:
                raise
    raise AssertionError("unreachable")


def activity_transition(*, activity: Activity, to: str, user: Any, reason: str = "") -> Activity:
    """Move an activity one step in the procedure, or cancel it, and log who did it and why.

    Raises ValidationError when the procedure does not allow the move (out of order, or a
    cancellation without a reason) and PermissionDenied when this user's role may not make it.
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
        ActivityTransition.objects.create(
            activity=current, from_status=current.status, to_status=to, user=user, reason=reason
        )
        current.status = to
        update = ["status", "updated_at"]
        if to == S.BATAL:
            current.cancel_reason = reason
            update.append("cancel_reason")
        current._change_reason = change_reason(f"{S(to).label}: {reason}" if reason else S(to).label)  # type: ignore[attr-defined]
        current.save(update_fields=update)
    activity.status = current.status
    activity.cancel_reason = current.cancel_reason
    return activity


@transaction.atomic
def coordination_save(
    *,
    form: Any,
    tasks: Any,
    activity: Activity,
    user: Any,
    opened_version: str | None = None,
    token: str | None = None,
) -> CoordinationRecord:
    """Save a coordination record and the follow-up tasks entered with it (rows left empty are skipped)."""
    if not can_coordinate(user):
        raise PermissionDenied
    record: CoordinationRecord = form.save(commit=False)
    claim = submission_claim(token, purpose="activities.coordination") if record.pk is None else None
    ensure_current(instance=record, opened_version=opened_version, proposed=proposed_from_form(form))
    record.activity = activity
    if record.pk is None:
        record.created_by = user
    record.save()
    form.save_m2m()
    for task_form in tasks or []:
        if task_form.has_changed() and getattr(task_form, "cleaned_data", None):
            task_create(form=task_form, activity=activity, record=record, user=user)
    submission_record(claim, record)
    return record


@transaction.atomic
def task_create(
    *, form: Any, activity: Activity, record: CoordinationRecord | None, user: Any, token: str | None = None
) -> FollowUpTask:
    if not can_coordinate(user):
        raise PermissionDenied
    claim = submission_claim(token, purpose="activities.task")
    task: FollowUpTask = form.save(commit=False)
    problem = assignee_refusal(task.assignee)
    if problem:
        raise ValidationError({"assignee": problem}, code="read_only_assignee")
    task.activity = activity
    task.record = record
    task.created_by = user
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

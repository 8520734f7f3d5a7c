"""Writes of the service desk: intake, clocks, stages, signing and breach reasons."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from simkerma.agreements.services import agreement_save
from simkerma.core.concurrency import ensure_current, submission_claim, submission_record
from simkerma.core.history import change_reason
from simkerma.core.notices import notice_plan
from simkerma.servicedesk.clocks import clocks_compute
from simkerma.servicedesk.models import (
    CLOCK_BY_NAME,
    CLOCKS,
    STAGE_ORDER,
    Breach,
    CalendarVersion,
    ClockColumns,
    ClockName,
    DiscardKind,
    ServiceRequest,
    Stage,
    StageChange,
)

CODE_PATTERN = re.compile(r"^LYN-(\d{4})-(\d+)$")
REQUEST_FORM = "servicedesk.request"


def service_request_next_code(*, on: dt.date) -> str:
    prefix = f"LYN-{on.year}-"
    codes = ServiceRequest.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    used = [int(match.group(2)) for code in codes if (match := CODE_PATTERN.match(code))]
    return f"{prefix}{max(used, default=0) + 1:04d}"


def _save_new(request: ServiceRequest) -> None:
    """Save with the next free code; another intake may take the same code a moment earlier."""
    automatic = not request.code
    for attempt in range(5):
        try:
            with transaction.atomic():
                if automatic:
                    request.code = service_request_next_code(on=timezone.localdate(request.received_at))
                request.save()
                return
        except IntegrityError:
            if not automatic or attempt == 4:
                raise
            request.pk = None


def _plan_receipt(request: ServiceRequest) -> None:
    if not request.requester_email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your request %(code)s has been received") % {"code": request.code}
        # Nothing the requester typed goes into the body: anyone can send this mail to any address.
        body = _(
            "Hello,\n\nWe received a cooperation service request %(code)s on %(when)s (WIB) with this "
            "e-mail address. Follow its progress with the link below. If you did not send it, ignore "
            "this message.\n\nKerja Sama %(institution)s"
        ) % {
            "code": request.code,
            "when": timezone.localtime(request.received_at).strftime("%Y-%m-%d %H:%M"),
            "institution": settings.SIMKERMA_INSTITUTION_NAME,
        }
    notice_plan(
        key=f"servicedesk.receipt:{request.pk}",
        kind="servicedesk_receipt",
        subject=subject,
        body=body,
        due_at=timezone.now(),
        email=request.requester_email,
        link=request.get_tracking_url(),
    )


@transaction.atomic
def service_request_create(
    *, request: ServiceRequest, user: Any = None, token: str | None = None, send_receipt: bool = True
) -> ServiceRequest:
    """Register a request (public form or staff intake): its code, clocks and first stage.

    A form token used before raises AlreadySubmitted, so a form sent twice registers one request.
    The public form passes send_receipt=False past its per-address and per-recipient limits.
    """
    claim = submission_claim(token, purpose=REQUEST_FORM)
    if getattr(user, "is_authenticated", False):
        request.logged_by = user
    clocks_compute(request)
    request._change_reason = _("received")  # type: ignore[attr-defined]
    _save_new(request)
    StageChange.objects.create(
        request=request,
        from_stage="",
        to_stage=request.stage,
        changed_by=request.logged_by,
        changed_at=timezone.now(),
        note=request.get_channel_display(),
    )
    submission_record(claim, request)
    if send_receipt:
        transaction.on_commit(lambda: _plan_receipt(request))
    return request


def moment_not_before(at: dt.datetime, earliest: dt.datetime) -> dt.datetime:
    """Forms give moments to the minute: one typed in the very minute of `earliest` means `earliest`."""
    if at < earliest and at.second == 0 and at.microsecond == 0 and earliest - at < dt.timedelta(minutes=1):
        return earliest
    return at


def _check_done_moment(request: ServiceRequest, at: dt.datetime, *, field: str) -> dt.datetime:
    if at > timezone.now():
        raise ValidationError({field: _("This moment is in the future.")}, code="future")
    at = moment_not_before(at, request.received_at)
    if at < request.received_at:
        raise ValidationError(
            {
                field: _("This is before the request came in (%(received)s WIB).")
                % {"received": timezone.localtime(request.received_at).strftime("%Y-%m-%d %H:%M")}
            },
            code="before_received",
        )
    return at


def _close_clock(request: ServiceRequest, clock: ClockColumns, at: dt.datetime) -> None:
    """Record the moment a clock stopped; a stop after its limit is a breach."""
    setattr(request, clock.done, at)
    late = getattr(request, clock.late)
    if late is not None and at > late:
        Breach.objects.get_or_create(
            request=request,
            clock=clock.name,
            defaults={"deadline": getattr(request, clock.due), "detected_at": timezone.now()},
        )


def _drop_stale_breaches(request: ServiceRequest) -> None:
    """After the deadlines moved (received_at or kind changed), a breach that no longer holds goes."""
    for breach in list(request.breaches.all()):
        clock = CLOCK_BY_NAME[breach.clock]
        late, done = getattr(request, clock.late), getattr(request, clock.done)
        still_late = late is not None and (done > late if done is not None else timezone.now() > late)
        if not still_late:
            breach._change_reason = _("deadline recomputed")  # type: ignore[attr-defined]
            breach.delete()
        elif breach.deadline != getattr(request, clock.due):
            breach.deadline = getattr(request, clock.due)
            breach.save(update_fields=["deadline"])


@transaction.atomic
def service_request_update(
    *,
    request: ServiceRequest,
    user: Any,
    reason: str = "",
    opened_version: str | None = None,
    proposed: Mapping[str, Any] | None = None,
) -> ServiceRequest:
    """Save edits to a request; deadlines follow its (possibly corrected) received time and kind.

    `proposed` holds the values being set; when the request was saved by someone else since
    `opened_version` and those values would overwrite their change, StaleEdit is raised.
    """
    ensure_current(instance=request, opened_version=opened_version, proposed=proposed or {})
    for clock in CLOCKS:
        if not request.clock_applies(clock):
            setattr(request, clock.done, None)
    draft_withdrawn = request.stage == Stage.DITOLAK and request.draft_due_at is None
    clocks_compute(request)
    if draft_withdrawn:
        draft = CLOCK_BY_NAME[ClockName.DRAFT]
        for column in (draft.due, draft.soon, draft.late):
            setattr(request, column, None)
        request.refresh_next_due()
    request._change_reason = change_reason(reason or _("edited"))  # type: ignore[attr-defined]
    request.save()
    _drop_stale_breaches(request)
    return request


@transaction.atomic
def service_request_respond(*, request: ServiceRequest, at: dt.datetime, note: str, user: Any) -> ServiceRequest:
    if request.responded_at is not None:
        raise ValidationError({"at": _("The first response is recorded already.")}, code="done")
    at = _check_done_moment(request, at, field="at")
    _close_clock(request, CLOCK_BY_NAME[ClockName.RESPONSE], at)
    request.response_note = note
    if request.assigned_to_id is None and getattr(user, "is_team", False):
        request.assigned_to = user
    request.refresh_next_due()
    request._change_reason = _("first response")  # type: ignore[attr-defined]
    request.save()
    return request


@transaction.atomic
def service_request_follow_up(*, request: ServiceRequest, at: dt.datetime, note: str, user: Any) -> ServiceRequest:
    if request.followup_due_at is None:
        raise ValidationError({"at": _("Only a partner's request has a follow-up clock.")}, code="not_partner")
    if request.followed_up_at is not None:
        raise ValidationError({"at": _("The follow-up is recorded already.")}, code="done")
    at = _check_done_moment(request, at, field="at")
    _close_clock(request, CLOCK_BY_NAME[ClockName.FOLLOWUP], at)
    request.followup_note = note
    request.refresh_next_due()
    request._change_reason = _("follow-up")  # type: ignore[attr-defined]
    request.save()
    return request


def service_request_draft_delivered(*, request: ServiceRequest, at: dt.datetime) -> None:
    """A draft reached the requester: it stops the draft clock and, if still running, counts as the
    first response and as the follow-up of a partner's request. The caller saves the request."""
    for name in (ClockName.DRAFT, ClockName.RESPONSE, ClockName.FOLLOWUP):
        clock = CLOCK_BY_NAME[name]
        if getattr(request, clock.due) is not None and getattr(request, clock.done) is None:
            _close_clock(request, clock, at)
    request.refresh_next_due()


def stage_change_problem(request: ServiceRequest, to_stage: str, *, signing: bool = False) -> str | None:
    """Why the request cannot move to this stage now, or None when it can."""
    if not request.is_cooperation:
        return _("Only cooperation and agreement draft requests go through stages.")
    if request.is_final:
        return _("This request is closed (%(stage)s); its stage cannot change.") % {
            "stage": request.get_stage_display()
        }
    if to_stage == Stage.DITOLAK:
        return None
    if to_stage not in STAGE_ORDER:
        return _("Unknown stage.")
    expected = STAGE_ORDER[STAGE_ORDER.index(request.stage) + 1]
    if to_stage != expected:
        return _("From “%(current)s” the next stage is “%(expected)s”; stages cannot be skipped or undone.") % {
            "current": request.get_stage_display(),
            "expected": Stage(expected).label,
        }
    if to_stage == Stage.DRAF_DISUSUN and not request.drafts.exists():
        return _("Generate or upload a draft before marking the draft as prepared.")
    if to_stage == Stage.DITANDATANGANI and not signing:
        return _("Record the signed agreement on the signing form; that moves the request to “signed”.")
    return None


def _log_stage(request: ServiceRequest, to_stage: str, note: str, user: Any) -> None:
    StageChange.objects.create(
        request=request,
        from_stage=request.stage,
        to_stage=to_stage,
        note=note,
        changed_by=user if getattr(user, "is_authenticated", False) else None,
        changed_at=timezone.now(),
    )
    request.stage = to_stage


@transaction.atomic
def service_request_change_stage(*, request: ServiceRequest, to_stage: str, note: str, user: Any) -> ServiceRequest:
    problem = stage_change_problem(request, to_stage)
    if problem:
        raise ValidationError({"to_stage": problem}, code="out_of_order")
    if to_stage == Stage.DITOLAK:
        if not note.strip():
            raise ValidationError({"note": _("Give the reason for the rejection.")}, code="reason")
        request.rejection_reason = note.strip()
        draft = CLOCK_BY_NAME[ClockName.DRAFT]
        # No draft is owed any more; a rejection after the limit leaves the breach standing.
        if request.draft_sent_at is None and request.draft_late_after and timezone.now() <= request.draft_late_after:
            for column in (draft.due, draft.soon, draft.late):
                setattr(request, column, None)
    _log_stage(request, to_stage, note, user)
    request.refresh_next_due()
    request._change_reason = _("stage: %(stage)s") % {"stage": request.get_stage_display()}  # type: ignore[attr-defined]
    request.save()
    return request


@transaction.atomic
def service_request_sign(*, request: ServiceRequest, form: Any, formset: Any, user: Any, note: str = "") -> Any:
    """Record the signed agreement from the confirmation form and close the request as signed."""
    problem = stage_change_problem(request, Stage.DITANDATANGANI, signing=True)
    if problem:
        raise ValidationError(problem, code="out_of_order")
    agreement = agreement_save(
        form=form, formset=formset, user=user, reason=_("signed from request %(code)s") % {"code": request.code}
    )
    request.agreement = agreement
    _log_stage(request, Stage.DITANDATANGANI, note or agreement.number, user)
    request.refresh_next_due()
    request._change_reason = _("signed: %(number)s") % {"number": agreement.number}  # type: ignore[attr-defined]
    request.save()
    return agreement


@transaction.atomic
def service_request_assign(*, request: ServiceRequest, assignee: Any, user: Any) -> ServiceRequest:
    request.assigned_to = assignee
    request._change_reason = _("assigned")  # type: ignore[attr-defined]
    request.save(update_fields=["assigned_to", "updated_at"])
    return request


@transaction.atomic
def breach_give_reason(*, breach: Breach, reason: str, user: Any) -> Breach:
    breach.reason = reason.strip()
    breach.reason_by = user
    breach.reason_at = timezone.now()
    breach._change_reason = _("reason given")  # type: ignore[attr-defined]
    breach.save(update_fields=["reason", "reason_by", "reason_at"])
    return breach


def breaches_detect(*, now: dt.datetime) -> int:
    """Record a breach for every clock past its limit (open, or stopped late) that has none yet."""
    created = 0
    for clock in CLOCKS:
        late_open = Q(**{f"{clock.late}__lt": now, f"{clock.done}__isnull": True})
        stopped_late = Q(**{f"{clock.done}__gt": F(clock.late)})
        rows = (
            ServiceRequest.objects.counted()
            .filter(late_open | stopped_late)
            .exclude(breaches__clock=clock.name)
            .values_list("pk", clock.due)
        )
        new = [Breach(request_id=pk, clock=clock.name, deadline=due, detected_at=now) for pk, due in rows]
        if new:
            Breach.objects.bulk_create(new, ignore_conflicts=True)
            created += len(new)
    return created


@transaction.atomic
def calendar_version_create(
    *,
    effective_from: dt.datetime,
    weekly_hours: list[Any],
    national_holidays: bool,
    extra_days_off: list[dict[str, str]],
    note: str,
    user: Any,
) -> CalendarVersion:
    return CalendarVersion.objects.create(
        effective_from=effective_from,
        weekly_hours=weekly_hours,
        national_holidays=national_holidays,
        extra_days_off=extra_days_off,
        note=note,
        created_by=user,
    )


@transaction.atomic
def calendar_version_delete(*, version: CalendarVersion) -> None:
    """Only a version that is not in force yet (so no clock used it) may be withdrawn."""
    if version.effective_from <= timezone.now() or version.requests.exists():
        raise ValidationError(_("A calendar that is or was in force is kept; add a new version instead."))
    version.delete()


@transaction.atomic
def service_request_discard(
    *, request: ServiceRequest, kind: str, reason: str, user: Any, now: dt.datetime | None = None
) -> ServiceRequest:
    """Discard a request as spam or invalid: it leaves the queue, the breaches and the service-time
    counts, and stays in the list of discarded requests with who discarded it, when and why."""
    if not getattr(user, "is_team", False):
        raise PermissionDenied(_("Only the cooperation team discards requests."))
    current = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if current.is_discarded:
        raise ValidationError(_("This request is discarded already."), code="discarded")
    if kind not in DiscardKind.values:
        raise ValidationError({"kind": _("Choose spam or invalid.")}, code="kind")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for discarding the request.")}, code="reason")
    current.discarded_at = now or timezone.now()
    current.discarded_by = user
    current.discard_kind = kind
    current.discard_reason = reason
    current._change_reason = change_reason(f"{DiscardKind(kind).label}: {reason}")  # type: ignore[attr-defined]
    current._history_user = user  # type: ignore[attr-defined]
    current.save()
    return current


@transaction.atomic
def service_request_restore(*, request: ServiceRequest, reason: str, user: Any) -> ServiceRequest:
    """Take back a discard made in error: the request counts again, and its history keeps both steps."""
    if not getattr(user, "is_team", False):
        raise PermissionDenied(_("Only the cooperation team discards requests."))
    current = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if not current.is_discarded:
        raise ValidationError(_("This request is not discarded."), code="not_discarded")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for restoring the request.")}, code="reason")
    current.discarded_at = None
    current.discarded_by = None
    current.discard_kind = ""
    current.discard_reason = ""
    current._change_reason = change_reason(_("restored: %(reason)s") % {"reason": reason})  # type: ignore[attr-defined]
    current._history_user = user  # type: ignore[attr-defined]
    current.save()
    return current

"""Writes of the service desk: intake, clocks, stages, signing and breach reasons."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from simkerma.agreements.services import agreement_save
from simkerma.core.concurrency import ensure_current, proposed_from_data, submission_claim, submission_record
from simkerma.core.data import Saved, apply_data
from simkerma.core.history import EDITED, change_reason, reason_template
from simkerma.core.notices import notice_plan
from simkerma.core.numbering import next_code, save_with_code
from simkerma.servicedesk.clocks import clocks_compute
from simkerma.servicedesk.models import (
    CLOCK_BY_NAME,
    CLOCKS,
    Breach,
    CalendarVersion,
    ClockColumns,
    ClockName,
    DiscardKind,
    ServiceRequest,
    Stage,
    StageChange,
)
from simkerma.servicedesk.permissions import can_handle_requests, can_log_request, can_manage_calendar
from simkerma.servicedesk.rules import check_stage_change, done_moment, stage_change_problem

if TYPE_CHECKING:
    from simkerma.accounts.models import User
    from simkerma.agreements.data import AgreementData
    from simkerma.agreements.models import Agreement
    from simkerma.partners.models import Partner

REQUEST_FORM = "servicedesk.request"

RECEIVED = reason_template(gettext_noop("received"))
FIRST_RESPONSE = reason_template(gettext_noop("first response"))
FOLLOW_UP = reason_template(gettext_noop("follow-up"))
STAGE = reason_template(gettext_noop("stage: %(stage)s"))
SIGNED = reason_template(gettext_noop("signed: %(number)s"))
SIGNED_FROM_REQUEST = reason_template(gettext_noop("signed from request %(code)s"))
ASSIGNED = reason_template(gettext_noop("assigned"))
REASON_GIVEN = reason_template(gettext_noop("reason given"))
DEADLINE_RECOMPUTED = reason_template(gettext_noop("deadline recomputed"))
DISCARDED = reason_template(gettext_noop("discarded as %(kind)s: %(reason)s"))
RESTORED = reason_template(gettext_noop("restored: %(reason)s"))


@dataclasses.dataclass(frozen=True, kw_only=True)
class ServiceRequestData:
    """A request as intake or an edit gives it, whatever door it came by; names are the model's."""

    channel: str
    kind: str
    subject: str
    requester_name: str
    received_at: dt.datetime
    document_kind: str = ""
    scope: str = ""
    message: str = ""
    from_partner: bool = False
    partner: Partner | None = None
    requester_position: str = ""
    requester_organisation: str = ""
    requester_email: str = ""
    requester_whatsapp: str = ""
    partner_pic: str = ""
    assigned_to: User | None = None
    # Empty: the next LYN-<year>-NNNN. An edit never changes the code.
    code: str = ""


def request_data(request: ServiceRequest) -> ServiceRequestData:
    """The data a saved (or admin-edited) request holds now."""
    names = {f.name for f in dataclasses.fields(ServiceRequestData)}
    return ServiceRequestData(**{name: getattr(request, name) for name in names})


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _require(allowed: bool, message: str = "") -> None:
    if not allowed:
        raise PermissionDenied(message)


def service_request_next_code(*, on: dt.date) -> str:
    return next_code(ServiceRequest.objects, prefix=f"LYN-{on.year}-", width=4)


def _save_new(request: ServiceRequest) -> None:
    """Save with the next free code (unless one was given); another intake may take it a moment earlier."""
    received_on = timezone.localdate(request.received_at)
    automatic = (lambda: service_request_next_code(on=received_on)) if not request.code else None
    save_with_code(request, save=request.save, next_code=automatic)


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


def service_request_create(
    *, data: ServiceRequestData, user: Any = None, token: str | None = None, send_receipt: bool = True
) -> ServiceRequest:
    """Register a request (public form or staff intake): its code, clocks and first stage.

    Without a signed-in user it is the public form's door, open to anyone; a signed-in user must
    be one who logs requests. A form token used before raises AlreadySubmitted, so a form sent
    twice registers one request. The public form passes send_receipt=False past its per-address
    and per-recipient limits.
    """
    _require(not _authenticated(user) or can_log_request(user))
    request = ServiceRequest()
    apply_data(request, data)
    if _authenticated(user):
        request.logged_by = user
    request.full_clean(exclude=["code"] if not request.code else None, validate_unique=False)
    with transaction.atomic():
        claim = submission_claim(token, purpose=REQUEST_FORM)
        clocks_compute(request)
        request._change_reason = change_reason(RECEIVED)  # type: ignore[attr-defined]
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
            breach._change_reason = change_reason(DEADLINE_RECOMPUTED)  # type: ignore[attr-defined]
            breach.delete()
        elif breach.deadline != getattr(request, clock.due):
            breach.deadline = getattr(request, clock.due)
            breach.save(update_fields=["deadline"])


def service_request_update(
    *,
    request: ServiceRequest,
    data: ServiceRequestData,
    user: Any,
    reason: str = "",
    opened_version: str | None = None,
) -> ServiceRequest:
    """Save edits to a request; deadlines follow its (possibly corrected) received time and kind.

    When the request was saved by someone else since `opened_version` and the values in `data`
    would overwrite their change, StaleEdit is raised.
    """
    _require(can_handle_requests(user))
    with transaction.atomic():
        proposed = proposed_from_data(data)
        if not data.code:  # an edit without a code keeps the code
            proposed["code"] = request.code
        ensure_current(instance=request, opened_version=opened_version, proposed=proposed)
        apply_data(request, data, exclude=["code"] if not data.code else ())
        request.full_clean()
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
        request._change_reason = change_reason(reason or EDITED)  # type: ignore[attr-defined]
        request.save()
        _drop_stale_breaches(request)
    return request


@transaction.atomic
def service_request_respond(*, request: ServiceRequest, at: dt.datetime, note: str, user: Any) -> ServiceRequest:
    _require(can_handle_requests(user))
    if request.responded_at is not None:
        raise ValidationError({"at": _("The first response is recorded already.")}, code="done")
    at = done_moment(request, at, field="at")
    _close_clock(request, CLOCK_BY_NAME[ClockName.RESPONSE], at)
    request.response_note = note
    if request.assigned_to_id is None and getattr(user, "is_team", False):
        request.assigned_to = user
    request.refresh_next_due()
    request._change_reason = change_reason(FIRST_RESPONSE)  # type: ignore[attr-defined]
    request.save()
    return request


@transaction.atomic
def service_request_follow_up(*, request: ServiceRequest, at: dt.datetime, note: str, user: Any) -> ServiceRequest:
    _require(can_handle_requests(user))
    if request.followup_due_at is None:
        raise ValidationError({"at": _("Only a partner's request has a follow-up clock.")}, code="not_partner")
    if request.followed_up_at is not None:
        raise ValidationError({"at": _("The follow-up is recorded already.")}, code="done")
    at = done_moment(request, at, field="at")
    _close_clock(request, CLOCK_BY_NAME[ClockName.FOLLOWUP], at)
    request.followup_note = note
    request.refresh_next_due()
    request._change_reason = change_reason(FOLLOW_UP)  # type: ignore[attr-defined]
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


def _log_stage(request: ServiceRequest, to_stage: str, note: str, user: Any) -> None:
    StageChange.objects.create(
        request=request,
        from_stage=request.stage,
        to_stage=to_stage,
        note=note,
        changed_by=user if _authenticated(user) else None,
        changed_at=timezone.now(),
    )
    request.stage = to_stage


def _stage_reason(stage: str) -> str:
    """The stage in the reason is its English label; the history page shows the reason translated."""
    with translation.override("en"):
        return change_reason(STAGE, stage=str(Stage(stage).label))


@transaction.atomic
def service_request_change_stage(*, request: ServiceRequest, to_stage: str, note: str, user: Any) -> ServiceRequest:
    _require(can_handle_requests(user))
    check_stage_change(request, to_stage, note)
    if to_stage == Stage.DITOLAK:
        request.rejection_reason = note.strip()
        draft = CLOCK_BY_NAME[ClockName.DRAFT]
        # No draft is owed any more; a rejection after the limit leaves the breach standing.
        if request.draft_sent_at is None and request.draft_late_after and timezone.now() <= request.draft_late_after:
            for column in (draft.due, draft.soon, draft.late):
                setattr(request, column, None)
    _log_stage(request, to_stage, note, user)
    request.refresh_next_due()
    request._change_reason = _stage_reason(to_stage)  # type: ignore[attr-defined]
    request.save()
    return request


def service_request_sign(
    *, request: ServiceRequest, agreement: AgreementData, user: Any, note: str = ""
) -> Saved[Agreement]:
    """Record the signed agreement and close the request as signed, in one transaction.

    Gives back the agreement with its warnings (such as "outside its parent's period").
    """
    _require(can_handle_requests(user))
    problem = stage_change_problem(request, Stage.DITANDATANGANI, signing=True)
    if problem:
        raise ValidationError(problem, code="out_of_order")
    with transaction.atomic():
        saved = agreement_save(
            agreement=None, data=agreement, user=user, reason=change_reason(SIGNED_FROM_REQUEST, code=request.code)
        )
        request.agreement = saved.obj
        _log_stage(request, Stage.DITANDATANGANI, note or saved.obj.number, user)
        request.refresh_next_due()
        request._change_reason = change_reason(SIGNED, number=saved.obj.number)  # type: ignore[attr-defined]
        request.save()
    return saved


@transaction.atomic
def service_request_assign(*, request: ServiceRequest, assignee: Any, user: Any) -> ServiceRequest:
    _require(can_handle_requests(user))
    if assignee is not None and not getattr(assignee, "is_team", False):
        raise ValidationError({"assigned_to": _("Only a member of the cooperation team handles requests.")})
    request.assigned_to = assignee
    request._change_reason = change_reason(ASSIGNED)  # type: ignore[attr-defined]
    request.save(update_fields=["assigned_to", "updated_at"])
    return request


@transaction.atomic
def breach_give_reason(*, breach: Breach, reason: str, user: Any) -> Breach:
    _require(can_handle_requests(user))
    breach.reason = reason.strip()
    breach.reason_by = user
    breach.reason_at = timezone.now()
    breach._change_reason = change_reason(REASON_GIVEN)  # type: ignore[attr-defined]
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
    _require(can_manage_calendar(user))
    version = CalendarVersion(
        effective_from=effective_from,
        weekly_hours=weekly_hours,
        national_holidays=national_holidays,
        extra_days_off=extra_days_off,
        note=note,
        created_by=user,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def calendar_version_delete(*, version: CalendarVersion, user: Any) -> None:
    """Only a version that is not in force yet (so no clock used it) may be withdrawn."""
    _require(can_manage_calendar(user))
    if version.effective_from <= timezone.now() or version.requests.exists():
        raise ValidationError(_("A calendar that is or was in force is kept; add a new version instead."))
    version.delete()


@transaction.atomic
def service_request_discard(
    *, request: ServiceRequest, kind: str, reason: str, user: Any, now: dt.datetime | None = None
) -> ServiceRequest:
    """Discard a request as spam or invalid: it leaves the queue, the breaches and the service-time
    counts, and stays in the list of discarded requests with who discarded it, when and why."""
    _require(can_handle_requests(user), _("Only the cooperation team discards requests."))
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
    with translation.override("en"):
        label = str(DiscardKind(kind).label)
    current._change_reason = change_reason(DISCARDED, kind=label, reason=reason)  # type: ignore[attr-defined]
    current._history_user = user  # type: ignore[attr-defined]
    current.save()
    return current


@transaction.atomic
def service_request_restore(*, request: ServiceRequest, reason: str, user: Any) -> ServiceRequest:
    """Take back a discard made in error: the request counts again, and its history keeps both steps."""
    _require(can_handle_requests(user), _("Only the cooperation team discards requests."))
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
    current._change_reason = change_reason(RESTORED, reason=reason)  # type: ignore[attr-defined]
    current._history_user = user  # type: ignore[attr-defined]
    current.save()
    return current

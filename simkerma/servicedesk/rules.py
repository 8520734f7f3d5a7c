"""Rules of a request's moves that need more than the request itself: its stage order and the
moments its clocks stop. The services and the forms both call them, so every door refuses the
same thing with the same message. Rules on the request's own fields are in `ServiceRequest.clean()`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from simkerma.servicedesk.models import STAGE_ORDER, ServiceRequest, Stage


def moment_not_before(at: dt.datetime, earliest: dt.datetime) -> dt.datetime:
    """Forms give moments to the minute: one typed in the very minute of `earliest` means `earliest`."""
    if at < earliest and at.second == 0 and at.microsecond == 0 and earliest - at < dt.timedelta(minutes=1):
        return earliest
    return at


def done_moment(request: ServiceRequest, at: dt.datetime, *, field: str) -> dt.datetime:
    """The moment a clock stopped, checked: not in the future and not before the request came in."""
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


def check_stage_change(request: ServiceRequest, to_stage: str, note: str = "", *, signing: bool = False) -> None:
    """Refuse a move out of order, and a rejection without its reason, naming the field."""
    problem = stage_change_problem(request, to_stage, signing=signing)
    if problem:
        raise ValidationError({"to_stage": problem}, code="out_of_order")
    if to_stage == Stage.DITOLAK and not note.strip():
        raise ValidationError({"note": _("Give the reason for the rejection.")}, code="reason")

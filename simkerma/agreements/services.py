from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from simkerma.agreements.models import Agreement
from simkerma.agreements.numbering import format_number, kind_code, next_sequence
from simkerma.core.concurrency import ensure_current, proposed_from_form, submission_claim, submission_record
from simkerma.core.history import change_reason
from simkerma.core.staging import StagedFiles
from simkerma.org.models import Prodi, Unit

AGREEMENT_FORM = "agreements.agreement"


def agreement_suggest_number(*, kind: str, on: dt.date) -> str:
    marker = f"/{kind_code(kind)}.{settings.SIMKERMA_INSTITUTION_CODE}/"
    numbers = list(
        Agreement.objects.filter(number__icontains=marker, number__iendswith=f"/{on.year}").values_list(
            "number", flat=True
        )
    )
    return format_number(next_sequence(numbers, kind, on.year), kind, on)


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def renewal_period(agreement: Agreement) -> tuple[dt.date, dt.date]:
    """The period of a renewal: from the day after the old end, as long as the old period.

    A period of whole months (1 Jan to 31 Dec, 1 Mar to 28 Feb three years on) is renewed by
    months, so a leap day in either period does not shift the end date by one.
    """
    old_start, old_end = agreement.start_date, agreement.end_date
    start = old_end + dt.timedelta(days=1)
    months = (start.year - old_start.year) * 12 + start.month - old_start.month
    if months > 0 and add_months(old_start, months) == start:
        return start, add_months(start, months) - dt.timedelta(days=1)
    return start, start + (old_end - old_start)


def number_date(agreement: Agreement) -> dt.date:
    return agreement.signed_on or agreement.start_date


def agreement_save(
    *, form: Any, formset: Any, user: Any, reason: str, opened_version: str | None = None, token: str | None = None
) -> Agreement:
    """Save an agreement form and its signatories as one transaction.

    An empty number gets the next one in the office's scheme; if another user took that number
    a moment earlier, the next free one is tried. An edit opened on an older version that would
    overwrite someone's change raises StaleEdit; a create whose form token was used raises
    AlreadySubmitted. A new signed scan is written before the transaction and moved to its final
    name when it commits.
    """
    # save(commit=False) applies the cleaned data and provides save_m2m() for after the row exists.
    agreement: Agreement = form.save(commit=False)
    with StagedFiles() as files:
        scan = agreement.signed_scan
        if scan and not scan._committed:  # a new upload, not yet stored
            files.stage(scan, scan.name, scan.file)
        with transaction.atomic():
            saved = _agreement_save(agreement, form, formset, user, reason, opened_version, token)
            files.publish()
        return saved


def _agreement_save(
    agreement: Agreement,
    form: Any,
    formset: Any,
    user: Any,
    reason: str,
    opened_version: str | None,
    token: str | None,
) -> Agreement:
    claim = submission_claim(token, purpose=AGREEMENT_FORM) if agreement.pk is None else None
    ensure_current(instance=agreement, opened_version=opened_version, proposed=proposed_from_form(form))
    if agreement.pk is not None:
        units, prodi = links_kept_for_other_units(
            agreement=agreement, user=user, units=form.cleaned_data.get("units"), prodi=form.cleaned_data.get("prodi")
        )
        form.cleaned_data["units"], form.cleaned_data["prodi"] = units, prodi
    automatic = not form.cleaned_data.get("number")
    for attempt in range(3):
        try:
            with transaction.atomic():
                if automatic:
                    agreement.number = agreement_suggest_number(kind=agreement.kind, on=number_date(agreement))
                if agreement.created_by_id is None and getattr(user, "is_authenticated", False):
                    agreement.created_by = user
                agreement._change_reason = change_reason(reason)  # type: ignore[attr-defined]
                _save_with_one_record(agreement, form)
                formset.instance = agreement
                formset.save()
                submission_record(claim, agreement)
                return agreement
        except IntegrityError:
            if not automatic or attempt == 2:
                raise
    raise AssertionError("unreachable")


def links_kept_for_other_units(
    *, agreement: Agreement, user: Any, units: Iterable[Unit] | None, prodi: Iterable[Prodi] | None
) -> tuple[list[Unit], list[Prodi]]:
    """The units and prodi an edit may leave on a saved agreement.

    Only the cooperation team changes other units' links: a coordinator or P3M user changes the
    links of their own unit and its prodi, and every link to another unit or its prodi stays as it
    was, whatever they sent.
    """
    units, prodi = list(units or []), list(prodi or [])
    if getattr(user, "is_team", False) or not getattr(user, "is_unit_scoped", False):
        return units, prodi
    own = user.unit_id
    saved_units = Unit.objects.filter(agreements=agreement.pk).exclude(pk=own)
    saved_prodi = Prodi.objects.filter(agreements=agreement.pk).exclude(unit_id=own)
    return (
        [u for u in units if u.pk == own] + list(saved_units),
        [p for p in prodi if p.unit_id == own] + list(saved_prodi),
    )


def _save_with_one_record(agreement: Agreement, form: Any) -> None:
    """Save the row and its partners, units and prodi as one history record.

    django-simple-history records each many-to-many add and remove on its own, so swapping a
    partner would show as two entries (removed, then added) and a new agreement as several, the
    first without its partners. History is held back until the relations are saved.
    """
    is_new = agreement._state.adding
    agreement.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        agreement.save()
        form.save_m2m()
    finally:
        del agreement.skip_history_when_saving  # type: ignore[attr-defined]
    agreement.save(update_fields=["updated_at"])  # the one record, with the relations as saved
    if is_new:
        latest = agreement.history.order_by("-history_id").values("history_id")[:1]
        agreement.history.filter(history_id__in=latest).update(history_type="+")


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, on: dt.date, reason: str, user: Any) -> Agreement:
    agreement.terminated_on = on
    agreement.termination_reason = reason
    agreement._change_reason = change_reason(f"terminated: {reason}")  # type: ignore[attr-defined]
    agreement.save(update_fields=["terminated_on", "termination_reason", "updated_at"])
    return agreement

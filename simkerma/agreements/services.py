from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from simkerma.agreements.data import AgreementData, SignatoryData
from simkerma.agreements.models import Agreement, Signatory, normalise_number
from simkerma.agreements.numbering import format_number, kind_code, next_sequence
from simkerma.agreements.permissions import can_create_agreement, can_edit_agreement
from simkerma.agreements.rules import check_links, parent_period_warnings
from simkerma.core.concurrency import ensure_current, proposed_from_data, submission_claim, submission_record
from simkerma.core.data import Saved, apply_data, data_values
from simkerma.core.dates import add_months
from simkerma.core.history import CREATED, EDITED, change_reason, reason_template, save_with_one_record
from simkerma.core.numbering import save_with_code
from simkerma.core.staging import StagedFiles
from simkerma.core.uploads import validate_pdf
from simkerma.org.models import Prodi, Unit

AGREEMENT_FORM = "agreements.agreement"
TERMINATED = reason_template(gettext_noop("terminated: %(reason)s"))


def agreement_suggest_number(*, kind: str, on: dt.date) -> str:
    marker = f"/{kind_code(kind)}.{settings.SIMKERMA_INSTITUTION_CODE}/"
    numbers = list(
        Agreement.objects.filter(number__icontains=marker, number__iendswith=f"/{on.year}").values_list(
            "number", flat=True
        )
    )
    return format_number(next_sequence(numbers, kind, on.year), kind, on)


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
    *,
    agreement: Agreement | None,
    data: AgreementData,
    user: Any,
    reason: str = "",
    opened_version: str | None = None,
    token: str | None = None,
) -> Saved[Agreement]:
    """Create (`agreement` None or unsaved) or update an agreement, its links and its signatories.

    One transaction and one history record, the links included. Refuses with PermissionDenied when
    the user may not write it, and with ValidationError (by field) when a rule is broken; nothing
    is saved then. An empty number takes the next one in the office's scheme, the next free one
    when another user took it a moment earlier. An edit opened on an older version that would
    overwrite someone's change raises StaleEdit; a create whose one-time token was used raises
    AlreadySubmitted. A new signed scan is written before the transaction and moved to its final
    name when it commits. Gives back the agreement and its warnings (outside its parent's period).
    """
    agreement = agreement if agreement is not None else Agreement()
    creating = agreement.pk is None
    _check_may_save(user, agreement, data)
    many = _apply(agreement, data, user)
    agreement.number = normalise_number(agreement.number)
    automatic = not agreement.number
    signatories = _validate(agreement, data, many, user, automatic=automatic)
    warnings = parent_period_warnings(agreement)
    with StagedFiles() as files:
        scan = agreement.signed_scan
        if scan and not scan._committed:  # a new upload, not yet stored
            files.stage(scan, scan.name, scan.file)
        with transaction.atomic():
            claim = submission_claim(token, purpose=AGREEMENT_FORM) if creating else None
            ensure_current(instance=agreement, opened_version=opened_version, proposed=proposed_from_data(data))
            if agreement.created_by_id is None and getattr(user, "is_authenticated", False):
                agreement.created_by = user
            agreement._change_reason = change_reason(reason or (CREATED if creating else EDITED))  # type: ignore[attr-defined]
            save_with_code(
                agreement,
                save=lambda: save_with_one_record(agreement, many),
                next_code=(lambda: agreement_suggest_number(kind=agreement.kind, on=number_date(agreement)))
                if automatic
                else None,
                field="number",
            )
            signatories.write(agreement)
            submission_record(claim, agreement)
            files.publish()
    return Saved(agreement, warnings)


def _validate(
    agreement: Agreement, data: AgreementData, many: dict[str, list[Any]], user: Any, *, automatic: bool
) -> _SignatoryChanges:
    """Check the agreement, its links and its signatories; every problem at once, by field."""
    errors: dict[str, Any] = {}
    checks: list[Callable[[], Any]] = [
        lambda: agreement.full_clean(exclude=["number"] if automatic else None),
        lambda: check_links(user=user, partners=many["partners"], units=many["units"], prodi=many["prodi"]),
    ]
    for check in checks:
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    try:
        signatories = _signatory_changes(agreement, data.signatories)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return signatories


def _check_may_save(user: Any, agreement: Agreement, data: AgreementData) -> None:
    if agreement.pk is not None:
        allowed = can_edit_agreement(user, agreement)
    else:
        allowed = can_create_agreement(user) and (data.renews is None or can_edit_agreement(user, data.renews))
    if not allowed:
        raise PermissionDenied


def _apply(agreement: Agreement, data: AgreementData, user: Any) -> dict[str, list[Any]]:
    """Set the data on the agreement; gives back the links to save (partners, units, prodi)."""
    many = apply_data(agreement, data, exclude=["signed_scan", "signatories"])
    if data.signed_scan is not None:
        if data.signed_scan and not isinstance(data.signed_scan, FieldFile):  # a new file, not the stored one
            try:
                validate_pdf(data.signed_scan)
            except ValidationError as error:
                raise ValidationError({"signed_scan": error.error_list}) from None
        Agreement._meta.get_field("signed_scan").save_form_data(agreement, data.signed_scan)
    if agreement.pk is not None:
        many["units"], many["prodi"] = links_kept_for_other_units(
            agreement=agreement, user=user, units=many["units"], prodi=many["prodi"]
        )
    return many


@dataclass
class _SignatoryChanges:
    saved: list[Signatory] = field(default_factory=list)
    removed: list[Signatory] = field(default_factory=list)

    def write(self, agreement: Agreement) -> None:
        for row in self.removed:
            row.delete()
        for row in self.saved:
            row.agreement = agreement
            row.save()


def _signatory_changes(agreement: Agreement, rows: list[SignatoryData] | None) -> _SignatoryChanges:
    """The signatories to save and remove, each checked; a row that did not change is left alone."""
    changes = _SignatoryChanges()
    if rows is None:
        return changes
    stored = {s.pk: s for s in Signatory.objects.filter(agreement_id=agreement.pk)} if agreement.pk else {}
    listed = set()
    for row in rows:
        values = data_values(row, exclude=["id"])
        if row.id is None:
            signatory = Signatory(**values)
        elif (found := stored.get(row.id)) is None:
            raise ValidationError({"signatories": _("A signatory sent is not one of this agreement's.")})
        else:
            listed.add(row.id)
            if all(getattr(found, name) == value for name, value in values.items()):
                continue
            signatory = found
            for name, value in values.items():
                setattr(signatory, name, value)
        signatory.full_clean(exclude=["agreement"])
        changes.saved.append(signatory)
    changes.removed = [s for pk, s in stored.items() if pk not in listed]
    return changes


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


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, on: dt.date, reason: str, user: Any) -> Agreement:
    """Record that the agreement ended early on `on`, a day within its period."""
    if not can_edit_agreement(user, agreement):
        raise PermissionDenied
    previous = agreement.terminated_on, agreement.termination_reason
    agreement.terminated_on, agreement.termination_reason = on, reason
    try:
        agreement.full_clean()
    except ValidationError:
        agreement.terminated_on, agreement.termination_reason = previous
        raise
    agreement._change_reason = change_reason(TERMINATED, reason=reason)  # type: ignore[attr-defined]
    agreement.save(update_fields=["terminated_on", "termination_reason", "updated_at"])
    return agreement


MARKED_REPORTED = reason_template(gettext_noop("reported to the ministry on %(date)s"))


def can_mark_reported(user: Any) -> bool:
    """The cooperation team enters agreements in the ministry's reporting system, and records it."""
    return bool(getattr(user, "is_authenticated", False) and user.is_team)


@transaction.atomic
def agreement_mark_reported(*, agreement: Agreement, on: dt.date, user: Any) -> Agreement:
    """Record the day the agreement was entered in the ministry's reporting system (Laporankerma).

    The day is not in the future, nor before the agreement was signed when its signing date is known.
    """
    if not can_mark_reported(user):
        raise PermissionDenied
    if on > timezone.localdate():
        raise ValidationError({"ministry_reported_on": _("The day it was reported cannot be in the future.")})
    if on.year < 1900 or (agreement.signed_on is not None and on < agreement.signed_on):
        raise ValidationError({"ministry_reported_on": _("The day it was reported cannot be before it was signed.")})
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    current.ministry_reported_on = on
    current._change_reason = change_reason(MARKED_REPORTED, date=on.isoformat())  # type: ignore[attr-defined]
    current.save(update_fields=["ministry_reported_on", "updated_at"])
    agreement.ministry_reported_on = on
    return current

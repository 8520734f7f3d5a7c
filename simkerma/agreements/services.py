from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from simkerma.agreements.models import Agreement
from simkerma.agreements.numbering import format_number, kind_code, next_sequence


def agreement_suggest_number(*, kind: str, on: dt.date) -> str:
    marker = f"/{kind_code(kind)}.{settings.SIMKERMA_INSTITUTION_CODE}/"
    numbers = list(
        Agreement.objects.filter(number__contains=marker, number__endswith=f"/{on.year}").values_list(
            "number", flat=True
        )
    )
    return format_number(next_sequence(numbers, kind, on.year), kind, on)


def number_date(agreement: Agreement) -> dt.date:
    return agreement.signed_on or agreement.start_date


def agreement_save(*, form: Any, formset: Any, user: Any, reason: str) -> Agreement:
    """Save an agreement form and its signatories as one transaction.

    An empty number gets the next one in the office's scheme; if another user took that number
    a moment earlier, the next free one is tried.
    """
    agreement: Agreement = form.instance
    automatic = not form.cleaned_data.get("number")
    for attempt in range(3):
        try:
            with transaction.atomic():
                if automatic:
                    agreement.number = agreement_suggest_number(kind=agreement.kind, on=number_date(agreement))
                if agreement.created_by_id is None and getattr(user, "is_authenticated", False):
                    agreement.created_by = user
                agreement._change_reason = reason  # type: ignore[attr-defined]
                agreement.save()
                form.save_m2m()
                formset.instance = agreement
                formset.save()
                return agreement
        except IntegrityError:
            if not automatic or attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, on: dt.date, reason: str, user: Any) -> Agreement:
    agreement.terminated_on = on
    agreement.termination_reason = reason
    agreement._change_reason = f"terminated: {reason}"  # type: ignore[attr-defined]
    agreement.save(update_fields=["terminated_on", "termination_reason", "updated_at"])
    return agreement

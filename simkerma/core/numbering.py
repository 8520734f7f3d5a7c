"""Running codes (M00001, K2026-00001, L2026-00001, LYN-2026-0001) and saving with the next free one.

A code is a fixed prefix and a zero-padded running number. The next number is one more than the
highest number already stored under the prefix; codes under the prefix that are not a prefix and
digits (typed by hand, such as "K2026-OLD") are ignored. Two users saving at the same moment may take
the same number: `save_with_code` then takes the next free one, inside a savepoint, so the caller's
transaction stays usable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Manager, Model, QuerySet
from django.db.models.functions import Length

# How often a clash on an automatic code is retried before the IntegrityError goes to the caller.
ATTEMPTS = 5


def next_number(values: Iterable[str], pattern: re.Pattern[str]) -> int:
    """One more than the highest running number among `values` that match `pattern` (its first group)."""
    used = [int(match.group(1)) for value in values if (match := pattern.match(value.strip()))]
    return max(used, default=0) + 1


def next_code(queryset: QuerySet[Any] | Manager[Any], *, prefix: str, width: int, field: str = "code") -> str:
    """The next code `prefix` + number, zero-padded to `width` digits (more digits once they run out).

    Only the highest code is read: codes of the same length sort as their numbers do, and a longer
    run of digits is a larger number.
    """
    pattern = re.compile(rf"^{re.escape(prefix)}([0-9]+)$")
    highest = (
        queryset.filter(**{f"{field}__startswith": prefix, f"{field}__regex": pattern.pattern})
        .order_by(Length(field).desc(), f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    number = next_number([highest], pattern) if highest else 1
    return f"{prefix}{number:0{width}d}"


def save_with_code(
    instance: Model,
    *,
    save: Callable[[], None],
    next_code: Callable[[], str | int] | None,
    field: str = "code",
    attempts: int = ATTEMPTS,
) -> None:
    """Run `save` in a savepoint; with `next_code`, first give `instance` the next free code, retrying on a clash.

    Without `next_code` (the user typed the code) an IntegrityError goes straight to the caller. A
    new instance whose save was rolled back is made new again, so nothing shows it as stored.
    """
    creating = instance.pk is None
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                if next_code is not None:
                    setattr(instance, field, next_code())
                save()
                return
        except IntegrityError:
            if creating:
                instance.pk = None
                instance._state.adding = True
            if next_code is None or attempt == attempts - 1:
                raise

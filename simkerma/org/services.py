"""Writes to the organisation that more than one row takes part in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from simkerma.accounts.models import Role
from simkerma.org.models import LecturerCount, Prodi

MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_NDTPS = 10000


def can_enter_lecturer_counts(user: Any) -> bool:
    """Kapokja, the administrator and coordinators enter lecturer counts (coordinators for their own prodi)."""
    if not (user.is_authenticated and user.has_role):
        return False
    return user.role in (Role.KAPOKJA, Role.ADMIN) or (user.role == Role.KOORDINATOR and user.unit_id is not None)


def lecturer_count_prodi(user: Any) -> list[Prodi]:
    """The study programmes whose counts this user enters: all for Kapokja and the administrator; for a
    coordinator, the prodi of their jurusan (or only their own prodi, when they coordinate one)."""
    if not can_enter_lecturer_counts(user):
        return []
    prodi = Prodi.objects.select_related("unit").order_by("unit__code", "code")
    if user.role == Role.KOORDINATOR:
        prodi = prodi.filter(pk=user.prodi_id) if user.prodi_id else prodi.filter(unit_id=user.unit_id)
    return list(prodi)


@dataclass(frozen=True)
class CountsSaved:
    written: int
    removed: int


def lecturer_counts_save(*, year: int, counts: Mapping[Prodi, int | None], user: Any) -> CountsSaved:
    """Store the number of permanent lecturers (NDTPS) of each prodi given, for one year, in one transaction.

    None removes a stored count. Refuses with PermissionDenied when a prodi is not one this user enters
    counts for, and with ValidationError by prodi code when a number or the year is out of bounds;
    nothing is saved then.
    """
    allowed = {p.pk for p in lecturer_count_prodi(user)}
    if not allowed or any(prodi.pk not in allowed for prodi in counts):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = _("The year must be between %(low)s and %(high)s.") % {"low": MIN_YEAR, "high": MAX_YEAR}
    for prodi, value in counts.items():
        if value is not None and not 0 <= value <= MAX_NDTPS:
            errors[prodi.code] = _("The number of lecturers must be between 0 and %(high)s.") % {"high": MAX_NDTPS}
    if errors:
        raise ValidationError(errors)
    written = removed = 0
    with transaction.atomic():
        rows = LecturerCount.objects.select_for_update().filter(year=year, prodi__in=list(counts))
        stored = {c.prodi_id: c for c in rows}
        for prodi, value in counts.items():
            row = stored.get(prodi.pk)
            if value is None:
                if row is not None:
                    row.delete()
                    removed += 1
            elif row is None:
                LecturerCount.objects.create(prodi=prodi, year=year, ndtps=value)
                written += 1
            elif row.ndtps != value:
                row.ndtps = value
                row.save(update_fields=["ndtps", "updated_at"])
                written += 1
    return CountsSaved(written=written, removed=removed)

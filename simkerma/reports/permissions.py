"""Who may run which official report, and for which study programmes and units.

The team (staf, kapokja, admin) and the read-only roles (pimpinan, auditor) run every report for
every prodi and unit. Coordinators and P3M run the reports of one prodi or unit, for their own unit
and its prodi only; the institution-wide reports are not theirs. An exporter that lists its `roles`
is run by exactly those roles (the service-time report lists every role, as its service desk page
is read by all).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from simkerma.accounts.permissions import can_read
from simkerma.org.models import Prodi, Unit
from simkerma.reports.framework import Exporter, Scope


def can_see_reports(user: Any) -> bool:
    """Whether the reports page is there for this account at all (the main menu's link)."""
    return can_read(user)


def _unit_scoped(user: Any) -> bool:
    return bool(user.is_unit_scoped)


def may_run(user: Any, exporter: Exporter) -> bool:
    if not can_read(user):
        return False
    if exporter.roles is not None:
        return user.role in exporter.roles
    return not (_unit_scoped(user) and exporter.scope == Scope.INSTITUTION)


def prodi_choices(user: Any) -> QuerySet[Prodi]:
    prodi = Prodi.objects.select_related("unit").order_by("unit__code", "level", "name")
    return prodi.filter(unit_id=user.unit_id) if _unit_scoped(user) else prodi


def unit_choices(user: Any, *, jurusan_only: bool = False) -> QuerySet[Unit]:
    units = Unit.objects.order_by("kind", "code")
    if jurusan_only:
        units = units.filter(kind=Unit.Kind.JURUSAN)
    return units.filter(pk=user.unit_id) if _unit_scoped(user) else units

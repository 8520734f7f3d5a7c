"""Drill-down reads the dashboard needs beyond the engine's selectors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from simkerma.accounts.permissions import can_read
from simkerma.activities.models import Activity, ActivityQuerySet
from simkerma.kpis.engine import scope_filter
from simkerma.org.models import Prodi


def prodi_activities(*, user: Any, prodi: Prodi | int, year: int) -> ActivityQuerySet:
    """The activities carried out in the year that name the prodi, directly or through their agreement."""
    if not can_read(user):
        raise PermissionDenied
    prodi_id = prodi.pk if isinstance(prodi, Prodi) else prodi
    # Joined to the prodi's scope rows, in their index's order (as kpis.selectors.unit_field_activities).
    return (
        Activity.objects.filter(**scope_filter(year, "prodi_scope"), prodi_scope__prodi_id=prodi_id)
        .select_related("agreement")
        .order_by("prodi_scope__start_date", "code")
    )

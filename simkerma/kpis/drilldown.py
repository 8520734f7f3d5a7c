"""Drill-down reads the dashboard needs beyond the engine's selectors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from simkerma.accounts.permissions import can_read
from simkerma.activities.models import Activity, ActivityProdiScope, ActivityQuerySet
from simkerma.kpis.engine import counted_scope
from simkerma.org.models import Prodi


def prodi_activities(*, user: Any, prodi: Prodi | int, year: int) -> ActivityQuerySet:
    """The activities carried out in the year that name the prodi, directly or through their agreement."""
    if not can_read(user):
        raise PermissionDenied
    prodi_id = prodi.pk if isinstance(prodi, Prodi) else prodi
    # The prodi's rows from the scope index (prodi, counts, start date), then those activities.
    named = counted_scope(ActivityProdiScope, year).filter(prodi_id=prodi_id)
    return (
        Activity.objects.filter(pk__in=named.values("activity_id"))
        .select_related("agreement")
        .order_by("start_date", "code")
    )

"""Drill-down reads the dashboard needs beyond the engine's selectors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef

from simkerma.accounts.permissions import can_read
from simkerma.activities.models import Activity, ActivityProdiScope, ActivityQuerySet
from simkerma.kpis.engine import counted_scope
from simkerma.org.models import Prodi


def prodi_activities(*, user: Any, prodi: Prodi | int, year: int) -> ActivityQuerySet:
    """The activities carried out in the year that name the prodi, directly or through their agreement."""
    if not can_read(user):
        raise PermissionDenied
    prodi_id = prodi.pk if isinstance(prodi, Prodi) else prodi
    named = counted_scope(ActivityProdiScope, year).filter(activity_id=OuterRef("pk"), prodi_id=prodi_id)
    return Activity.objects.filter(Exists(named)).select_related("agreement").order_by("start_date", "code")

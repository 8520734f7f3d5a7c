"""The activities shown on a partner's page (registered in ActivitiesConfig.ready())."""

from __future__ import annotations

from typing import Any

from simkerma.activities.models import Activity
from simkerma.partners.models import Partner

# The partner page shows its latest activities; the activity list has them all.
PARTNER_ACTIVITIES_SHOWN = 20


def partner_activities(partner: Partner) -> dict[str, Any]:
    return {
        "activities": Activity.objects.filter(agreement__partners=partner)
        .select_related("agreement")
        .order_by("-start_date", "-pk")[:PARTNER_ACTIVITIES_SHOWN],
        "activities_shown": PARTNER_ACTIVITIES_SHOWN,
    }

"""The role home panel: {% load activities_panel %}{% activities_home_panel %} in the home page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from simkerma.activities.selectors import waiting_for

register = template.Library()


@register.inclusion_tag("activities/_home_panel.html", takes_context=True)
def activities_home_panel(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {"waiting": waiting_for(request.user, timezone.localdate()), "request": request}

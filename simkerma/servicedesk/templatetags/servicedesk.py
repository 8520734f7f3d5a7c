from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def worktime(value: dt.timedelta | None) -> str:
    """A span of working time as hours and minutes (a working day is not 24 hours)."""
    if value is None:
        return "–"
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.filter
def person(user: object) -> str:
    """A user's full name, else their username; a dash for nobody."""
    if user is None:
        return "–"
    return user.display_name  # type: ignore[attr-defined]

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """A user's full name, else their username; a dash when there is no user."""
    if user is None:
        return "–"
    return str(user.display_name)

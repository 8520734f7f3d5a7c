"""Test helpers: the hidden version and one-time token a form page was rendered with."""

from __future__ import annotations

import html
import re
from typing import Any

from django.utils import translation

from simkerma.core.concurrency import TOKEN_FIELD, VERSION_FIELD


def hidden_value(response: Any, name: str) -> str:
    page = response.content.decode()
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', page
    )
    assert match, f"no hidden field {name} on the page"
    return html.unescape(match.group(1))


def opened(client: Any, url: str, *, prefix: str = "") -> dict[str, str]:
    """GET an edit page and return the version it carries, as POST data."""
    response = client.get(url)
    assert response.status_code == 200
    name = f"{prefix}-{VERSION_FIELD}" if prefix else VERSION_FIELD
    return {name: hidden_value(response, name)}


def token_for(client: Any, url: str, *, prefix: str = "") -> dict[str, str]:
    """GET a create page and return its one-time token, as POST data."""
    response = client.get(url)
    assert response.status_code == 200
    name = f"{prefix}-{TOKEN_FIELD}" if prefix else TOKEN_FIELD
    return {name: hidden_value(response, name)}


STALE_HEADLINE = (
    "Someone else saved this record after you opened it. Your changes were not saved, so theirs "
    "are not lost. Compare the values below; save again to keep yours."
)
EXPIRED = "This form has expired. Check the values and save again."


def in_ui_language(message: str) -> str:
    """A message as the pages show it by default (Indonesian)."""
    with translation.override("id"):
        return translation.gettext(message)

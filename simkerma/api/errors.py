"""Refusals in the shape of ninja's 422: a list of {type, loc, msg}, each naming its field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja.errors import ValidationError


def field_errors(error: DjangoValidationError, where: tuple[str, ...]) -> list[dict[str, Any]]:
    """A Django ValidationError as 422 entries: each field's messages under `where` + the field."""
    messages = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    entries: list[dict[str, Any]] = []
    for name, texts in messages.items():
        loc = [*where] if name == NON_FIELD_ERRORS else [*where, name]
        entries.extend({"type": "value_error", "loc": loc, "msg": str(text)} for text in texts)
    return entries


def invalid(loc: tuple[str, ...], message: str) -> ValidationError:
    """A 422 for one value the schema cannot check alone (an unknown code, say); `loc` names it as ninja does."""
    return ValidationError([{"type": "value_error", "loc": list(loc), "msg": message}])

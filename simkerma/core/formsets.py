"""Reading an inline formset (contacts, signatories) as the whole set of rows a service takes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.forms import BaseInlineFormSet

Row = TypeVar("Row")


def formset_rows(formset: BaseInlineFormSet, fields: Sequence[str], row: Callable[..., Row]) -> list[Row]:
    """The whole set of rows a valid formset keeps, each built as `row(id=..., **fields)`.

    Rows ticked for removal and empty extra rows are left out. Stored rows the formset did not
    carry (another person added them after the page was opened) stay as they are.
    """
    rows = []
    carried = set()
    for form in formset.forms:
        carried.add(form.instance.pk)
        cleaned = getattr(form, "cleaned_data", {})
        if not cleaned or cleaned.get("DELETE") or (form.instance.pk is None and not form.has_changed()):
            continue
        rows.append(row(id=form.instance.pk, **{name: cleaned.get(name) or "" for name in fields}))
    for stored in _not_carried(formset, carried):
        rows.append(row(id=stored.pk, **{name: getattr(stored, name) for name in fields}))
    return rows


def _not_carried(formset: BaseInlineFormSet, carried: set[Any]) -> list[Any]:
    if formset.instance.pk is None:
        return []
    return list(formset.model._default_manager.filter(**{formset.fk.name: formset.instance}).exclude(pk__in=carried))

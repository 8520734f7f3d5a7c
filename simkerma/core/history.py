"""Turning django-simple-history records into a readable timeline: who, when, old and new values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "name_key"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: Any
    who: Any
    action: str
    subject: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _display(model_field: Any, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(_display_m2m_item(model_field, item) for item in value) or "–"
    if getattr(model_field, "item_choices", None):
        return ", ".join(model_field.labels(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _display_m2m_item(model_field: Any, item: Any) -> str:
    if isinstance(item, dict):
        target = model_field.related_model
        value = item.get(target._meta.model_name)
        if not isinstance(value, int | str):  # already the object (or a DeletedObject)
            return str(value)
        obj = target._default_manager.filter(pk=value).first()
        return str(obj) if obj else f"#{value}"
    return str(item)


def _fields_of(model: type[models.Model]) -> dict[str, Any]:
    return {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


def _entry(record: Any, model: type[models.Model]) -> Entry:
    fields = _fields_of(model)
    changes: list[Change] = []
    previous = record.prev_record if record.history_type == "~" else None
    if previous is not None:
        delta = record.diff_against(previous, foreign_keys_are_objs=True)
        for change in delta.changes:
            model_field = fields.get(change.field)
            if change.field in HIDDEN_FIELDS or model_field is None:
                continue
            label = str(model_field.verbose_name)
            changes.append(Change(label, _display(model_field, change.old), _display(model_field, change.new)))
    elif record.history_type == "+":
        for name, model_field in fields.items():
            if name in HIDDEN_FIELDS or not getattr(model_field, "concrete", False):
                continue
            if model_field.many_to_many or model_field.one_to_many:
                continue
            value = getattr(record, name, None)
            if value not in (None, "", [], False):
                changes.append(Change(str(model_field.verbose_name), "", _display(model_field, value)))
    return Entry(
        when=record.history_date,
        who=record.history_user,
        action=str(ACTIONS.get(record.history_type, record.history_type)),
        subject=f"{model._meta.verbose_name}: {record.instance}",
        reason=record.history_change_reason or "",
        changes=changes,
    )


def timeline(*sources: tuple[type[models.Model], Any]) -> list[Entry]:
    """Entries of several historical querysets, newest first. Each source is (model, records)."""
    entries = [
        _entry(record, model)
        for model, records in sources
        for record in records.select_related("history_user").order_by("history_date")
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries

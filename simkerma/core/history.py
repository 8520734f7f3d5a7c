"""Turning django-simple-history records into a readable timeline: who, when, old and new values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import DeletedObject
from simple_history.utils import get_m2m_reverse_field_name

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
# django-simple-history keeps a change reason in 100 characters; PostgreSQL refuses a longer one.
CHANGE_REASON_MAX_LENGTH = 100


def change_reason(text: object, **params: object) -> str:
    """A history change reason, on one line and cut to what the history table holds.

    Services pass an English msgid declared with `reason_template` (and its %(name)s values), so
    the stored text is the same whatever language the writer used, and the history page shows it
    in the reader's language. Text a user typed is passed as it is.
    """
    text = str(text) % {name: " ".join(str(value).split()) for name, value in params.items()} if params else text
    line = " ".join(str(text).split())
    return line if len(line) <= CHANGE_REASON_MAX_LENGTH else line[: CHANGE_REASON_MAX_LENGTH - 1] + "…"


# Stored reasons by msgid, each with the pattern that reads its values back out of a stored text.
_REASON_TEMPLATES: dict[str, re.Pattern[str]] = {}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def reason_template(msgid: str) -> str:
    """Declare a change reason that services store (wrap the msgid in gettext_noop), and return it."""
    pattern = "".join(
        f"(?P<{part}>.*)" if index % 2 else re.escape(part) for index, part in enumerate(_PLACEHOLDER.split(msgid))
    )
    _REASON_TEMPLATES[msgid] = re.compile(f"^{pattern}$", re.DOTALL)
    return msgid


def reason_display(stored: str) -> str:
    """A stored change reason in the reader's language; text that is no declared reason is shown as stored.

    The values in a declared reason are translated too when they are catalogue entries, such as a
    stage's label; anything else in them (a number, a typed reason) is shown as stored.
    """
    if not stored:
        return ""
    if stored in _REASON_TEMPLATES:
        return gettext(stored)
    for msgid, pattern in _REASON_TEMPLATES.items():
        if "%(" in msgid and (match := pattern.match(stored)):
            # A value may be a stored label (a stage, a status) with its own catalogue entry.
            return gettext(msgid) % {name: gettext(value) for name, value in match.groupdict().items()}
    return gettext(stored)


CREATED = reason_template(gettext_noop("created"))
EDITED = reason_template(gettext_noop("edited"))
RENEWAL = reason_template(gettext_noop("renewal"))
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
    if isinstance(value, DeletedObject):  # what diff_against gives for an empty or deleted foreign key
        return _display_deleted(value)
    if getattr(model_field, "item_choices", None):  # a ChoiceListField holds a list too: show its labels
        return ", ".join(model_field.labels(value))
    if isinstance(value, list):
        return ", ".join(_display_m2m_item(model_field, item) for item in value) or "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _display_deleted(value: DeletedObject) -> str:
    return "–" if value.pk is None else gone_label(value.model, value.pk)


def gone_label(model: type[models.Model], pk: Any) -> str:
    """How to show a related row that no longer exists (merged away, or deleted).

    Its own history keeps what it was called, so the label is its last recorded name; a model
    without history shows as its kind and number.
    """
    history = getattr(model, "history", None)
    last = None
    if history is not None and hasattr(history, "filter"):
        last = history.filter(**{model._meta.pk.attname: pk}).order_by("-history_date", "-history_id").first()
    if last is None:
        return f"{model._meta.verbose_name} #{pk}"
    return gettext("%(name)s (no longer exists)") % {"name": last.instance}


def _display_m2m_item(model_field: Any, item: Any) -> str:
    if isinstance(item, DeletedObject):
        return _display_deleted(item)
    if isinstance(item, dict):
        target = model_field.related_model
        value = item.get(target._meta.model_name)
        if isinstance(value, DeletedObject):
            return _display_deleted(value)
        if not isinstance(value, int | str):  # already the object
            return str(value)
        obj = target._default_manager.filter(pk=value).first()
        return str(obj) if obj else gone_label(target, value)
    return str(item)


def _m2m_snapshot(record: Any, model_field: Any) -> list[Any]:
    """The related objects a historical record saved for a many-to-many field; gone ones as DeletedObject."""
    target = get_m2m_reverse_field_name(model_field)
    items = []
    for row in getattr(record, model_field.name).all():
        try:
            items.append(getattr(row, target))
        except ObjectDoesNotExist:  # merged away or deleted since: the through row keeps its id
            items.append(DeletedObject(model_field.related_model, getattr(row, f"{target}_id")))
    return items


def _value(record: Any, model_field: Any) -> Any:
    try:
        return getattr(record, model_field.name, None)
    except ObjectDoesNotExist:  # a historical foreign key may point at a row deleted since
        return DeletedObject(model_field.related_model, getattr(record, model_field.attname))


def _label(name: Any) -> str:
    """A field's or model's verbose name in the reader's language.

    A field declared without a verbose name gets Django's plain English one ("created by"), which no
    translation reaches; it is looked up in the catalogue here, where the same words are kept.
    """
    return str(name) if isinstance(name, Promise) else gettext(str(name))


def _fields_of(model: type[models.Model]) -> dict[str, Any]:
    return {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


def _entry(record: Any, model: type[models.Model], previous: Any = None) -> Entry:
    fields = _fields_of(model)
    changes: list[Change] = []
    if record.history_type == "~" and previous is None:
        previous = record.prev_record
    if record.history_type == "~" and previous is not None:
        delta = record.diff_against(previous, foreign_keys_are_objs=True)
        for change in delta.changes:
            model_field = fields.get(change.field)
            if change.field in HIDDEN_FIELDS or model_field is None:
                continue
            label = _label(model_field.verbose_name)
            changes.append(Change(label, _display(model_field, change.old), _display(model_field, change.new)))
    elif record.history_type == "+":
        tracked_m2m = {f.name for f in getattr(record, "_history_m2m_fields", [])}
        for name, model_field in fields.items():
            if name in HIDDEN_FIELDS or not getattr(model_field, "concrete", False):
                continue
            if model_field.one_to_many or (model_field.many_to_many and name not in tracked_m2m):
                continue
            value = _m2m_snapshot(record, model_field) if model_field.many_to_many else _value(record, model_field)
            if value not in (None, "", [], False):
                changes.append(Change(_label(model_field.verbose_name), "", _display(model_field, value)))
    return Entry(
        when=record.history_date,
        who=record.history_user,
        action=str(ACTIONS.get(record.history_type, record.history_type)),
        subject=f"{_label(model._meta.verbose_name)}: {record.instance}",
        # Reasons are stored as English msgids where possible, and shown in the reader's language.
        reason=reason_display(record.history_change_reason or ""),
        changes=changes,
    )


def timeline(*sources: tuple[type[models.Model], Any]) -> list[Entry]:
    """Entries of several historical querysets, newest first. Each source is (model, records)."""
    entries = []
    for model, records in sources:
        # The record before, per object: found here rather than by prev_record, which costs a
        # query per entry and cannot tell apart records saved in the same instant.
        previous: dict[Any, Any] = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            key = getattr(record, model._meta.pk.attname)
            entries.append(_entry(record, model, previous.get(key)))
            previous[key] = record
    # sort() is stable: records saved in the same instant keep their saved order (reversed).
    entries.reverse()
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def history_page(request: HttpRequest, obj: Any, *related: tuple[type[models.Model], Any]) -> HttpResponse:
    """The history page of `obj`: its own records and those of its related rows, newest first."""
    entries = timeline((type(obj), obj.history.all()), *related)
    return render(request, "core/history.html", {"object": obj, "entries": entries, "back_url": obj.get_absolute_url()})


def save_with_one_record(instance: models.Model, many: dict[str, list[Any]], reason: str | None = None) -> None:
    """Save the row and its many-to-many values as one history record (with `reason`, when given).

    django-simple-history records each many-to-many add and remove on its own, so a new row would
    show as several entries, the first without its relations, and swapping a partner as two
    (removed, then added). History is held back until the relations are saved, then written once
    with them (a new row's record says "created").
    """
    is_new = instance._state.adding
    instance.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        instance.save()
        for name, values in many.items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving  # type: ignore[attr-defined]
    if reason is not None:
        instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save(update_fields=["updated_at"])  # the one record, with the relations as saved
    if is_new:
        history = instance.history  # type: ignore[attr-defined]
        latest = history.order_by("-history_id").values("history_id")[:1]
        history.filter(history_id__in=latest).update(history_type="+")

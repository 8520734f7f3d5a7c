"""Two people on one record: an edit opened on an older version, and a create sent twice.

Edits carry the version (`updated_at`) the form was opened with. The service locks the row and
calls `ensure_current`: when someone saved in between and this save would overwrite what they
changed, it is refused with a list of the fields (label: yours, saved now), and nothing is written.

Creates carry a one-time token issued when the form renders. The service claims it inside its
transaction (`submission_claim`) and records the object it made (`submission_record`); the same
token sent again creates nothing and names the object already made (`AlreadySubmitted`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simkerma.core.data import data_values

VERSION_FIELD = "opened_version"
TOKEN_FIELD = "form_token"  # noqa: S105 (a field name)
TOKEN_SALT = "simkerma.core.form-token"  # noqa: S105 (a signing salt, not a secret)
TOKEN_MAX_AGE = 7 * 24 * 3600  # a form left open for a week is sent again with a new token


# --- versions -----------------------------------------------------------------------------------


def version_of(obj: Any) -> str:
    stamp = getattr(obj, "updated_at", None)
    return stamp.astimezone(dt.UTC).isoformat() if stamp else ""


@dataclass(frozen=True)
class Change:
    label: str
    yours: str
    saved: str


class StaleEdit(ValidationError):
    """Someone saved the record after this form was opened; saving would overwrite their changes."""

    def __init__(self, *, changes: list[Change], current_version: str) -> None:
        self.changes = changes
        self.current_version = current_version
        lines = [
            _(
                "Someone else saved this record after you opened it. Your changes were not saved, so theirs "
                "are not lost. Compare the values below; save again to keep yours."
            )
        ]
        lines += [
            _("%(field)s: yours “%(yours)s”, saved now “%(saved)s”.")
            % {"field": c.label, "yours": c.yours, "saved": c.saved}
            for c in changes
        ]
        super().__init__(lines, code="stale")


def _raw(field: models.Field, value: Any) -> Any:
    """A comparable form of a value: pks for relations, sorted lists for many values."""
    if field.many_to_many:
        return sorted(getattr(v, "pk", v) for v in (value or []))
    if field.is_relation:
        return getattr(value, "pk", value)
    if isinstance(value, models.fields.files.FieldFile) or (
        hasattr(value, "name")
        and field.get_internal_type()
        in (
            "FileField",
            "ImageField",
        )
    ):
        return getattr(value, "name", value) or ""
    if isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    if value is None and not field.null:
        return ""
    return "" if value is None else value


def _shown(field: models.Field, value: Any) -> str:
    if field.many_to_many:
        return ", ".join(sorted(str(v) for v in (value or []))) or "—"
    if value in (None, "", [], ()):
        return "—"
    choices = dict(field.flatchoices) if field.choices else dict(getattr(field, "item_choices", ()))
    base = getattr(field, "base_field", None)
    if not choices and base is not None and getattr(base, "choices", None):
        choices = dict(base.flatchoices)
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(getattr(value, "name", value) if field.get_internal_type() in ("FileField", "ImageField") else value)


def _current_value(obj: Any, field: models.Field) -> Any:
    if field.many_to_many:
        return list(getattr(obj, field.name).all())
    return getattr(obj, field.name)


def _base_values(current: Any, opened: str) -> dict[str, Any] | None:
    """The record as it was when the form was opened, from its history, if it keeps one."""
    history = getattr(type(current), "history", None)
    if history is None:
        return None
    try:
        stamp = dt.datetime.fromisoformat(opened)
    except ValueError:
        return None
    record = history.filter(id=current.pk, updated_at=stamp).order_by("-history_id").first()
    if record is None:
        return None
    values = {}
    for field in type(current)._meta.concrete_fields:
        values[field.name] = getattr(record, field.attname, None)
    return values


def ensure_current(*, instance: models.Model, opened_version: str | None, proposed: Mapping[str, Any]) -> None:
    """Refuse a save opened on an older version when it would overwrite another person's change.

    Call inside the saving transaction: the row is locked until the save commits. A field counts
    when it differs from what is saved now and either changed since the form was opened or its
    value then is unknown. Without an opened version (a caller that does not track one) nothing
    is checked.
    """
    if not opened_version or instance.pk is None:
        return
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    now = version_of(current)
    if now == opened_version:
        return
    base = _base_values(current, opened_version)
    changes = []
    for name, value in proposed.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, models.Field):
            continue
        saved = _current_value(current, field)
        if _raw(field, value) == _raw(field, saved):
            continue
        if base is not None and name in base and _raw(field, base[name]) == _raw(field, saved):
            continue  # only this user changed it
        changes.append(
            Change(label=str(field.verbose_name).capitalize(), yours=_shown(field, value), saved=_shown(field, saved))
        )
    if changes:
        raise StaleEdit(changes=changes, current_version=now)


def proposed_from_data(data: Any) -> dict[str, Any]:
    """The values a data object proposes, by field name, for ensure_current."""
    return data_values(data)


def proposed_from_form(form: forms.BaseForm) -> dict[str, Any]:
    cleaned = getattr(form, "cleaned_data", {})
    return {name: cleaned[name] for name in form.fields if name in cleaned and name not in (VERSION_FIELD, TOKEN_FIELD)}


# --- one-time form tokens -----------------------------------------------------------------------


class AlreadySubmitted(Exception):
    """This form was sent before; `obj` is what the first submission created (None while it runs)."""

    def __init__(self, obj: Any) -> None:
        super().__init__("form already submitted")
        self.obj = obj


def token_issue(purpose: str) -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(f"{purpose}:{secrets.token_urlsafe(18)}")


def token_is_valid(token: str, purpose: str) -> bool:
    try:
        value = signing.TimestampSigner(salt=TOKEN_SALT).unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return False
    return value.startswith(f"{purpose}:")


def submitted_object(token: str | None, purpose: str) -> Any:
    """What an earlier submission with this token created, or None."""
    from simkerma.core.models import SubmissionToken

    if not token:
        return None
    claim = SubmissionToken.objects.filter(token=token, purpose=purpose).first()
    return claim.created_object if claim else None


def submission_claim(token: str | None, *, purpose: str) -> Any:
    """Claim a form token inside the caller's transaction. Raises AlreadySubmitted on a replay.

    The token's row is unique: a second request with the same token waits for the first one's
    transaction and then finds the row, so only one of them creates. Without a token nothing is
    claimed (callers that do not issue tokens, such as imports).
    """
    from simkerma.core.models import SubmissionToken

    if not token:
        return None
    if not token_is_valid(token, purpose):
        raise ValidationError(_("This form has expired. Check the values and save again."), code="form_token")
    try:
        with transaction.atomic():
            return SubmissionToken.objects.create(token=token, purpose=purpose)
    except IntegrityError:
        claim = SubmissionToken.objects.filter(token=token).first()
        raise AlreadySubmitted(claim.created_object if claim else None) from None


def submission_record(claim: Any, obj: models.Model) -> None:
    if claim is None:
        return
    claim.content_type = ContentType.objects.get_for_model(obj)
    claim.object_id = obj.pk
    claim.save(update_fields=["content_type", "object_id"])


def submission_tokens_purge(*, now: dt.datetime | None = None) -> int:
    """Forget tokens past their age: such a token is refused as expired, so it can never create again."""
    from simkerma.core.models import SubmissionToken

    cutoff = (now or timezone.now()) - dt.timedelta(seconds=TOKEN_MAX_AGE)
    deleted, _by_model = SubmissionToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def already_submitted_response(request: HttpRequest, obj: Any, fallback: Any = "home") -> HttpResponse:
    messages.info(request, _("This form was already sent; nothing was saved twice."))
    if obj is not None and hasattr(obj, "get_absolute_url"):
        return redirect(obj)
    return redirect(fallback)


# --- forms --------------------------------------------------------------------------------------


def _with(data: Any, key: str, value: str) -> Any:
    """The form's data (a QueryDict, immutable) with one value replaced."""
    changed = data.copy()
    changed[key] = value
    return changed


class VersionedFormMixin(forms.BaseForm):
    """An edit form that carries the version of the record it was opened on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.fields[VERSION_FIELD] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=version_of(instance)
            )

    @property
    def opened_version(self) -> str | None:
        if VERSION_FIELD not in self.fields:
            return None
        return self.data.get(self.add_prefix(VERSION_FIELD)) or None

    def refuse_stale(self, error: StaleEdit) -> None:
        """Show the refusal and keep what was typed; saving again then means keeping these values."""
        self.data = _with(self.data, self.add_prefix(VERSION_FIELD), error.current_version)
        self.add_error(None, error)


class OneTimeTokenFormMixin(forms.BaseForm):
    """A create form with a one-time token, so the same submission creates only once."""

    submission_purpose = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            self.fields[TOKEN_FIELD] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=token_issue(self.submission_purpose)
            )

    @property
    def submission_token(self) -> str | None:
        if TOKEN_FIELD not in self.fields:
            return None
        return self.data.get(self.add_prefix(TOKEN_FIELD)) or None

    def clean_form_token(self) -> str:
        token = self.cleaned_data.get(TOKEN_FIELD) or ""
        if token and not token_is_valid(token, self.submission_purpose):
            self.data = _with(self.data, self.add_prefix(TOKEN_FIELD), token_issue(self.submission_purpose))
            self.add_error(None, gettext_lazy("This form has expired. Check the values and save again."))
            return ""
        return token

    def replayed(self) -> Any:
        """The object an earlier submission of this very form created, or None."""
        return submitted_object(self.submission_token, self.submission_purpose)

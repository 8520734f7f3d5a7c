import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simkerma.core.dates import validate_date_range
from simkerma.core.text import one_line


class Retained:
    """A record kept for its retention period: deleting it before `retention_until` (a date, or
    None when no period runs yet) is refused with `retention_message`, which names %(date)s."""

    retention_until: dt.date | None
    retention_message: ClassVar[str | Promise]

    def deletion_refusal(self, on: dt.date | None = None) -> str:
        """Why this record may not be deleted now (empty when it may)."""
        on = on or timezone.localdate()
        if self.retention_until is not None and on < self.retention_until:
            return str(self.retention_message % {"date": date_format(self.retention_until)})
        return ""

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        refusal = self.deletion_refusal()
        if refusal:
            raise ValidationError(refusal, code="retained")
        return super().delete(*args, **kwargs)  # type: ignore[misc]


class TidyModel(models.Model):
    """One-line text fields are tidied on save and every date is refused outside the accepted range."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        tidy_one_line_fields(self)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        tidy_one_line_fields(self)
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if isinstance(field, models.DateField) and field.name not in (exclude or ()):
                try:
                    validate_date_range(getattr(self, field.attname))
                except ValidationError as error:
                    errors.setdefault(field.name, []).append(error)
        if errors:
            raise ValidationError(errors)


class TimeStampedModel(TidyModel):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def tidy_one_line_fields(instance: models.Model) -> None:
    """One-line text fields (CharField, not TextField) hold no line breaks or control characters."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField) and not field.choices:
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, one_line(value))


class Notice(models.Model):
    """One reminder or alert, to one person, sent at most once.

    Producers create notices idempotently (the key is unique); the worker claims each due notice
    with a conditional UPDATE before sending, so two workers never send the same one. A refusal by
    the mail server releases the claim for a retry after the lease; a claim that outlives its lease
    still owned (the worker died while sending) is held and the administrators alerted, never sent
    again (`notices_hold_unknown`).
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=50, db_index=True)
    recipient = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    email = models.EmailField(blank=True)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    due_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_at"]
        indexes = [models.Index(fields=["sent_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"


class SubmissionToken(models.Model):
    """A create form's one-time token, claimed by the first submission, with what it created."""

    token = models.CharField(max_length=200, unique=True)
    purpose = models.CharField(max_length=100)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.purpose}: {self.object_id}"

    @property
    def created_object(self) -> Any:
        if self.content_type is None or self.object_id is None:
            return None
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None


class DataVersion(models.Model):
    """A counter bumped in the same transaction as every write to the data a cached figure reads."""

    name = models.CharField(max_length=50, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"

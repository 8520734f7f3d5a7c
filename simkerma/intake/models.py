from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailboxState(models.Model):
    """How the office mailbox answered lately: the worker backs off while it is down and alerts once."""

    name = models.CharField(max_length=50, unique=True)
    # Set while a worker polls it, so that two workers do not read the mailbox at once.
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    down_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mailbox state")
        verbose_name_plural = _("mailbox states")

    def __str__(self) -> str:
        return self.name

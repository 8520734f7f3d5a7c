"""A request's conversation: the messages that came in by e-mail or WhatsApp and the answers sent.

Each message from outside keeps its own identifier (the e-mail's Message-ID, WhatsApp's message
id) under a unique constraint per channel, so a message taken twice, by a restart or a second
worker, is recorded once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simkerma.core.models import TidyModel


class Direction(models.TextChoices):
    IN = "in", _("Received")
    OUT = "out", _("Sent")


class Purpose(models.TextChoices):
    """What an answer is for: the first response and the follow-up stop their clocks."""

    MESSAGE = "", _("Message")
    RESPONSE = "response", _("First response")
    FOLLOWUP = "followup", _("Follow-up")


class RequestMessage(TidyModel):
    request = models.ForeignKey("servicedesk.ServiceRequest", on_delete=models.CASCADE, related_name="conversation")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=10)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, blank=True)
    sender = models.CharField(_("from"), max_length=255, blank=True)
    recipient = models.CharField(_("to"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    # The e-mail's Message-ID or WhatsApp's message id (wamid); empty for none.
    message_id = models.CharField(_("message id"), max_length=255, blank=True)
    # Received: when it reached the mailbox or WhatsApp; sent: the moment it left.
    at = models.DateTimeField(_("at"), db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "message_id"],
                condition=~Q(message_id=""),
                name="request_message_unique_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.direction} {self.at:%Y-%m-%d %H:%M}"

    @property
    def channel_label(self) -> str:
        from simkerma.servicedesk.models import Channel  # the request's module imports this one

        return str(Channel(self.channel).label) if self.channel in Channel.values else self.channel

    @property
    def is_incoming(self) -> bool:
        return self.direction == Direction.IN


def attachment_upload_to(instance: RequestAttachment, filename: str) -> str:
    # The stored name never comes from the sender; the extension follows the checked content.
    extension = ATTACHMENT_EXTENSIONS.get(instance.content_type, "bin")
    return f"servicedesk/attachments/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


ATTACHMENT_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


class RequestAttachment(TidyModel):
    """A file that came with a message, checked by its content like every other upload."""

    message = models.ForeignKey(RequestMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        stem = self.original_name.rsplit(".", 1)[0] or "file"
        return f"{stem}.{ATTACHMENT_EXTENSIONS.get(self.content_type, 'bin')}"

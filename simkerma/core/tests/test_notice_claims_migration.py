"""The upgrade to at-most-once notices: a refusal recorded under the old rule is retried, not held."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from simkerma.core.models import Notice
from simkerma.core.notices import CLAIM_LEASE, send_due_notices

pytestmark = pytest.mark.django_db
release = importlib.import_module("simkerma.core.migrations.0004_release_refused_notice_claims").release


def _notice(key: str, **fields) -> Notice:
    claimed = timezone.now() - CLAIM_LEASE - dt.timedelta(minutes=1)
    values = {"claimed_by": "old-worker", "claimed_at": claimed, "attempts": 1, "email": "mitra@example.id"}
    values.update(fields)
    return Notice.objects.create(key=key, kind="t", subject=key, body="b", due_at=claimed, **values)


def test_a_refused_notice_is_released_and_then_sent_once():
    refused = _notice("refused", last_error="421 try again later")
    in_hand = _notice("in-hand")  # a worker died while sending it: still held as of unknown outcome
    sent = _notice("sent", last_error="421", sent_at=timezone.now())

    release(apps, None)

    refused.refresh_from_db(), in_hand.refresh_from_db(), sent.refresh_from_db()
    assert (refused.claimed_by, in_hand.claimed_by, sent.claimed_by) == ("", "old-worker", "old-worker")
    send_due_notices()
    assert [message.subject for message in mail.outbox if message.subject in ("refused", "in-hand")] == ["refused"]

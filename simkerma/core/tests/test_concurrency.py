"""One-time form tokens: claimed once, refused when forged or expired, forgotten after their age."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from simkerma.core.concurrency import (
    TOKEN_MAX_AGE,
    AlreadySubmitted,
    submission_claim,
    submission_record,
    submission_tokens_purge,
    token_is_valid,
    token_issue,
)
from simkerma.core.models import Notice, SubmissionToken

pytestmark = pytest.mark.django_db


def test_a_token_is_claimed_once_and_a_replay_names_what_it_created():
    token = token_issue("core.test")
    claim = submission_claim(token, purpose="core.test")
    notice = Notice.objects.create(key="k", kind="t", subject="s", body="b", due_at=timezone.now())
    submission_record(claim, notice)
    with pytest.raises(AlreadySubmitted) as replay:
        submission_claim(token, purpose="core.test")
    assert replay.value.obj == notice
    assert SubmissionToken.objects.count() == 1


def test_a_token_is_bound_to_its_form_and_cannot_be_forged():
    token = token_issue("agreements.agreement")
    assert token_is_valid(token, "agreements.agreement")
    assert not token_is_valid(token, "activities.activity")
    assert not token_is_valid("agreements.agreement:guess", "agreements.agreement")
    with pytest.raises(ValidationError):
        submission_claim(token, purpose="activities.activity")
    assert not SubmissionToken.objects.exists()


def test_old_tokens_are_forgotten_by_the_worker_and_stay_refused():
    issued = timezone.now() - dt.timedelta(seconds=TOKEN_MAX_AGE + 60)
    with time_machine.travel(issued, tick=False):
        token = token_issue("core.test")
        submission_claim(token, purpose="core.test")
        fresh = token_issue("core.test")
    submission_claim(token_issue("core.test"), purpose="core.test")
    call_command("simkerma_worker")
    assert SubmissionToken.objects.count() == 1
    assert not token_is_valid(token, "core.test") and not token_is_valid(fresh, "core.test")
    assert submission_tokens_purge() == 0

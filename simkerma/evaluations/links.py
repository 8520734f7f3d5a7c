"""The partner survey's signed, single-use, expiring link.

The link holds the invitation's id and a random nonce, signed with the site's secret key (so an
altered link is refused before the database is read). Only the nonce's SHA-256 is stored; an answer
clears it, so a link is used once. Sending a reminder gives a new nonce: the older link stops working.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from simkerma.evaluations.models import SurveyInvitation

SALT = "simkerma.evaluations.survey"


class LinkProblem(Exception):
    """Why a link cannot be used: `status` is the HTTP status the page answers with."""

    def __init__(self, kind: str, status: int) -> None:
        super().__init__(kind)
        self.kind = kind
        self.status = status


@dataclass(frozen=True)
class Link:
    token: str

    @property
    def path(self) -> str:
        return reverse("evaluations:survey_answer", args=[self.token])


def nonce_hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def new_link(invitation: SurveyInvitation) -> Link:
    """Give the invitation a fresh nonce (set on it, saved by the caller) and return its link."""
    nonce = secrets.token_urlsafe(24)
    invitation.nonce_hash = nonce_hash(nonce)
    return Link(signing.dumps({"i": invitation.pk, "n": nonce}, salt=SALT, compress=False))


def invitation_for(token: str, *, lock: bool = False, now: dt.datetime | None = None) -> SurveyInvitation:
    """The invitation the link opens, or LinkProblem: altered (400), unknown (404), used or expired (410)."""
    try:
        payload = signing.loads(token, salt=SALT)
        invitation_id, nonce = int(payload["i"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkProblem("altered", 400) from None
    invitations = SurveyInvitation.objects.select_related("agreement")
    if lock:
        invitations = invitations.select_for_update()
    invitation = invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise LinkProblem("unknown", 404)
    if invitation.answered_at is not None:
        raise LinkProblem("used", 410)
    if not invitation.nonce_hash or not secrets.compare_digest(invitation.nonce_hash, nonce_hash(nonce)):
        raise LinkProblem("replaced", 410)
    if invitation.is_expired(now or timezone.now()):
        raise LinkProblem("expired", 410)
    return invitation

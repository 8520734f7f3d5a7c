"""API tokens: made and revoked by their user, found by prefix, compared by hash in constant time."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from simkerma.accounts.models import Role
from simkerma.accounts.permissions import can_read
from simkerma.api.data import TokenData
from simkerma.api.models import PREFIX_LENGTH, ApiToken, new_secret, secret_hash
from simkerma.core.dates import MAX_DATE, WIB
from simkerma.core.history import CREATED, change_reason, reason_template

REVOKED = reason_template(gettext_noop("revoked"))
# A person has at most this many tokens in use at once.
MAX_ACTIVE_TOKENS = 20
# A secret is 43 characters; anything much longer in the header is not one of ours.
MAX_SECRET_LENGTH = 100
# last_used_at is written at most this often, so that reading with a token is not a write per request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A token just made, with its secret: the only moment the secret is known."""

    token: ApiToken
    secret: str


def can_have_tokens(user: Any) -> bool:
    """Anyone with a role may use the API as themselves; an account without a role reads nothing."""
    return can_read(user)


def token_create(*, user: Any, data: TokenData, now: dt.datetime | None = None) -> IssuedToken:
    """Make a token for `user` itself. The secret is returned once and never stored."""
    if not can_have_tokens(user):
        raise PermissionDenied
    now = now or timezone.now()
    name = " ".join(data.name.split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, e.g. the system that will use it.")
    elif len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        errors["name"] = _("The name is too long: at most 100 characters.")
    if data.expires_at is not None:
        if data.expires_at <= now:
            errors["expires_at"] = _("The expiry must lie in the future.")
        elif data.expires_at.astimezone(WIB).date() > MAX_DATE:
            errors["expires_at"] = _("The expiry must be on or before %(date)s.") % {"date": MAX_DATE.isoformat()}
    if ApiToken.objects.filter(user=user).usable(now).count() >= MAX_ACTIVE_TOKENS:
        errors["name"] = _("You already have %(count)d tokens in use; revoke one first.") % {"count": MAX_ACTIVE_TOKENS}
    if errors:
        raise ValidationError(errors)
    secret = new_secret()
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=secret_hash(secret),
        read_only=data.read_only,
        created_at=now,
        expires_at=data.expires_at,
    )
    token._change_reason = change_reason(CREATED)  # type: ignore[attr-defined]
    with transaction.atomic():
        token.save()
    return IssuedToken(token, secret)


def can_revoke_token(user: Any, token: ApiToken) -> bool:
    """A person revokes their own tokens; the administrator revokes anyone's."""
    if not getattr(user, "is_authenticated", False):
        return False
    return token.user_id == user.pk or (user.has_role and user.role == Role.ADMIN)


def token_revoke(*, token: ApiToken, user: Any, now: dt.datetime | None = None) -> ApiToken:
    """Revoke a token: every request with it is refused with 401 from now on. Revoking twice changes nothing."""
    if not can_revoke_token(user, token):
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    token.revoked_at = now or timezone.now()
    token.revoked_by = user
    token._change_reason = change_reason(REVOKED)  # type: ignore[attr-defined]
    with transaction.atomic():
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_authenticate(secret: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The usable token with this secret, its user active, or None. One query (two at most once a minute)."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    now = now or timezone.now()
    digest = secret_hash(secret)
    found = None
    for candidate in ApiToken.objects.select_related("user", "user__unit").filter(prefix=secret[:PREFIX_LENGTH])[:10]:
        # Every candidate is compared, in constant time, so the time taken says nothing about the hash.
        if hmac.compare_digest(candidate.key_hash, digest):
            found = candidate
    if found is None or not found.is_usable(now) or not found.user.is_active:
        return None
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
        # A conditional update: of two requests in the same minute, one writes.
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
        ApiToken.objects.filter(stale, pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found


def tokens_of(user: Any) -> list[ApiToken]:
    """The user's tokens for the profile page, the newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))

"""Writes to the accounts of the people who use Simkerma: invite, change, deactivate, accept an invitation.

An account is never deleted, so every record keeps the name of who did what. Every change is in the
account's history, with its reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from simkerma.accounts.models import (
    DEACTIVATED,
    INVITATION_ACCEPTED,
    INVITATION_RESENT,
    INVITED,
    REACTIVATED,
    Invitation,
    User,
)
from simkerma.accounts.permissions import (
    can_change_role,
    can_deactivate,
    can_grant_role,
    can_manage_account,
    can_manage_accounts,
)
from simkerma.core.data import KEEP, Keep, apply_data
from simkerma.core.history import EDITED, change_reason
from simkerma.core.notices import notice_plan
from simkerma.org.models import Prodi, Unit

INVITATION_NOTICE_KIND = "account_invitation"


@dataclass(frozen=True, kw_only=True)
class AccountData:
    """An account as the form or another door gives it; the username is set once, when invited."""

    username: str | Keep = KEEP
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    role: str = ""
    unit: Unit | None = None
    prodi: Prodi | None = None
    phone: str = ""


@dataclass(frozen=True)
class InvitationSent:
    account: User
    invitation: Invitation
    url: str


class InvitationProblem(Exception):
    """Why an invitation link does not work: unknown, used, expired, revoked, or the account is inactive."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _check_email(account: User) -> None:
    """An address belongs to one account, so a password reset reaches exactly one person."""
    if not account.email:
        raise ValidationError({"email": _("An account needs an e-mail address for its invitation and password reset.")})
    taken = User.objects.filter(email__iexact=account.email).exclude(pk=account.pk).exists()
    if taken:
        raise ValidationError({"email": _("Another account uses this e-mail address.")})


def _invitation_mail(invitation: Invitation, url: str) -> tuple[str, str]:
    values = {
        "name": invitation.user.display_name,
        "username": invitation.user.username,
        "role": invitation.user.get_role_display(),
        "url": url,
        "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
        "institution": settings.SIMKERMA_INSTITUTION_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your Simkerma account at %(institution)s") % values
        body = (
            _(
                "Hello %(name)s,\n\nAn account was opened for you in Simkerma, the cooperation system of "
                "%(institution)s, as %(role)s. Your username is %(username)s.\n\nSet your password with this "
                "link. It works once, until %(expires)s (WIB):\n%(url)s\n\nIf you did not expect this "
                "message, ignore it."
            )
            % values
        )
    return subject, body


def _send_invitation(account: User, user: Any, now: dt.datetime) -> InvitationSent:
    """Revoke the account's open invitations, then make and mail a new one (inside the caller's transaction)."""
    Invitation.objects.filter(user=account, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=account,
        token_hash=token_hash(token),
        created_by=user,
        created_at=now,
        expires_at=now + dt.timedelta(hours=settings.SIMKERMA_INVITATION_HOURS),
    )
    url = settings.SIMKERMA_BASE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    subject, body = _invitation_mail(invitation, url)
    notice_plan(
        key=f"accounts.invitation:{invitation.pk}",
        kind=INVITATION_NOTICE_KIND,
        subject=subject,
        body=body,
        due_at=now,
        email=account.email,
    )
    return InvitationSent(account=account, invitation=invitation, url=url)


def account_invite(*, data: AccountData, user: Any, now: dt.datetime | None = None) -> InvitationSent:
    """Open an account with its role and unit and mail its owner a link to set the password.

    The account has no usable password until the link is used.
    """
    _require(can_manage_accounts(user) and can_grant_role(user, data.role))
    now = now or timezone.now()
    account = User()
    apply_data(account, data)
    account.set_unusable_password()
    account.full_clean(exclude=["password"])
    _check_email(account)
    with transaction.atomic():
        account._change_reason = change_reason(INVITED)  # type: ignore[attr-defined]
        account.save()
        return _send_invitation(account, user, now)


def invitation_resend(*, account: User, user: Any, now: dt.datetime | None = None) -> InvitationSent:
    """Mail a new invitation to an account that has never set its password; the older link stops working."""
    _require(can_manage_account(user, account))
    if account.has_usable_password():
        raise ValidationError(
            _("This account has a password already; its owner can reset it with “Forgot password”."),
            code="has_password",
        )
    if not account.is_active:
        raise ValidationError(_("Reactivate the account before inviting it again."), code="inactive")
    now = now or timezone.now()
    with transaction.atomic():
        sent = _send_invitation(account, user, now)
        account._change_reason = change_reason(INVITATION_RESENT)  # type: ignore[attr-defined]
        account.save()
    return sent


def account_update(*, account: User, data: AccountData, user: Any) -> User:
    """Change an account's name, address, role and unit. The username stays as it was given."""
    _require(can_manage_account(user, account))
    if data.role != account.role:
        _require(can_change_role(user, account) and can_grant_role(user, data.role))
    apply_data(account, data, exclude=["username"])
    account.full_clean(exclude=["password"])
    _check_email(account)
    with transaction.atomic():
        account._change_reason = change_reason(EDITED)  # type: ignore[attr-defined]
        account.save()
    return account


def account_deactivate(*, account: User, user: Any, now: dt.datetime | None = None) -> User:
    """Close an account: it no longer logs in, its sessions and API tokens stop working, its open
    invitation is revoked. Everything it did keeps its name."""
    _require(can_deactivate(user, account))
    if not account.is_active:
        return account
    with transaction.atomic():
        Invitation.objects.filter(user=account, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now()
        )
        account.is_active = False
        account._change_reason = change_reason(DEACTIVATED)  # type: ignore[attr-defined]
        account.save()
    return account


def account_reactivate(*, account: User, user: Any) -> User:
    _require(can_manage_account(user, account))
    if account.is_active:
        return account
    with transaction.atomic():
        account.is_active = True
        account._change_reason = change_reason(REACTIVATED)  # type: ignore[attr-defined]
        account.save()
    return account


def invitation_for(token: str, *, lock: bool = False, now: dt.datetime | None = None) -> Invitation:
    """The open invitation of this token, or InvitationProblem saying why the link does not work."""
    invitations = Invitation.objects.select_related("user")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_hash(token)).first() if token else None
    if invitation is None:
        raise InvitationProblem("unknown")
    state = invitation.state(now)
    if state != Invitation.State.OPEN:
        raise InvitationProblem(state)
    if not invitation.user.is_active:
        raise InvitationProblem("inactive")
    return invitation


def invitation_accept(*, token: str, password: str, now: dt.datetime | None = None) -> User:
    """Set the account's first password through its invitation. The link then stops working.

    The password must pass the password validators (ValidationError on "password"). It is checked
    and hashed (the slow part) before the transaction; the invitation is then read again under a
    row lock, so a link sent twice at once sets one password.
    """
    now = now or timezone.now()
    try:
        validate_password(password, invitation_for(token, now=now).user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    hashed = make_password(password)
    with transaction.atomic():
        invitation = invitation_for(token, lock=True, now=now)
        account = invitation.user
        account.password = hashed
        account._change_reason = change_reason(INVITATION_ACCEPTED)  # type: ignore[attr-defined]
        account.save()
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
    return account

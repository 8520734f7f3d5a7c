from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, cast

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from simkerma.core.history import change_reason, reason_template
from simkerma.core.search import word_search
from simkerma.org.models import Unit


class Role(models.TextChoices):
    STAF = "staf", _("Cooperation staff (Staf Kerjasama)")
    KAPOKJA = "kapokja", _("Head of PR & Cooperation (Kapokja)")
    KOORDINATOR = "koordinator", _("Department/programme coordinator")
    P3M = "p3m", _("P3M")
    PIMPINAN = "pimpinan", _("Leadership (Pimpinan)")
    AUDITOR = "auditor", _("Auditor (SPMI/AMI)")
    ADMIN = "admin", _("Administrator")


# Roles whose write access is limited to records that name their own unit.
UNIT_ROLES = frozenset({Role.KOORDINATOR, Role.P3M})
# Tim Kerjasama and the administrator manage the whole registry.
TEAM_ROLES = frozenset({Role.STAF, Role.KAPOKJA, Role.ADMIN})
READ_ONLY_ROLES = frozenset({Role.PIMPINAN, Role.AUDITOR})
# Roles that write somewhere: only they can be given work (follow-up tasks) or complete it.
WRITER_ROLES = TEAM_ROLES | UNIT_ROLES


# Why an account changed, as its history shows it (stored as English msgids, shown translated).
INVITED = reason_template(gettext_noop("invited by e-mail"))
INVITATION_RESENT = reason_template(gettext_noop("invitation sent again"))
INVITATION_ACCEPTED = reason_template(gettext_noop("password set from the invitation"))
PASSWORD_SET = reason_template(gettext_noop("password set"))
DEACTIVATED = reason_template(gettext_noop("deactivated"))
REACTIVATED = reason_template(gettext_noop("reactivated"))
HISTORY_STARTED = reason_template(gettext_noop("history started"))
# Saves that touch only these columns are bookkeeping (a login, a hash upgraded on login), not a change.
UNRECORDED_FIELDS = frozenset({"last_login", "password"})


class UserQuerySet(models.QuerySet["User"]):
    def search(self, query: str) -> UserQuerySet:
        """Every word in the username, the name or the e-mail address."""
        return cast(UserQuerySet, word_search(self, query, ["username", "first_name", "last_name", "email"]))


class AccountManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("Required for coordinators and P3M: the unit whose records they may edit."),
    )
    prodi = models.ForeignKey(
        "org.Prodi",
        verbose_name=_("study programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinators",
    )
    phone = models.CharField(_("phone / WhatsApp"), max_length=40, blank=True)

    objects: ClassVar[AccountManager] = AccountManager()  # type: ignore[assignment]
    # is_staff and is_superuser follow the role; the password and the last login are no change to show.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "is_staff", "is_superuser"])

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        # A coordinator picked by prodi belongs to that prodi's jurusan, as save() would record.
        if self.prodi_id and not self.unit_id and self.prodi is not None:
            self.unit_id = self.prodi.unit_id
        if self.role in UNIT_ROLES and not self.unit_id:
            raise ValidationError({"unit": _("Coordinators and P3M users need a unit.")})
        if self.role == Role.P3M and self.unit_id and self.unit is not None and self.unit.kind != Unit.Kind.P3M:
            raise ValidationError({"unit": _("A P3M user belongs to the P3M unit.")})
        if self.prodi_id and self.unit_id and self.prodi is not None and self.prodi.unit_id != self.unit_id:
            raise ValidationError({"prodi": _("The study programme must belong to the chosen unit.")})

    def save(self, *args: object, **kwargs: object) -> None:
        if self.is_superuser and not self.role:
            self.role = Role.ADMIN
        if self.prodi_id and not self.unit_id and self.prodi is not None:
            self.unit_id = self.prodi.unit_id
        # Only the administrator reaches the Django admin.
        self.is_staff = self.role == Role.ADMIN
        self.is_superuser = self.role == Role.ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(cast(Any, update_fields)) <= UNRECORDED_FIELDS:
            self.skip_history_when_saving = True
            try:
                super().save(*args, **kwargs)  # type: ignore[arg-type]
            finally:
                del self.skip_history_when_saving
            return
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        # The next save is recorded as a password change (reset, change, or set from an invitation).
        self._change_reason = change_reason(PASSWORD_SET)

    def get_absolute_url(self) -> str:
        return reverse("account_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """How the product names this person: the full name, or the username when none is set."""
        return self.get_full_name() or self.username

    @property
    def has_role(self) -> bool:
        return bool(self.role) and self.is_active

    @property
    def is_team(self) -> bool:
        return self.has_role and self.role in TEAM_ROLES

    @property
    def is_unit_scoped(self) -> bool:
        return self.has_role and self.role in UNIT_ROLES

    @property
    def is_writer(self) -> bool:
        """Whether this account writes anywhere (the team, coordinators and P3M); pimpinan and auditors read."""
        return self.has_role and self.role in WRITER_ROLES


class Invitation(models.Model):
    """A link to set the first password of an account, sent by e-mail.

    The link carries a random token; only its SHA-256 is stored. It works once (used_at) and until
    expires_at. A newer invitation, or the account's deactivation, revokes the open one.
    """

    class State(models.TextChoices):
        OPEN = "open", _("open")
        USED = "used", _("used")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("replaced or withdrawn")

    user = models.ForeignKey(User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    def state(self, now: dt.datetime | None = None) -> str:
        if self.used_at is not None:
            return self.State.USED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.State.EXPIRED
        return self.State.OPEN

    def get_state_display(self) -> str:
        return str(self.State(self.state()).label)

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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
        super().save(*args, **kwargs)  # type: ignore[arg-type]

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

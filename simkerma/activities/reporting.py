"""What the official reports need beyond the procedure: the ministry's forms of cooperation (IKU
2023), funding per year (LAM INFOKOM's Pendanaan columns) and the outputs a partner uses (IKU 5,
Kepmendiktisaintek 358/M/KEP/2025)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simkerma.core.models import TidyModel, TimeStampedModel

MAX_FUNDING = Decimal("999999999999")  # Rp: just under a trillion


class CooperationForm(TimeStampedModel):
    """A form of cooperation (bentuk kegiatan kerja sama) the IKU counts; an editable list."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    qualifies_iku = models.BooleanField(
        _("counts for IKU"), default=True, help_text=_("An activity in this form counts for the IKU.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("form of cooperation (IKU)")
        verbose_name_plural = _("forms of cooperation (IKU)")

    def __str__(self) -> str:
        return self.name


class ActivityFunding(TidyModel):
    """The funds an activity received in one year, in rupiah."""

    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.CASCADE, related_name="funding"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)])
    amount = models.DecimalField(
        _("amount (Rp)"),
        max_digits=15,
        decimal_places=0,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_FUNDING)],
    )
    source = models.CharField(_("source of funds"), max_length=200, blank=True)

    class Meta:
        ordering = ["activity_id", "year"]
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [models.UniqueConstraint(fields=["activity", "year"], name="activity_funding_year")]

    def __str__(self) -> str:
        return f"{self.year}: Rp {self.amount}"


class ActivityOutput(TidyModel):
    """An output of a cooperation that the partner uses (IKU 5): a product, a method, a study."""

    class Kind(models.TextChoices):
        PRODUK = "produk", _("Product or prototype")
        TEKNOLOGI = "teknologi", _("Technology or method")
        LAYANAN = "layanan", _("Service or system")
        KAJIAN = "kajian", _("Study, policy paper or model")
        PUBLIKASI = "publikasi", _("Publication")
        HKI = "hki", _("Intellectual property (HKI)")
        SDM = "sdm", _("Trained people or graduates taken on")
        LAINNYA = "lainnya", _("Other")

    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.CASCADE, related_name="outputs"
    )
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    evidence_link = models.URLField(_("evidence link"), max_length=500)
    used_on = models.DateField(_("used by the partner since"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["used_on", "pk"]
        verbose_name = _("output used by the partner")
        verbose_name_plural = _("outputs used by the partner")
        indexes = [models.Index(fields=["used_on"], name="activity_output_used_on")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.used_on and self.used_on > timezone.localdate():
            raise ValidationError(
                {
                    "used_on": gettext("The date of use (%(date)s) is in the future.")
                    % {"date": date_format(self.used_on)}
                }
            )

    @property
    def quarter(self) -> int:
        return (self.used_on.month - 1) // 3 + 1


@dataclass(frozen=True, kw_only=True)
class CooperationFormData:
    """A form of cooperation as the Kapokja gives it; `code` is kept once the entry exists."""

    code: str
    name: str
    description: str = ""
    qualifies_iku: bool = True
    order: int = 0
    is_active: bool = True

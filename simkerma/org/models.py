from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simkerma.core.choices import Field
from simkerma.core.fields import ChoiceListField
from simkerma.core.models import TimeStampedModel


class Unit(TimeStampedModel):
    """A jurusan, P3M or another unit of the institution."""

    class Kind(models.TextChoices):
        JURUSAN = "jurusan", _("Department (jurusan)")
        P3M = "p3m", _("P3M")
        UNIT = "unit", _("Other unit")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    expected_fields = ChoiceListField(
        _("expected fields"),
        item_choices=Field.choices,
        blank=True,
        help_text=_("Fields this unit must cooperate in every year (KPI B.1.2.9.7)."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        # A study programme hangs under a jurusan; the unit cannot stop being one under its prodi.
        if self.pk and self.kind != Unit.Kind.JURUSAN and self.prodi.exists():
            raise ValidationError(
                {"kind": _("This unit has study programmes; only a department (jurusan) can have them.")}
            )

    @staticmethod
    def default_expected_fields(kind: str) -> list[str]:
        if kind == Unit.Kind.JURUSAN:
            return [Field.PENDIDIKAN, Field.PENELITIAN, Field.PKM]
        if kind == Unit.Kind.P3M:
            return [Field.PENELITIAN, Field.PKM]
        return []

    @property
    def expected_field_labels(self) -> list[str]:
        return Unit._meta.get_field("expected_fields").labels(self.expected_fields)  # type: ignore[attr-defined]


class ProdiQuerySet(models.QuerySet["Prodi"]):
    def active_in(self, year: int) -> ProdiQuerySet:
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=year),
            Q(active_until__isnull=True) | Q(active_until__gte=year),
        )


class Instrument(models.TextChoices):
    """The accreditation instrument a study programme reports its cooperation in (LKPS)."""

    IAPS4 = "iaps4", _("BAN-PT IAPS 4.0")
    LAM_INFOKOM = "laminfokom", _("LAM INFOKOM")
    LAM_TEKNIK = "lamteknik", _("LAM Teknik (IAPS 2025)")


class Prodi(TimeStampedModel):
    """A study programme (program studi) of a jurusan."""

    class Level(models.TextChoices):
        D2 = "D2", "D2"
        D3 = "D3", "D3"
        D4 = "D4", _("D4 (Applied Bachelor)")
        S2 = "S2", _("S2 (Applied Master)")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=2, choices=Level.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="prodi",
        limit_choices_to={"kind": Unit.Kind.JURUSAN},
    )
    active_from = models.PositiveSmallIntegerField(_("active from (year)"), null=True, blank=True)
    active_until = models.PositiveSmallIntegerField(_("active until (year)"), null=True, blank=True)
    instrument = models.CharField(
        _("accreditation instrument"),
        max_length=12,
        choices=Instrument.choices,
        default=Instrument.IAPS4,
        help_text=_("The instrument whose LKPS tables this study programme reports its cooperation in."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ProdiQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("study programme")
        verbose_name_plural = _("study programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="prodi_active_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.level} {self.name}"

    def clean(self) -> None:
        if self.active_from and self.active_until and self.active_until < self.active_from:
            raise ValidationError({"active_until": _("The last active year cannot be before the first active year.")})
        if self.unit_id and self.unit.kind != Unit.Kind.JURUSAN:
            raise ValidationError({"unit": _("A study programme belongs to a department (jurusan).")})

    def is_active_in(self, year: int) -> bool:
        return (self.active_from is None or self.active_from <= year) and (
            self.active_until is None or self.active_until >= year
        )


class LecturerCount(TimeStampedModel):
    """The number of a study programme's permanent lecturers (NDTPS) in a year, for the score estimate."""

    prodi = models.ForeignKey(
        Prodi, verbose_name=_("study programme"), on_delete=models.CASCADE, related_name="lecturer_counts"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)])
    ndtps = models.PositiveSmallIntegerField(
        _("permanent lecturers (NDTPS)"),
        validators=[MaxValueValidator(10000)],
        help_text=_("Permanent lecturers whose field matches the study programme (dosen tetap PS)."),
    )

    class Meta:
        ordering = ["prodi__code", "-year"]
        verbose_name = _("lecturer count")
        verbose_name_plural = _("lecturer counts")
        constraints = [models.UniqueConstraint(fields=["prodi", "year"], name="lecturer_count_prodi_year")]

    def __str__(self) -> str:
        return f"{self.prodi.code} {self.year}: {self.ndtps}"

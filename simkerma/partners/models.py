from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from simkerma.core.models import TidyModel, TimeStampedModel
from simkerma.core.search_index import declare_search_index, indexed_search
from simkerma.core.validators import validate_phone
from simkerma.partners.names import name_key

# The agreement list and the service desk search partners by name alone.
PARTNER_SEARCH = declare_search_index("partners_partner", ["name", "code", "city"], groups=[["name"]])
CONTACT_SEARCH = declare_search_index("partners_partnercontact", ["name"])


class PartnerQuerySet(models.QuerySet["Partner"]):
    def search(self, query: str) -> PartnerQuerySet:
        """Every word begins a word of the name, the code, the city or a contact's name (core.search_index)."""

        def contact_named(word: str) -> models.QuerySet[Any]:
            return PartnerContact.objects.filter(pk__in=CONTACT_SEARCH.matching(word)).values("partner_id")

        return cast(PartnerQuerySet, indexed_search(self, query, PARTNER_SEARCH, extra=contact_named))

    def delete(self) -> tuple[int, dict[str, int]]:
        # Refused before the delete starts, so a caller's transaction stays usable.
        for partner in self.filter(agreements__isnull=False).distinct()[:1]:
            raise ProtectedError(delete_refusal(partner), set(partner.agreements.all()))  # type: ignore[attr-defined]
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class PartnerCategory(TimeStampedModel):
    """A partner category of the ministry's cooperation indicator (IKU, Kepmendikbudristek 210/M/2023).

    An editable list, seeded with the categories in force; `weight` is used only when the IKU
    weights are switched on (settings.SIMKERMA_IKU_WEIGHTS).
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    qualifies_iku = models.BooleanField(
        _("counts for IKU"),
        default=True,
        help_text=_("A cooperation with a partner in this category counts for the IKU."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("partner category (IKU)")
        verbose_name_plural = _("partner categories (IKU)")

    def __str__(self) -> str:
        return self.name


class Partner(TimeStampedModel):
    """A partner organisation (mitra)."""

    class Kind(models.TextChoices):
        INDUSTRI = "industri", _("Industry (DUDI)")
        PEMERINTAH = "pemerintah", _("Government")
        PERGURUAN_TINGGI = "perguruan_tinggi", _("Higher education")
        ASOSIASI = "asosiasi", _("Association")
        LAINNYA = "lainnya", _("Other")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_key = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"), default="ID")
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    ministry_category = models.ForeignKey(
        PartnerCategory,
        verbose_name=_("ministry partner category (IKU)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PartnerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = " ".join(self.name.split())
        # Unicode decomposition can lengthen a name ("ﬃ" is three letters); the key must still fit.
        self.name_key = name_key(self.name)[: Partner._meta.get_field("name_key").max_length]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            fields = set(cast("Iterable[str]", update_fields))
            if "name" in fields:
                kwargs["update_fields"] = fields | {"name_key"}
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        refusal = delete_refusal(self)
        if refusal:  # before the delete starts, so a caller's transaction stays usable
            raise ProtectedError(refusal, set(self.agreements.all()))  # type: ignore[attr-defined]
        return super().delete(*args, **kwargs)


class PartnerContact(TidyModel):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    whatsapp = models.CharField(_("WhatsApp"), max_length=40, blank=True, validators=[validate_phone])

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.position})" if self.position else self.name


class PartnerMerge(models.Model):
    """The record of a duplicate partner merged into another, with everything it held."""

    target = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="merges")
    source_code = models.CharField(max_length=30)
    source_name = models.CharField(max_length=255)
    snapshot = models.JSONField(default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.target}"


def delete_refusal(partner: Partner) -> str:
    """Why this partner may not be deleted; empty when it may (it holds no agreement).

    An agreement is institutional evidence: deleting its partner would drop the link and the
    contacts with it. A duplicate is merged instead, which moves every link first.
    """
    numbers = list(partner.agreements.order_by("number").values_list("number", flat=True)[:6])  # type: ignore[attr-defined]
    if not numbers:
        return ""
    shown = ", ".join(numbers[:5]) + (", …" if len(numbers) > 5 else "")
    return str(
        _("%(partner)s cannot be deleted: agreements name it (%(numbers)s). Merge a duplicate partner instead.")
        % {"partner": partner, "numbers": shown}
    )


@receiver(pre_delete, sender=Partner, dispatch_uid="partners.refuse_delete_with_agreements")
def refuse_delete_with_agreements(sender: type[Partner], instance: Partner, **kwargs: object) -> None:
    """Hold on every path (admin, shell, queryset delete): a partner with agreements is never deleted."""
    refusal = delete_refusal(instance)
    if refusal:
        raise ProtectedError(refusal, set(instance.agreements.all()))  # type: ignore[attr-defined]

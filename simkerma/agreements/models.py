from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from simkerma.core.choices import Field, Level
from simkerma.core.fields import ChoiceListField
from simkerma.core.models import TidyModel, TimeStampedModel
from simkerma.core.search_index import declare_search_index, indexed_search
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import PARTNER_SEARCH, Partner


class SDG(models.TextChoices):
    """The UN Sustainable Development Goals an agreement serves (IKU 7 counts SDG 17)."""

    SDG1 = "sdg1", _("SDG 1: No poverty")
    SDG2 = "sdg2", _("SDG 2: Zero hunger")
    SDG3 = "sdg3", _("SDG 3: Good health and well-being")
    SDG4 = "sdg4", _("SDG 4: Quality education")
    SDG5 = "sdg5", _("SDG 5: Gender equality")
    SDG6 = "sdg6", _("SDG 6: Clean water and sanitation")
    SDG7 = "sdg7", _("SDG 7: Affordable and clean energy")
    SDG8 = "sdg8", _("SDG 8: Decent work and economic growth")
    SDG9 = "sdg9", _("SDG 9: Industry, innovation and infrastructure")
    SDG10 = "sdg10", _("SDG 10: Reduced inequalities")
    SDG11 = "sdg11", _("SDG 11: Sustainable cities and communities")
    SDG12 = "sdg12", _("SDG 12: Responsible consumption and production")
    SDG13 = "sdg13", _("SDG 13: Climate action")
    SDG14 = "sdg14", _("SDG 14: Life below water")
    SDG15 = "sdg15", _("SDG 15: Life on land")
    SDG16 = "sdg16", _("SDG 16: Peace, justice and strong institutions")
    SDG17 = "sdg17", _("SDG 17: Partnerships for the goals")


def today() -> dt.date:
    return timezone.localdate()


class Kind(models.TextChoices):
    MOU = "mou", "MoU"
    MOA = "moa", "MoA/PKS"
    IA = "ia", "IA"


# Which kinds may hang under which: an MoA under an MoU, an IA under an MoU or MoA.
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    Kind.MOU: frozenset(),
    Kind.MOA: frozenset({Kind.MOU}),
    Kind.IA: frozenset({Kind.MOU, Kind.MOA}),
}


class Status(models.TextChoices):
    DRAFT = "draft", _("Not yet in force")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


def scan_upload_to(instance: Agreement, filename: str) -> str:
    # The stored name never comes from the user.
    return f"agreements/scans/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


def renewed_condition(on: dt.date) -> Exists:
    """The condition for an agreement to have a renewal (a successor) that is not ended early by this day.

    A renewed agreement is not "expiring": nobody needs to renew it again.
    """
    return Exists(Agreement.objects.not_terminated(on).filter(renews_id=OuterRef("pk")))


def status_condition(status: str, on: dt.date) -> Q:
    """The condition for an agreement to have this status on this day (the same rule as status_on)."""
    soon = on + dt.timedelta(days=settings.SIMKERMA_EXPIRING_DAYS)
    ending_soon = Q(start_date__lte=on, end_date__gte=on, end_date__lte=soon)
    if status == Status.TERMINATED:
        return Q(terminated_on__lte=on)
    live = Q(terminated_on__isnull=True) | Q(terminated_on__gt=on)
    if status == Status.DRAFT:
        return live & Q(start_date__gt=on)
    if status == Status.EXPIRED:
        return live & Q(end_date__lt=on)
    if status == Status.EXPIRING:
        return live & ending_soon & ~Q(renewed_condition(on))
    if status == Status.ACTIVE:
        return live & (Q(start_date__lte=on, end_date__gt=soon) | (ending_soon & Q(renewed_condition(on))))
    raise ValueError(f"unknown status {status!r}")


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def not_terminated(self, on: dt.date) -> AgreementQuerySet:
        return self.filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=on))

    def valid_on(self, on: dt.date) -> AgreementQuerySet:
        """Valid on a date: start <= d <= end, and not ended early on or before d."""
        return self.not_terminated(on).filter(start_date__lte=on, end_date__gte=on)

    def with_status(self, status: str, on: dt.date | None = None) -> AgreementQuerySet:
        return self.filter(status_condition(status, on or today()))

    def not_renewed(self, on: dt.date) -> AgreementQuerySet:
        return self.filter(~Q(renewed_condition(on)))

    def with_renewal_flag(self) -> AgreementQuerySet:
        """Annotate `has_renewal` for today, so that showing many agreements' status costs no query each."""
        return self.annotate(has_renewal=renewed_condition(today()))

    def status_counts(self, on: dt.date | None = None) -> dict[str, int]:
        """How many agreements have each status on a day, in one query."""
        on = on or today()
        return self.aggregate(**{status: Count("pk", filter=status_condition(status, on)) for status in Status.values})

    def in_year(self, year: int) -> AgreementQuerySet:
        """In force at some point of the year."""
        return self.filter(start_date__lte=dt.date(year, 12, 31), end_date__gte=dt.date(year, 1, 1)).filter(
            Q(terminated_on__isnull=True) | Q(terminated_on__gt=dt.date(year, 1, 1))
        )

    # Relations are filtered with EXISTS subqueries rather than joins, so no DISTINCT is needed and
    # the database can stop at the first matching link.
    def for_unit(self, unit: Unit | int) -> AgreementQuerySet:
        unit_id = unit.pk if isinstance(unit, Unit) else unit
        through_units = Agreement.units.through.objects.filter(agreement_id=OuterRef("pk"), unit_id=unit_id)
        through_prodi = Agreement.prodi.through.objects.filter(agreement_id=OuterRef("pk"), prodi__unit_id=unit_id)
        return self.filter(Exists(through_units) | Exists(through_prodi))

    def for_prodi(self, prodi: Prodi | int) -> AgreementQuerySet:
        prodi_id = prodi.pk if isinstance(prodi, Prodi) else prodi
        return self.filter(
            Exists(Agreement.prodi.through.objects.filter(agreement_id=OuterRef("pk"), prodi_id=prodi_id))
        )

    def for_partner(self, partner: Partner | int) -> AgreementQuerySet:
        """The partner's agreements, from the link table's partner index: an EXISTS per agreement
        would walk every agreement (in the page's order) to find the partner's few."""
        partner_id = partner.pk if isinstance(partner, Partner) else partner
        return self.filter(
            pk__in=Agreement.partners.through.objects.filter(partner_id=partner_id).values("agreement_id")
        )

    def for_partners(self, partners: models.QuerySet[Partner]) -> AgreementQuerySet:
        """Agreements with at least one of these partners.

        A join with DISTINCT measured fastest on PostgreSQL at 100,000 agreements (bench/): an
        EXISTS holding the partner search reruns that search per agreement on SQLite, and an
        uncorrelated IN doubled the time on PostgreSQL.
        """
        return self.filter(partners__in=partners).distinct()

    def with_field(self, field: str) -> AgreementQuerySet:
        return self.filter(fields__contains=field)

    def search(self, query: str) -> AgreementQuerySet:
        """Every word begins a word of the number, the partner's number, the title or a partner's name."""

        def partner_named(word: str) -> models.QuerySet[Any]:
            links = Agreement.partners.through.objects.filter(partner_id__in=PARTNER_SEARCH.matching(word, ["name"]))
            return links.values("agreement_id")

        return cast(AgreementQuerySet, indexed_search(self, query, AGREEMENT_SEARCH, extra=partner_named))


# The activity list searches agreements by number alone.
AGREEMENT_SEARCH = declare_search_index(
    "agreements_agreement", ["number", "partner_number", "title"], groups=[["number"]]
)


# The code Django gives a unique field, so forms and the API treat the number alike on every path.
NUMBER_TAKEN = "unique"


def normalise_number(number: str) -> str:
    """An institution number as stored: no surrounding spaces, single spaces inside."""
    return " ".join((number or "").split())


class Agreement(TimeStampedModel):
    """A cooperation agreement: MoU, MoA/PKS or IA."""

    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    # Unique regardless of case and surrounding spaces: see Meta.constraints.
    number = models.CharField(_("institution number"), max_length=100, db_index=True)
    partner_number = models.CharField(_("partner's number"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=500)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    renews = models.ForeignKey(
        "self",
        verbose_name=_("renewal of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), related_name="agreements")
    units = models.ManyToManyField(Unit, verbose_name=_("units"), blank=True, related_name="agreements")
    prodi = models.ManyToManyField(Prodi, verbose_name=_("study programmes"), blank=True, related_name="agreements")
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    fields = ChoiceListField(_("fields"), item_choices=Field.choices)
    scope = models.TextField(_("scope"), blank=True, help_text=_("One item per line."))
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"), db_index=True)
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("termination reason"), blank=True)
    signed_scan = models.FileField(_("signed scan (PDF)"), upload_to=scan_upload_to, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    sdg_goals = ChoiceListField(
        _("SDG goals"),
        item_choices=SDG.choices,
        blank=True,
        help_text=_("The Sustainable Development Goals it serves."),
    )
    ministry_reported_on = models.DateField(
        _("reported to the ministry on"),
        null=True,
        blank=True,
        help_text=_("The day it was entered in the ministry's cooperation reporting system."),
    )
    is_public = models.BooleanField(
        _("shown on the public page"),
        default=False,
        help_text=_("The agreement and its partners are listed on the public page; contacts never are."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[partners, units, prodi])

    class Meta:
        ordering = ["-start_date", "number"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="agreement_end_after_start"),
            models.UniqueConstraint(
                Lower(Trim("number")),
                name="agreement_number_unique_ci",
                violation_error_code=NUMBER_TAKEN,
                violation_error_message=_("This number is already used by another agreement."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "start_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean_fields(self, exclude: Any = None) -> None:
        self.number = normalise_number(self.number)
        super().clean_fields(exclude)

    def validate_constraints(self, exclude: Any = None) -> None:
        # The number's constraint is on an expression, which Django reports for the whole form;
        # the person typing the number should see it next to the number.
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            taken = [item for item in general if getattr(item, "code", None) == NUMBER_TAKEN]
            rest = [item for item in general if getattr(item, "code", None) != NUMBER_TAKEN]
            if taken:
                errors.setdefault("number", []).extend(taken)
            if rest:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError(errors) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.number = normalise_number(self.number)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """The rules between fields, on every path that validates: forms, services, the admin, the shell."""
        errors: dict[str, ValidationError] = {}
        for name, problem in (
            ("end_date", self._dates_problem()),
            ("parent", self._parent_problem()),
            ("kind", self._children_problem()),
            ("terminated_on", self._termination_problem()),
        ):
            if problem is not None:
                errors[name] = problem
        if errors:
            raise ValidationError(errors)

    def _dates_problem(self) -> ValidationError | None:
        start, end = self.start_date, self.end_date
        if start and end and end < start:
            return ValidationError(
                _("The end date (%(end)s) is before the start date (%(start)s)."),
                code="end_before_start",
                params={"end": date_format(end), "start": date_format(start)},
            )
        return None

    def _parent_problem(self) -> ValidationError | None:
        """Which kind may hang under which (ALLOWED_PARENT_KINDS), and never under itself or its own child."""
        parent = self.parent if self.parent_id is not None else None
        if parent is None or self.kind not in ALLOWED_PARENT_KINDS:
            return None
        if self.pk is not None and self.pk in (parent.pk, parent.parent_id):
            return ValidationError(_("An agreement cannot hang under itself or under its own child."), code="cycle")
        allowed = ALLOWED_PARENT_KINDS[self.kind]
        if parent.kind in allowed:
            return None
        if not allowed:
            return ValidationError(_("An MoU is the top of the tree and has no parent agreement."), code="parent_kind")
        return ValidationError(
            _("A %(kind)s cannot hang under a %(parent)s; its parent must be: %(allowed)s."),
            code="parent_kind",
            params={
                "kind": Kind(self.kind).label,
                "parent": parent.get_kind_display(),
                "allowed": ", ".join(str(Kind(k).label) for k in sorted(allowed)),
            },
        )

    def _children_problem(self) -> ValidationError | None:
        """A change of kind must leave every agreement under this one allowed where it hangs."""
        if self.pk is None or self.kind not in ALLOWED_PARENT_KINDS:
            return None
        child_kinds = set(Agreement.objects.filter(parent_id=self.pk).values_list("kind", flat=True))
        stranded = sorted(k for k in child_kinds if self.kind not in ALLOWED_PARENT_KINDS.get(k, ()))
        if not stranded:
            return None
        return ValidationError(
            _("Agreements of kind %(children)s hang under this one; a %(kind)s cannot hold them."),
            code="stranded_children",
            params={"children": ", ".join(str(Kind(k).label) for k in stranded), "kind": Kind(self.kind).label},
        )

    def _termination_problem(self) -> ValidationError | None:
        return termination_problem(self, self.terminated_on)

    def parent_period_warning(self) -> str | None:
        """A warning, never a refusal: the agreement runs outside its parent's period."""
        parent = self.parent if self.parent_id is not None else None
        if parent is None or not self.start_date or not self.end_date or not self.outside_parent_period():
            return None
        return str(
            _("This agreement (%(start)s – %(end)s) runs outside its parent %(number)s (%(pstart)s – %(pend)s).")
            % {
                "start": date_format(self.start_date),
                "end": date_format(self.end_date),
                "number": parent.number,
                "pstart": date_format(parent.start_date),
                "pend": date_format(parent.end_date),
            }
        )

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.pk])

    def status_on(self, on: dt.date) -> str:
        if self.terminated_on and self.terminated_on <= on:
            return Status.TERMINATED
        if on < self.start_date:
            return Status.DRAFT
        if on > self.end_date:
            return Status.EXPIRED
        if (self.end_date - on).days <= settings.SIMKERMA_EXPIRING_DAYS and not self.is_renewed_on(on):
            return Status.EXPIRING
        return Status.ACTIVE

    def is_renewed_on(self, on: dt.date) -> bool:
        """Whether a renewal that is not ended early by this day succeeds this agreement."""
        flag = self.__dict__.get("has_renewal")  # set by with_renewal_flag() for today
        if flag is not None and on == today():
            return bool(flag)
        return Agreement.objects.not_terminated(on).filter(renews_id=self.pk).exists()

    @property
    def status(self) -> str:
        return self.status_on(today())

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def days_left(self) -> int:
        return (self.end_date - today()).days

    def is_valid_on(self, on: dt.date) -> bool:
        not_ended = self.terminated_on is None or self.terminated_on > on
        return not_ended and self.start_date <= on <= self.end_date

    @property
    def scope_items(self) -> list[str]:
        return [line.strip() for line in self.scope.splitlines() if line.strip()]

    @property
    def field_labels(self) -> list[str]:
        return Agreement._meta.get_field("fields").labels(self.fields)  # type: ignore[attr-defined]

    @property
    def sdg_labels(self) -> list[str]:
        return Agreement._meta.get_field("sdg_goals").labels(self.sdg_goals)  # type: ignore[attr-defined]

    @property
    def scan_filename(self) -> str:
        return PurePath(self.signed_scan.name).name if self.signed_scan else ""

    def names_unit(self, unit_id: int | None) -> bool:
        """Whether the agreement names the unit, directly or through one of its prodi."""
        if unit_id is None:
            return False
        return any(u.pk == unit_id for u in self.units.all()) or any(p.unit_id == unit_id for p in self.prodi.all())

    def outside_parent_period(self) -> bool:
        parent = self.parent
        return bool(parent and (self.start_date < parent.start_date or self.end_date > parent.end_date))


def termination_problem(agreement: Agreement, day: dt.date | None) -> ValidationError | None:
    """Why `day` cannot end this agreement early: it must lie within the agreement's period."""
    if day is None or not agreement.start_date or not agreement.end_date:
        return None
    if day < agreement.start_date:
        return ValidationError(
            _("An agreement cannot end before it starts (%(start)s)."),
            code="terminated_before_start",
            params={"start": date_format(agreement.start_date)},
        )
    if day > agreement.end_date:
        return ValidationError(
            _("It already ends on %(end)s; early termination must be on or before that date."),
            code="terminated_after_end",
            params={"end": date_format(agreement.end_date)},
        )
    return None


class Signatory(TidyModel):
    class Side(models.TextChoices):
        INSTITUTION = "institution", _("Institution")
        PARTNER = "partner", _("Partner")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="signatories"
    )
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150)
    organisation = models.CharField(
        _("on behalf of"), max_length=255, blank=True, help_text=_("For a partner's signatory: which partner.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["side", "id"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return f"{self.name}, {self.position}"

"""What the data workbook's export reads: one queryset per sheet, for everything or for one year.

Every queryset is ordered by the sheet's natural key, so two exports of the same data hold the same
rows in the same order. A year's workbook imports on its own: it carries every record its rows
name (see `export_data`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from simkerma.accounts.models import READ_ONLY_ROLES
from simkerma.activities.models import Activity
from simkerma.agreements.models import Agreement
from simkerma.core.dates import MAX_DATE, MIN_DATE, WIB
from simkerma.evaluations.models import Evaluation
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import ServiceRequest


class ShellOperator:
    """The person at the server's shell, who runs `manage.py export_workbook` without naming an account.

    They hold the database's own access already; no web request or API token can produce this object.
    """

    is_authenticated = True
    has_role = True
    is_team = True

    def __repr__(self) -> str:
        return "ShellOperator()"


SHELL = ShellOperator()


def can_export(user: Any) -> bool:
    """The cooperation team, pimpinan and auditors may export the whole registry; unit roles may not."""
    if user is SHELL:
        return True
    return bool(user.is_authenticated and user.has_role and (user.is_team or user.role in READ_ONLY_ROLES))


@dataclass(frozen=True, kw_only=True)
class ExportFilters:
    """Everything (year None) or one year's records."""

    year: int | None = None

    def __post_init__(self) -> None:
        if self.year is not None and not MIN_DATE.year <= self.year <= MAX_DATE.year:
            raise ValidationError(
                {
                    "year": _("Enter a year between %(first)s and %(last)s.")
                    % {"first": MIN_DATE.year, "last": MAX_DATE.year}
                }
            )


@dataclass(frozen=True)
class ExportData:
    """One queryset per sheet of the workbook (format.SHEETS), each in its key's order."""

    units: QuerySet[Unit]
    prodi: QuerySet[Prodi]
    partners: QuerySet[Partner]
    agreements: QuerySet[Agreement]
    activities: QuerySet[Activity]
    requests: QuerySet[ServiceRequest]
    evaluations: QuerySet[Evaluation]


def export_data(*, user: Any, filters: ExportFilters) -> ExportData:
    """The records of the workbook.

    For one year: the Unit and Prodi sheets whole; the agreements in force in the year
    (`Agreement.objects.in_year`), those of the year's activities and evaluations, and the parents
    of all of these; the activities starting in the year; the requests received in the year (WIB);
    the evaluations of the year; and the partners that these agreements and requests name, so the
    file imports on its own. Discarded requests (spam, invalid) are never exported: they count
    nowhere, and a workbook's requests all count.
    """
    if not can_export(user):
        raise PermissionDenied
    year = filters.year
    units = Unit.objects.order_by("code")
    prodi = Prodi.objects.order_by("code")
    agreements = Agreement.objects.all()
    activities = Activity.objects.all()
    requests = ServiceRequest.objects.counted()
    evaluations = Evaluation.objects.all()
    partners = Partner.objects.all()
    if year is not None:
        activities = activities.in_year(year)
        evaluations = evaluations.for_year(year)
        requests = requests.filter(
            received_at__gte=dt.datetime(year, 1, 1, tzinfo=WIB),
            received_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=WIB),
        )
        named = (
            Q(pk__in=Agreement.objects.in_year(year).values("pk"))
            | Q(pk__in=activities.values("agreement_id"))
            | Q(pk__in=evaluations.values("agreement_id"))
        )
        # An MoU holds MoAs and an MoA holds IAs (ALLOWED_PARENT_KINDS), so a tree is at most three deep.
        with_parents = (
            named
            | Q(pk__in=Agreement.objects.filter(named).values("parent_id"))
            | Q(pk__in=Agreement.objects.filter(named).values("parent__parent_id"))
        )
        agreements = agreements.filter(with_parents)
        partners = partners.filter(
            Q(pk__in=Agreement.partners.through.objects.filter(agreement__in=agreements).values("partner_id"))
            | Q(pk__in=requests.values("partner_id"))
        )
    # Parents before their children, as the sheet's help asks.
    depth = Case(
        When(parent__isnull=True, then=Value(0)),
        When(parent__parent__isnull=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return ExportData(
        units=units,
        prodi=prodi,
        partners=partners.order_by("code"),
        agreements=agreements.annotate(tree_depth=depth).order_by("tree_depth", "number"),
        activities=activities.order_by("code"),
        requests=requests.order_by("code"),
        evaluations=evaluations.order_by("agreement__number", "year"),
    )


def related_codes(through: type[Model], owner: str, code: str, owner_ids: Iterable[int]) -> dict[int, list[str]]:
    """The codes each owner names through a many-to-many table, sorted, in one query.

    `related_codes(Agreement.partners.through, "agreement_id", "partner__code", ids)`.
    """
    codes: dict[int, list[str]] = defaultdict(list)
    rows = through.objects.filter(**{f"{owner}__in": list(owner_ids)}).values_list(owner, code)  # type: ignore[attr-defined]
    for owner_id, value in rows:
        codes[owner_id].append(value)
    for values in codes.values():
        values.sort()
    return codes

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from simkerma.accounts.permissions import can_read
from simkerma.agreements.models import Agreement, AgreementQuerySet, Status, today
from simkerma.core.versions import cached
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner

# The list's sort keys and the field each orders by; "-key" sorts descending.
SORTS = {
    "number": "number",
    "title": "title",
    "start": "start_date",
    "end": "end_date",
    "kind": "kind",
}
DEFAULT_SORT = "-start"


@dataclass(frozen=True, kw_only=True)
class AgreementFilters:
    """What the agreement list is narrowed to; empty values narrow nothing."""

    q: str = ""
    status: str = ""
    kind: str = ""
    level: str = ""
    field: str = ""
    unit: Unit | None = None
    prodi: Prodi | None = None
    partner: str = ""
    year: int | None = None
    sort: str = DEFAULT_SORT


def agreement_list(*, user: Any, filters: AgreementFilters) -> AgreementQuerySet:
    """The agreements of the list (page, export, API): filtered, sorted, with what each row shows."""
    if not can_read(user):
        raise PermissionDenied
    qs = _filtered(Agreement.objects.all(), filters)
    sort = filters.sort if filters.sort.lstrip("-") in SORTS else DEFAULT_SORT
    ordering = SORTS[sort.lstrip("-")]
    partners = Prefetch("partners", queryset=Partner.objects.only("pk", "name", "code"))
    return (
        qs.order_by(f"-{ordering}" if sort.startswith("-") else ordering, "pk")
        .with_renewal_flag()
        .select_related("parent")
        .prefetch_related(partners)
    )


def _filtered(qs: AgreementQuerySet, filters: AgreementFilters) -> AgreementQuerySet:
    if filters.q:
        qs = qs.search(filters.q)
    if filters.status:
        qs = qs.with_status(filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.field:
        qs = qs.with_field(filters.field)
    if filters.unit is not None:
        qs = qs.for_unit(filters.unit)
    if filters.prodi is not None:
        qs = qs.for_prodi(filters.prodi)
    if filters.partner:
        qs = qs.for_partners(Partner.objects.search(filters.partner))
    if filters.year:
        qs = qs.in_year(filters.year)
    return qs


@dataclass
class TreeNode:
    agreement: Agreement
    children: list[TreeNode] = field(default_factory=list)


def agreement_tree(agreement: Agreement) -> TreeNode:
    """The whole MoU → MoA → IA tree that the agreement belongs to, from its root.

    The tree is at most three levels deep, so it takes a fixed number of queries.
    """
    root = agreement
    seen = {root.pk}
    while root.parent_id is not None:
        root = Agreement.objects.only("pk", "parent_id").get(pk=root.parent_id)
        if root.pk in seen:  # a broken cycle never hangs the page
            break
        seen.add(root.pk)
    partners = Prefetch("partners", queryset=Partner.objects.only("pk", "name"))
    ordered = Agreement.objects.with_renewal_flag().order_by("start_date", "number")
    grandchildren = Prefetch("children", queryset=ordered.prefetch_related(partners))
    children = Prefetch("children", queryset=ordered.prefetch_related(partners, grandchildren))
    # Through .all(): the type checker's copy of prefetch_related on the custom manager rejects Prefetch objects.
    root = Agreement.objects.with_renewal_flag().prefetch_related(partners, children).get(pk=root.pk)
    return TreeNode(
        root,
        [TreeNode(child, [TreeNode(grand) for grand in child.children.all()]) for child in root.children.all()],
    )


# The data versions of the home page's counts, bumped by every write to agreements (with their
# links) and partners (watched in AgreementsConfig.ready).
AGREEMENTS = "agreements"
PARTNERS = "partners"


def home_counts(on: dt.date, *, cache: bool = True) -> dict[str, Any]:
    """The agreements per status on a day and the partner count. Both read every row, so they are
    cached under the agreements' and partners' versions and keyed by the day (a status changes with
    the date) and the expiring window."""

    def compute() -> dict[str, Any]:
        return {"statuses": Agreement.objects.status_counts(on), "partners": Partner.objects.count()}

    if not cache:
        return compute()
    key = f"agreements:home-counts:{on.isoformat()}:{settings.SIMKERMA_EXPIRING_DAYS}"
    return cached(key, [AGREEMENTS, PARTNERS], compute)


def home_panel(user: Any) -> dict[str, Any]:
    """For the home page: agreements per status, the partner count, what expires soonest and, for a
    unit-scoped user, the agreements in force for their unit. A fixed number of queries."""
    on = today()
    home = home_counts(on)
    counts = home["statuses"]
    expiring = (
        Agreement.objects.with_status(Status.EXPIRING, on).prefetch_related("partners").order_by("end_date", "pk")[:10]
    )
    values: dict[str, Any] = {
        "statuses": [(Status(s), counts[s]) for s in Status.values],
        "expiring": expiring,
        "partner_count": home["partners"],
        "expiring_days": settings.SIMKERMA_EXPIRING_DAYS,
        "mine": None,
    }
    if user.is_unit_scoped:
        values["mine"] = (
            # User.clean() gives every unit-scoped account a unit.
            Agreement.objects.for_unit(cast(int, user.unit_id))
            .valid_on(on)
            .prefetch_related("partners")
            .order_by("end_date", "pk")[:10]
        )
    return values


def partner_agreements(partner: Partner) -> dict[str, Any]:
    """For a partner's page: its agreements, the latest first."""
    agreements = (
        Agreement.objects.for_partner(partner)
        .with_renewal_flag()
        .select_related("parent")
        .order_by("-start_date", "number")
    )
    return {"agreements": agreements}

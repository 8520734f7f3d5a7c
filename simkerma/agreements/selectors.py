from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db.models import Prefetch

from simkerma.agreements.models import Agreement, Status, today
from simkerma.partners.models import Partner


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


def home_panel(user: Any) -> dict[str, Any]:
    """For the home page: agreements per status, the partner count, what expires soonest and, for a
    unit-scoped user, the agreements in force for their unit. A fixed number of queries."""
    on = today()
    counts = Agreement.objects.status_counts(on)
    expiring = (
        Agreement.objects.with_status(Status.EXPIRING, on).prefetch_related("partners").order_by("end_date", "pk")[:10]
    )
    values: dict[str, Any] = {
        "statuses": [(Status(s), counts[s]) for s in Status.values],
        "expiring": expiring,
        "partner_count": Partner.objects.count(),
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

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from simkerma.accounts.permissions import can_read
from simkerma.agreements.models import Agreement, Status, today
from simkerma.partners.models import Partner


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not can_read(request.user):
        return render(request, "core/no_role.html", status=403)
    on = today()
    counts = {status: Agreement.objects.with_status(status, on).count() for status in Status.values}
    expiring = (
        Agreement.objects.with_status(Status.EXPIRING, on).prefetch_related("partners").order_by("end_date", "pk")[:10]
    )
    context = {
        "statuses": [(Status(s), counts[s]) for s in Status.values],
        "expiring": expiring,
        "partner_count": Partner.objects.count(),
        "expiring_days": settings.SIMKERMA_EXPIRING_DAYS,
        "mine": None,
    }
    if request.user.is_unit_scoped:
        context["mine"] = (
            Agreement.objects.for_unit(request.user.unit_id)
            .valid_on(on)
            .prefetch_related("partners")
            .order_by("end_date", "pk")[:10]
        )
    return render(request, "core/home.html", context)

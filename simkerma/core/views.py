from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from simkerma.accounts.permissions import can_read
from simkerma.agreements.models import Agreement, Status, today
from simkerma.core.http import AuthedHttpRequest
from simkerma.core.models import Notice
from simkerma.partners.models import Partner
from simkerma.servicedesk.selectors import home_panel


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    if not can_read(request.user):
        return render(request, "core/no_role.html", status=403)
    on = today()
    counts = Agreement.objects.status_counts(on)
    expiring = (
        Agreement.objects.with_status(Status.EXPIRING, on).prefetch_related("partners").order_by("end_date", "pk")[:10]
    )
    context = {
        "statuses": [(Status(s), counts[s]) for s in Status.values],
        "expiring": expiring,
        "partner_count": Partner.objects.count(),
        "expiring_days": settings.SIMKERMA_EXPIRING_DAYS,
        "mine": None,
        "servicedesk_panel": home_panel(request.user),
    }
    if request.user.is_unit_scoped:
        context["mine"] = (
            # User.clean() gives every unit-scoped account a unit.
            Agreement.objects.for_unit(cast(int, request.user.unit_id))
            .valid_on(on)
            .prefetch_related("partners")
            .order_by("end_date", "pk")[:10]
        )
    return render(request, "core/home.html", context)


@login_required
def notice_list(request: AuthedHttpRequest) -> HttpResponse:
    """The user's in-app notices (reminders, breach alerts), newest first; opening the page reads them."""
    if not can_read(request.user):
        return render(request, "core/no_role.html", status=403)
    notices = Notice.objects.filter(recipient=request.user, due_at__lte=timezone.now()).order_by("-due_at", "-pk")
    page = Paginator(notices, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    unread = [notice.pk for notice in page if notice.read_at is None]
    response = render(request, "core/notice_list.html", {"page_obj": page, "unread": set(unread)})
    if unread:
        Notice.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response

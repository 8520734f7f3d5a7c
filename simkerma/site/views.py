from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from simkerma.accounts.models import Role
from simkerma.accounts.permissions import can_read
from simkerma.core.http import AuthedHttpRequest
from simkerma.core.models import Notice
from simkerma.core.panels import home_panels

# Besides the team, the ones who read the KPIs first: leadership and the auditors.
DASHBOARD_ROLES = frozenset({Role.PIMPINAN, Role.AUDITOR})


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    """The registered panels (core.panels), in order; a panel with nothing for this user is left out."""
    if not can_read(request.user):
        return render(request, "core/no_role.html", status=403)
    panels = []
    for panel in home_panels():
        values = panel.func(request.user)
        if values is not None:
            panels.append((panel, values))
    context = {"panels": panels, "dashboard_first": request.user.is_team or request.user.role in DASHBOARD_ROLES}
    return render(request, "site/home.html", context)


@login_required
def notice_list(request: AuthedHttpRequest) -> HttpResponse:
    """The user's in-app notices (reminders, breach alerts), newest first; opening the page reads them."""
    if not can_read(request.user):
        return render(request, "core/no_role.html", status=403)
    notices = Notice.objects.filter(recipient=request.user, due_at__lte=timezone.now()).order_by("-due_at", "-pk")
    page = Paginator(notices, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    unread = [notice.pk for notice in page if notice.read_at is None]
    response = render(request, "site/notice_list.html", {"page_obj": page, "unread": set(unread)})
    if unread:
        Notice.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response

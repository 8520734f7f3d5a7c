"""The service-time report (KPI B.1.2.9.13) on screen; its files are the official reports' (service_time)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from simkerma.accounts.permissions import can_read, require
from simkerma.core.http import AuthedHttpRequest
from simkerma.servicedesk.forms import ReportForm
from simkerma.servicedesk.reports import ServiceTimeReport, service_time_report


def _report(request: HttpRequest) -> tuple[ReportForm, ServiceTimeReport | None]:
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    form = ReportForm(data)
    if not form.is_valid():
        return form, None
    return form, service_time_report(form.cleaned_data["year"], form.cleaned_data.get("month"))


@require(can_read)
def report(request: AuthedHttpRequest) -> HttpResponse:
    form, result = _report(request)
    return render(request, "servicedesk/report.html", {"form": form, "report": result}, status=200 if result else 400)


@require(can_read)
def report_download(request: AuthedHttpRequest) -> HttpResponse:
    """The workbook moved to the official reports (service_time): the old address leads there."""
    query = request.GET.copy()
    query.setdefault("year", str(timezone.localdate().year))
    return redirect(f"{reverse('reports:download', args=['service_time', 'xlsx'])}?{query.urlencode()}")

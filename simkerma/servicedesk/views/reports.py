"""The service-time report (KPI B.1.2.9.13), on screen and as XLSX."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from simkerma.accounts.permissions import can_read, require
from simkerma.core.downloads import private_download
from simkerma.core.http import AuthedHttpRequest
from simkerma.servicedesk.forms import ReportForm
from simkerma.servicedesk.reports import ServiceTimeReport, report_xlsx, service_time_report

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
@private_download
def report_download(request: AuthedHttpRequest) -> HttpResponse:
    form, result = _report(request)
    if result is None:
        return render(request, "servicedesk/report.html", {"form": form, "report": None}, status=400)
    period = f"{result.year}" if result.month is None else f"{result.year}-{result.month:02d}"
    response = HttpResponse(report_xlsx(result), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="waktu-layanan-{period}.xlsx"'
    return response

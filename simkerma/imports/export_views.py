"""The export page: the data workbook for everything or one year, and the blank template to fill in."""

from __future__ import annotations

import tempfile
from typing import Any

from django import forms
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simkerma.accounts.permissions import can_read, require
from simkerma.core.dates import MAX_DATE, MIN_DATE
from simkerma.core.downloads import private_download
from simkerma.core.http import AuthedHttpRequest
from simkerma.imports.exporter import export_workbook
from simkerma.imports.selectors import can_export
from simkerma.imports.template import template_workbook

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The workbook is written to memory up to this size, then to a temporary file, and streamed from there.
SPOOL_BYTES = 16 * 1024 * 1024


class ExportForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=MIN_DATE.year,
        max_value=MAX_DATE.year,
        help_text=_("Leave empty to export everything."),
    )


def _xlsx(write: Any, filename: str) -> FileResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the response closes it)
    try:
        write(spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_MIME)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require(can_export)
def export_page(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "imports/export.html", {"form": ExportForm()})


@require(can_export)
@private_download
def export_download(request: AuthedHttpRequest) -> HttpResponseBase:
    form = ExportForm(request.GET or request.POST)
    if not form.is_valid():
        return render(request, "imports/export.html", {"form": form}, status=400)
    year: int | None = form.cleaned_data["year"]
    filename = f"simkerma-data-{year or 'semua'}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return _xlsx(lambda output: export_workbook(output=output, user=request.user, year=year), filename)


@require(can_read)
@private_download
def template_download(request: AuthedHttpRequest) -> HttpResponseBase:
    return _xlsx(template_workbook, "simkerma-templat-impor.xlsx")

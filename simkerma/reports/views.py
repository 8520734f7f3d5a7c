"""The "Laporan resmi" page: every official report, its parameters, a preview on screen and the
download in each format.

A preview builds the report and shows the first rows of each table (the file holds all: the rows
are read once, so they are not counted for the page). A download writes the file to a spooled
temporary file, in memory while small and on disk when large, and streams it from there.
"""

from __future__ import annotations

import tempfile
from collections import OrderedDict
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render

from simkerma.accounts.permissions import require
from simkerma.core.downloads import private_download
from simkerma.core.http import AuthedHttpRequest
from simkerma.org.models import Instrument
from simkerma.reports.forms import ReportParamsForm
from simkerma.reports.framework import Exporter, Report, exporters, get_exporter
from simkerma.reports.permissions import can_see_reports, may_run
from simkerma.reports.renderers import get_format
from simkerma.reports.renderers import render as render_report
from simkerma.reports.renderers.layout import columns_of, footer_rows, header_rows, summary_text, text_row

PREVIEW_ROWS = 50
SPOOL_BYTES = 8 * 1024 * 1024  # a file larger than this goes to disk while it is sent


def _visible(user: Any) -> list[Exporter]:
    found = [entry.item() for entry in exporters.entries()]
    return [exporter for exporter in found if may_run(user, exporter)]


def _lkps_for(exporters_: list[Exporter], instrument: str) -> Exporter | None:
    for exporter in exporters_:
        if getattr(exporter, "instrument", None) == instrument:
            return exporter
    return None


@require(can_see_reports)
def index(request: AuthedHttpRequest) -> HttpResponse:
    visible = _visible(request.user)
    groups: OrderedDict[str, list[Exporter]] = OrderedDict()
    for exporter in visible:
        groups.setdefault(str(exporter.group), []).append(exporter)
    prodi = request.user.prodi if request.user.prodi_id else None
    mine = _lkps_for(visible, prodi.instrument) if prodi is not None else None
    return render(request, "reports/index.html", {"groups": groups, "my_prodi": prodi, "my_lkps": mine})


def _exporter(request: AuthedHttpRequest, key: str) -> Exporter:
    exporter = get_exporter(key)
    if exporter is None:
        raise Http404
    if not may_run(request.user, exporter):
        raise PermissionDenied
    return exporter


def _form(request: AuthedHttpRequest, exporter: Exporter) -> ReportParamsForm:
    form = ReportParamsForm(exporter, request.user, request.GET)
    if not form.is_valid() and form.refused:
        raise PermissionDenied
    return form


def _preview_table(table: Any) -> dict[str, Any]:
    columns = columns_of(table)
    first = table.iter_rows()
    try:
        rows = [text_row(row, columns) for row in islice(first, PREVIEW_ROWS)]
    finally:  # the rest is not read: its cursor is closed now (Table.close)
        first.close()
        table.close()
    return {
        "key": table.key,
        "title": table.title,
        "heads": header_rows(table),
        "rows": rows,
        "full": len(rows) == PREVIEW_ROWS,
        "footer": footer_rows(table),
        "notes": [str(note) for note in table.notes],
        "width": len(columns),
    }


def _instrument_note(exporter: Exporter, form: ReportParamsForm) -> dict[str, Any] | None:
    """For a prodi set to another instrument than this LKPS's: which one, and its report."""
    instrument = getattr(exporter, "instrument", None)
    prodi = form.cleaned_data.get("prodi") if form.is_valid() else None
    if instrument is None or prodi is None or prodi.instrument == instrument:
        return None
    other = _lkps_for([entry.item() for entry in exporters.entries()], prodi.instrument)
    return {"prodi": prodi, "instrument": Instrument(prodi.instrument).label, "exporter": other}


def _context(exporter: Exporter, form: ReportParamsForm, report: Report | None) -> dict[str, Any]:
    formats = [fmt for key in exporter.formats if (fmt := get_format(key)) is not None]
    return {
        "exporter": exporter,
        "form": form,
        "report": report,
        "formats": formats,
        "query": form.query() if report is not None else "",
    }


@require(can_see_reports)
def detail(request: AuthedHttpRequest, key: str) -> HttpResponse:
    exporter = _exporter(request, key)
    if not request.GET:
        form = ReportParamsForm(exporter, request.user)
        return render(request, "reports/detail.html", _context(exporter, form, None))
    form = _form(request, exporter)
    if not form.is_valid():
        return render(request, "reports/detail.html", _context(exporter, form, None), status=400)
    report = exporter.build(form.params())
    context = _context(exporter, form, report)
    context["summary"] = [(str(label), summary_text(value)) for label, value in report.summary]
    context["tables"] = [_preview_table(table) for table in report.tables]
    context["instrument_note"] = _instrument_note(exporter, form)
    context["preview_rows"] = PREVIEW_ROWS
    return render(request, "reports/detail.html", context)


@require(can_see_reports)
@private_download
def download(request: AuthedHttpRequest, key: str, fmt: str) -> HttpResponseBase:
    exporter = _exporter(request, key)
    found = get_format(fmt)
    if found is None or fmt not in exporter.formats:
        raise Http404
    form = _form(request, exporter)
    if not form.is_valid():
        return render(request, "reports/detail.html", _context(exporter, form, None), status=400)
    params = form.params()
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the response
    try:
        render_report(exporter.build(params), fmt, spool)  # type: ignore[arg-type]
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = FileResponse(
        spool, as_attachment=True, filename=exporter.filename(params, fmt), content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

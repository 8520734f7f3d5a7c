"""The LED pages: the issued LEDs of the units the reader may see, issuing one, and its files;
and marking the year's agreements as reported to the ministry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from simkerma.accounts.permissions import can_read, require
from simkerma.agreements.services import agreement_mark_reported, can_mark_reported
from simkerma.core.downloads import private_download
from simkerma.core.http import AuthedHttpRequest
from simkerma.org.models import Unit
from simkerma.reports.ministry import unreported, year_agreements
from simkerma.reports.models import IssuedReport
from simkerma.reports.services import MAX_YEAR, MIN_YEAR, can_issue_reports, led_issue

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# The most agreements one "mark as reported" marks: the rest wait for the next press.
MARK_LIMIT = 500


def default_year() -> int:
    """The LED covers the year just ended."""
    return timezone.localdate().year - 1


class YearField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=gettext_lazy("Year"),
            min_value=MIN_YEAR,
            max_value=MAX_YEAR,
            error_messages={
                "min_value": gettext_lazy("Enter a year between 1900 and 2200."),
                "max_value": gettext_lazy("Enter a year between 1900 and 2200."),
                "invalid": gettext_lazy("Enter a year between 1900 and 2200."),
            },
            **kwargs,
        )


class LedIssueForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.order_by("code"), to_field_name="code"
    )
    year = YearField()


class MarkReportedForm(forms.Form):
    year = YearField()
    on = forms.DateField(label=gettext_lazy("Reported on"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_on(self) -> dt.date:
        on: dt.date = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(_("The day it was reported cannot be in the future."))
        return on


def _led_page(request: AuthedHttpRequest, form: LedIssueForm, *, status: int = 200) -> HttpResponse:
    issued = (
        IssuedReport.objects.visible_to(request.user)
        .filter(kind="led")
        .select_related("unit", "created_by")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(issued, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "form": form, "can_issue": can_issue_reports(request.user)}
    return render(request, "reports/led_list.html", context, status=status)


@require(can_read)
def led_list(request: AuthedHttpRequest) -> HttpResponse:
    return _led_page(request, LedIssueForm(initial={"year": default_year()}))


@require(can_issue_reports)
@require_POST
def led_issue_view(request: AuthedHttpRequest) -> HttpResponse:
    form = LedIssueForm(request.POST)
    if not form.is_valid():
        return _led_page(request, form, status=400)
    try:
        issued = led_issue(unit=form.cleaned_data["unit"], year=form.cleaned_data["year"], user=request.user)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _led_page(request, form, status=400)
    messages.success(request, _("LED issued and archived: %(title)s") % {"title": issued.title})
    return redirect("reports:led_list")


@require(can_read)
@private_download
def led_download(request: AuthedHttpRequest, pk: int, fmt: str) -> FileResponse:
    """One file of an issued LED, for a reader who may see its unit; another unit's is not found."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    issued = get_object_or_404(IssuedReport.objects.visible_to(request.user), pk=pk)
    stored = getattr(issued, fmt)
    if not stored:
        raise Http404
    name = f"{issued.kind}-{issued.unit.code if issued.unit else 'institusi'}-{issued.year}.{fmt}"
    safe = "".join(ch if ch.isalnum() or ch in ".-" else "-" for ch in name)
    response = FileResponse(stored.open("rb"), content_type=CONTENT_TYPES[fmt], as_attachment=True, filename=safe)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require(can_read)
@require_http_methods(["GET", "POST"])
def ministry_mark(request: AuthedHttpRequest) -> HttpResponse:
    """The year's agreements not yet marked as reported to the ministry; the team marks them in one press."""
    if request.method == "POST" and not can_mark_reported(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = MarkReportedForm(data, initial={"year": default_year() + 1, "on": timezone.localdate()})
    year = _shown_year(request, form)
    if request.method == "POST" and form.is_valid():
        waiting = unreported(year_agreements(form.cleaned_data["year"]))
        for agreement in waiting[:MARK_LIMIT]:
            agreement_mark_reported(agreement=agreement, on=form.cleaned_data["on"], user=request.user)
        messages.success(
            request,
            _("%(count)d agreements marked as reported to the ministry.") % {"count": min(len(waiting), MARK_LIMIT)},
        )
        if len(waiting) > MARK_LIMIT:
            messages.warning(
                request, _("%(count)d more are waiting: press again.") % {"count": len(waiting) - MARK_LIMIT}
            )
        return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    waiting = unreported(year_agreements(year)) if year is not None else []
    context = {
        "form": form,
        "year": year,
        "waiting": waiting[:MARK_LIMIT],
        "more": max(len(waiting) - MARK_LIMIT, 0),
        "can_mark": can_mark_reported(request.user),
    }
    return render(request, "reports/led_ministry_mark.html", context, status=400 if form.errors else 200)


def _shown_year(request: AuthedHttpRequest, form: MarkReportedForm) -> int | None:
    if request.method == "POST":
        return form.cleaned_data["year"] if form.is_valid() else None
    raw = request.GET.get("year", "")
    if raw.isascii() and raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:  # "²".isdigit() too
        form.initial["year"] = int(raw)
        return int(raw)
    return int(form.initial["year"])

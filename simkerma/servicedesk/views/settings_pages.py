"""The working calendar settings and the draft templates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import can_read, require
from simkerma.agreements.models import Kind as DocumentKind
from simkerma.core.downloads import private_download
from simkerma.core.http import AuthedHttpRequest
from simkerma.core.worktime import calendar_from_settings, joint_leave_known, national_holidays_named
from simkerma.servicedesk.drafting import DOCX_MIME, placeholder_docs, template_upload
from simkerma.servicedesk.forms import WEEKDAYS, CalendarForm, TemplateUploadForm
from simkerma.servicedesk.models import CalendarVersion, DocumentTemplate
from simkerma.servicedesk.permissions import can_manage_calendar, can_manage_templates
from simkerma.servicedesk.services import calendar_version_create, calendar_version_delete
from simkerma.servicedesk.starter_templates import starter_template_path


@require(can_read)
def calendar_settings(request: AuthedHttpRequest) -> HttpResponse:
    now = timezone.now()
    current = CalendarVersion.objects.in_force(now)
    editable = can_manage_calendar(request.user)
    form = CalendarForm(request.POST or None, current=current) if editable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                calendar_version_create(
                    effective_from=data["effective_from"],
                    weekly_hours=data["weekly_hours"],
                    national_holidays=data["national_holidays"],
                    extra_days_off=data["extra_days_off"],
                    note=data["note"],
                    user=request.user,
                )
            except ValidationError as error:  # another calendar saved at the same moment
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The new working calendar is saved."))
                return redirect("servicedesk:calendar")
    year = timezone.localdate().year
    calendar = calendar_from_settings(current, around=now)
    national = national_holidays_named(year, translation.get_language() or "id")
    context = {
        "form": form,
        "current": current,
        "weekly": list(zip(WEEKDAYS, calendar.weekly_hours, strict=True)),
        "versions": CalendarVersion.objects.select_related("created_by").order_by("-effective_from")[:50],
        "national": national,
        "year": year,
        "now": now,
        "joint_leave": _joint_leave_warning(current, (year, year + 1)),
    }
    return render(request, "servicedesk/calendar.html", context)


def _joint_leave_warning(current: CalendarVersion | None, years: tuple[int, ...]) -> dict[str, object] | None:
    """When the holidays package does not know the cuti bersama of one of `years` (this year, then
    the next), and the calendar takes them off: that year and the extra days off the calendar in
    force already has in it."""
    if current is not None and not current.national_holidays:
        return None
    year = next((year for year in years if not joint_leave_known(year)), None)
    if year is None:
        return None
    added = [(day, name) for day, name in current.extra_days if day.year == year] if current else []
    return {"year": year, "added": added}


@require(can_manage_calendar)
@require_POST
def calendar_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(CalendarVersion, pk=pk)
    try:
        calendar_version_delete(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The planned calendar is withdrawn."))
    return redirect("servicedesk:calendar")


@require(can_read)
def templates_page(request: AuthedHttpRequest) -> HttpResponse:
    manage = can_manage_templates(request.user)
    form = TemplateUploadForm(request.POST or None, request.FILES or None) if manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            template = template_upload(
                document_kind=form.cleaned_data["document_kind"],
                name=form.cleaned_data["name"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
            messages.success(
                request,
                _("Template “%(name)s” is now used for %(kind)s drafts.")
                % {"name": template.name, "kind": template.get_document_kind_display()},
            )
            return redirect("servicedesk:templates")
    context = {
        "form": form,
        "templates": DocumentTemplate.objects.select_related("uploaded_by").order_by("document_kind", "-uploaded_at"),
        "kinds": DocumentKind.choices,
        "placeholders": placeholder_docs(),
        "can_manage": manage,
    }
    return render(
        request, "servicedesk/templates.html", context, status=400 if form is not None and form.errors else 200
    )


@require(can_read)
@private_download
def template_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    template = get_object_or_404(DocumentTemplate, pk=pk)
    return FileResponse(
        template.file.open("rb"),
        as_attachment=True,
        filename=f"{template.document_kind}-{template.pk}.docx",
        content_type=DOCX_MIME,
    )


@require(can_read)
@private_download
def starter_download(request: AuthedHttpRequest, kind: str) -> FileResponse:
    if kind not in DocumentKind.values:
        raise Http404
    path = starter_template_path(kind)
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"simkerma-{kind}.docx", content_type=DOCX_MIME)

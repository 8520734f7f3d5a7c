from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from simkerma.servicedesk.models import (
    CLOCKS,
    Breach,
    CalendarVersion,
    DocumentTemplate,
    DraftVersion,
    ServiceRequest,
    StageChange,
)
from simkerma.servicedesk.services import request_data, service_request_create, service_request_update

# Set by the services only: the code, the clocks the received time and the calendar give, the
# moments a clock stopped (each may record a breach), the stage path and the discard.
SERVICE_FIELDS = [
    "code",
    "calendar_version",
    *(column for clock in CLOCKS for column in (clock.due, clock.soon, clock.late, clock.done)),
    "next_due_at",
    "stage",
    "logged_by",
    "discarded_at",
    "discarded_by",
    "discard_kind",
    "discard_reason",
]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "note", "changed_by", "changed_at"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(SimpleHistoryAdmin):
    list_display = ["code", "subject", "channel", "kind", "stage", "received_at", "next_due_at"]
    list_filter = ["channel", "kind", "stage", "from_partner"]
    search_fields = ["code", "subject", "requester_name", "requester_organisation"]
    raw_id_fields = ["partner", "agreement", "assigned_to"]
    readonly_fields = SERVICE_FIELDS
    inlines = [StageChangeInline]

    def save_model(self, request: HttpRequest, obj: ServiceRequest, form: Any, change: bool) -> None:
        """Saved as intake and edits are, so a corrected received time recomputes the deadlines."""
        obj._history_user = request.user  # type: ignore[attr-defined]
        if change:
            service_request_update(request=obj, data=request_data(obj), user=request.user)
            return
        saved = service_request_create(data=request_data(obj), user=request.user, send_receipt=False)
        for field in ServiceRequest._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding, obj._state.db = False, saved._state.db


@admin.register(Breach)
class BreachAdmin(SimpleHistoryAdmin):
    list_display = ["request", "clock", "deadline", "detected_at", "notified_at", "reason_by"]
    list_filter = ["clock"]
    raw_id_fields = ["request", "reason_by"]


@admin.register(CalendarVersion)
class CalendarVersionAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "national_holidays", "note", "created_by"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # The stored field's help text predates several openings a day; the admin says what is read now.
        kwargs["help_texts"] = {
            "weekly_hours": _(
                'Monday first, each day null (not worked), ["08:00", "16:00"] for one opening or a list '
                'of them, e.g. [["07:30", "12:00"], ["13:00", "16:00"]].'
            )
        }
        return super().get_form(request, obj, change, **kwargs)


@admin.register(DraftVersion)
class DraftVersionAdmin(admin.ModelAdmin):
    list_display = ["request", "number", "document_kind", "created_at", "sent_at"]
    raw_id_fields = ["request", "created_by"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ["document_kind", "name", "uploaded_at", "is_active"]

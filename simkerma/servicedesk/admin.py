from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from simkerma.servicedesk.models import (
    Breach,
    CalendarVersion,
    DocumentTemplate,
    DraftVersion,
    ServiceRequest,
    StageChange,
)


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "note", "changed_by", "changed_at"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(SimpleHistoryAdmin):
    list_display = ["code", "subject", "channel", "kind", "stage", "received_at", "next_due_at"]
    list_filter = ["channel", "kind", "stage", "from_partner"]
    search_fields = ["code", "subject", "requester_name", "requester_organisation"]
    raw_id_fields = ["partner", "agreement", "assigned_to", "logged_by", "calendar_version"]
    inlines = [StageChangeInline]


@admin.register(Breach)
class BreachAdmin(SimpleHistoryAdmin):
    list_display = ["request", "clock", "deadline", "detected_at", "notified_at", "reason_by"]
    list_filter = ["clock"]
    raw_id_fields = ["request", "reason_by"]


@admin.register(CalendarVersion)
class CalendarVersionAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "national_holidays", "note", "created_by"]


@admin.register(DraftVersion)
class DraftVersionAdmin(admin.ModelAdmin):
    list_display = ["request", "number", "document_kind", "created_at", "sent_at"]
    raw_id_fields = ["request", "created_by"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ["document_kind", "name", "uploaded_at", "is_active"]

"""The archive in the admin is read-only.

Filing, archiving, corrections and disposal change several rows at once and move the activities
through their procedure, so they happen only through the services (the application's pages, the
API, the importer); the admin shows the records and their history.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from simkerma.archive.models import CooperationReport, DisposalRecord, EvidenceFile


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EvidenceInline(admin.TabularInline):
    model = EvidenceFile
    extra = 0
    can_delete = False
    fields = ("kind", "original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CooperationReport)
class CooperationReportAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("code", "version", "title", "status", "archived_at", "retention_until", "is_led_data")
    list_filter = ("status", "is_led_data")
    search_fields = ("code", "title")
    inlines = [EvidenceInline]


@admin.register(DisposalRecord)
class DisposalRecordAdmin(ReadOnlyAdmin):
    list_display = ("identifier", "title", "status", "requested_by", "decided_by", "decided_at")
    list_filter = ("status", "record_type")

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from simkerma.archive.models import CooperationReport, DisposalRecord, EvidenceFile


class EvidenceInline(admin.TabularInline):
    model = EvidenceFile
    extra = 0
    can_delete = False
    fields = ("kind", "original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CooperationReport)
class CooperationReportAdmin(SimpleHistoryAdmin):
    """Read-only: reports change through the application, where archived ones are locked."""

    list_display = ("code", "version", "title", "status", "archived_at", "retention_until", "is_led_data")
    list_filter = ("status", "is_led_data")
    search_fields = ("code", "title")
    inlines = [EvidenceInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisposalRecord)
class DisposalRecordAdmin(admin.ModelAdmin):
    list_display = ("identifier", "title", "status", "requested_by", "decided_by", "decided_at")
    list_filter = ("status", "record_type")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Evaluations in the admin.

Monitoring records and unarchived evaluations are edited through full_clean() (the ModelForm), so
every rule holds. Archiving fields are read-only (archiving is a service), an archived evaluation
is read-only, and deleting one before its retention date is refused. Survey invitations are
read-only: their links and answers come only through the survey services.
"""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from simkerma.evaluations.models import Evaluation, MonitoringRecord, SurveyInvitation


@admin.register(MonitoringRecord)
class MonitoringRecordAdmin(SimpleHistoryAdmin):
    list_display = ("agreement", "year", "quarter", "activity_title", "status", "monitored_on")
    list_filter = ("year", "quarter", "status")
    search_fields = ("agreement__number", "activity_title")
    raw_id_fields = ("agreement", "activity", "created_by")


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("agreement", "year", "benefit", "performance", "kepuasan", "keberlanjutan", "recommendation")
    list_filter = ("year", "recommendation")
    search_fields = ("agreement__number",)
    raw_id_fields = ("agreement", "reviewer")
    readonly_fields = ("archived_at", "archived_by", "retention_until")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_archived:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.deletion_refusal():
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        kept = [e for e in queryset if e.deletion_refusal()]
        for evaluation in queryset:
            if evaluation not in kept:
                evaluation.delete()
        if kept:
            self.message_user(request, kept[0].deletion_refusal(), messages.ERROR)


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ("agreement", "year", "email", "sent_at", "reminded_at", "answered_at", "satisfaction")
    list_filter = ("year",)
    search_fields = ("agreement__number", "email")
    exclude = ("nonce_hash",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""Issued reports in the admin: read-only. They are issued by the LED page's service, and leave only
through the archive's approved disposal once their retention date has passed."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from simkerma.reports.models import IssuedReport


@admin.register(IssuedReport)
class IssuedReportAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "unit", "year", "created_at", "created_by", "retention_until")
    list_filter = ("kind", "year")
    search_fields = ("title", "unit__code")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in IssuedReport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

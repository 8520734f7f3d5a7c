from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from simkerma.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The record of imports, to read: jobs are created and run only through the import page."""

    list_display = ("created_at", "user", "original_name", "status", "finished_at")
    list_filter = ("status",)
    search_fields = ("original_name", "sha256", "user__username")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

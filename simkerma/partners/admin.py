from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from simkerma.partners.models import Partner, PartnerCategory, PartnerContact, PartnerMerge, delete_refusal


class ContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "country", "city", "is_demo")
    list_filter = ("kind", "ministry_category", "is_demo")
    search_fields = ("code", "name", "city")
    inlines = [ContactInline]

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, Any, Any]:
        """A partner named by agreements shows as protected, so the admin refuses to delete it and says why."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = [refusal for partner in objs if (refusal := delete_refusal(partner))]
        return to_delete, model_count, perms_needed, [*protected, *refusals]


@admin.register(PartnerMerge)
class PartnerMergeAdmin(admin.ModelAdmin):
    list_display = ("source_code", "source_name", "target", "merged_by", "merged_at")
    readonly_fields = ("target", "source_code", "source_name", "snapshot", "merged_by", "merged_at")


@admin.register(PartnerCategory)
class PartnerCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "weight", "qualifies_iku", "order", "is_active")
    list_filter = ("qualifies_iku", "is_active")
    search_fields = ("code", "name")

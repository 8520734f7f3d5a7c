from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from simkerma.partners.models import Partner, PartnerContact, PartnerMerge


class ContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "country", "city", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("code", "name", "city")
    inlines = [ContactInline]


@admin.register(PartnerMerge)
class PartnerMergeAdmin(admin.ModelAdmin):
    list_display = ("source_code", "source_name", "target", "merged_by", "merged_at")
    readonly_fields = ("target", "source_code", "source_name", "snapshot", "merged_by", "merged_at")

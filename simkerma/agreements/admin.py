from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from simkerma.agreements.models import Agreement, Signatory


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ("number", "kind", "title", "level", "start_date", "end_date", "terminated_on", "is_demo")
    list_filter = ("kind", "level", "is_demo")
    search_fields = ("number", "partner_number", "title")
    autocomplete_fields = ("partners", "parent", "renews")
    filter_horizontal = ("units", "prodi")
    inlines = [SignatoryInline]

from django.contrib import admin

from simkerma.org.models import LecturerCount, Prodi, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "expected_fields", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("code", "name")


@admin.register(Prodi)
class ProdiAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "unit", "instrument", "active_from", "active_until", "is_demo")
    list_filter = ("level", "unit", "instrument", "is_demo")
    search_fields = ("code", "name")


@admin.register(LecturerCount)
class LecturerCountAdmin(admin.ModelAdmin):
    list_display = ("prodi", "year", "ndtps", "updated_at")
    list_filter = ("year",)
    search_fields = ("prodi__code", "prodi__name")
    list_select_related = ("prodi",)

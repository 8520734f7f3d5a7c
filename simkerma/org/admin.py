from django.contrib import admin

from simkerma.org.models import Prodi, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "expected_fields", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("code", "name")


@admin.register(Prodi)
class ProdiAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "unit", "active_from", "active_until", "is_demo")
    list_filter = ("level", "unit", "is_demo")
    search_fields = ("code", "name")

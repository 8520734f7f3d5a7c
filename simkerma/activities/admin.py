from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from simkerma.activities.models import Activity, ActivityTransition, CalendarToken, CoordinationRecord, FollowUpTask


class TransitionInline(admin.TabularInline):
    model = ActivityTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "user", "reason", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "agreement", "kind", "field", "start_date", "status")
    list_filter = ("status", "kind", "field")
    search_fields = ("code", "title", "agreement__number")
    autocomplete_fields = ("agreement",)
    raw_id_fields = ("pic", "partner_contact")
    filter_horizontal = ("units", "prodi")
    readonly_fields = ("status", "cancel_reason")
    inlines = [TransitionInline]


@admin.register(CoordinationRecord)
class CoordinationRecordAdmin(SimpleHistoryAdmin):
    list_display = ("activity", "kind", "held_at", "mode")
    list_filter = ("kind", "mode")
    raw_id_fields = ("activity",)
    filter_horizontal = ("internal_attendees",)


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(SimpleHistoryAdmin):
    list_display = ("title", "assignee", "due_date", "done_at")
    raw_id_fields = ("activity", "record", "assignee", "done_by")


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "revoked_at")
    readonly_fields = ("token",)
    raw_id_fields = ("user",)

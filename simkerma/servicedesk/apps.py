from typing import Any

from django.apps import AppConfig


class ServicedeskConfig(AppConfig):
    name = "simkerma.servicedesk"
    label = "servicedesk"

    def ready(self) -> None:
        from simkerma.core.notices import register_office_calendar, register_planner
        from simkerma.servicedesk.alerts import plan_breach_notices
        from simkerma.servicedesk.clocks import calendar_in_force

        register_planner(plan_breach_notices)
        register_office_calendar(calendar_in_force)

        from simkerma.core.panels import register_home_panel
        from simkerma.servicedesk.selectors import home_panel_values

        register_home_panel("servicedesk", home_panel_values, template="servicedesk/_home_panel.html", order=20)

        from simkerma.core.versions import watch
        from simkerma.servicedesk.models import ServiceRequest
        from simkerma.servicedesk.selectors import SERVICE_REQUESTS

        watch(SERVICE_REQUESTS, ServiceRequest)

        # Deleting a user unassigns their requests in one UPDATE, without saving them: the cached
        # counts of the home panels (which count the unassigned requests too) must not outlive it.
        from django.conf import settings
        from django.db.models.signals import post_delete

        from simkerma.core.versions import bump

        def user_deleted(sender: Any, **kwargs: Any) -> None:
            bump(SERVICE_REQUESTS)

        post_delete.connect(
            user_deleted, sender=settings.AUTH_USER_MODEL, weak=False, dispatch_uid="servicedesk:user-deleted"
        )

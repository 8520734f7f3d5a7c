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

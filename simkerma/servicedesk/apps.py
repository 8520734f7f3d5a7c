from django.apps import AppConfig


class ServicedeskConfig(AppConfig):
    name = "simkerma.servicedesk"
    label = "servicedesk"

    def ready(self) -> None:
        from simkerma.core.notices import register_planner
        from simkerma.servicedesk.alerts import plan_breach_notices

        register_planner(plan_breach_notices)

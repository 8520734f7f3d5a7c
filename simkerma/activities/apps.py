from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "simkerma.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from simkerma.activities import scope

        scope.connect()

        from simkerma.activities.reminders import plan_activity_reminders, plan_agreement_reminders
        from simkerma.core.notices import register_planner

        register_planner(plan_activity_reminders)
        register_planner(plan_agreement_reminders)

        from simkerma.activities.selectors import home_panel
        from simkerma.core.panels import register_home_panel

        register_home_panel("activities", home_panel, template="activities/_home_panel.html", order=10)

        from simkerma.activities.partner_page import partner_activities
        from simkerma.partners.sections import register_partner_section

        register_partner_section("activities", partner_activities, order=20)

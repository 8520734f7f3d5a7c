from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "simkerma.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from simkerma.core.notices import register_planner
        from simkerma.core.panels import register_home_panel
        from simkerma.evaluations.planner import plan_evaluation_reminders, plan_survey_reminders
        from simkerma.evaluations.selectors import home_panel

        register_planner(plan_evaluation_reminders)
        register_planner(plan_survey_reminders)
        register_home_panel("evaluations", home_panel, template="evaluations/_home_panel.html", order=40)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "simkerma.kpis"
    label = "kpis"
    verbose_name = _("KPIs")

    def ready(self) -> None:
        from simkerma.activities.models import Activity
        from simkerma.agreements.models import Agreement
        from simkerma.core.versions import watch
        from simkerma.evaluations.models import Evaluation, SurveyInvitation
        from simkerma.kpis.engine import KPI_INPUTS
        from simkerma.org.models import Prodi, Unit

        # Every model the stored figures read (engine.stored_figures, coverage_trend, trend), with
        # their many-to-many links (an activity's or agreement's units and prodi: one through table
        # whichever side writes it). The scope table is written set-based and bumps
        # "activity-scope" itself (activities.scope).
        watch(KPI_INPUTS, Activity, Agreement, Prodi, Unit, Evaluation, SurveyInvitation)

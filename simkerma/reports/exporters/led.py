"""The LED (FO.2.3.1) cooperation part for a unit and a year: see simkerma.reports.led."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from simkerma.reports.framework import Exporter, Period, Report, ReportParams, Scope, register
from simkerma.reports.led import led_report


class LedExporter(Exporter):
    key = "led"
    label = _("LED FO.2.3.1: cooperation")
    group = "LED (evaluasi diri)"
    description = _(
        "A unit's self-evaluation, cooperation part: KPI figures, agreements, activities, the C.2 score per "
        "agreement and the archived reports as evidence."
    )
    verified = False
    scope = Scope.UNIT
    period = Period.YEAR
    formats = ("docx", "pdf", "xlsx")

    def build(self, params: ReportParams) -> Report:
        if params.unit is None:
            raise ValueError("The LED is written for a unit.")
        return led_report(params.unit, params.year)


register(LedExporter, order=60)

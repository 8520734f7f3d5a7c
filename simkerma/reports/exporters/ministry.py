"""The ministry-ready export for a year: see simkerma.reports.ministry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from simkerma.reports.framework import Exporter, Period, Report, ReportParams, Scope, register
from simkerma.reports.ministry import ministry_report


class MinistryExporter(Exporter):
    key = "ministry"
    label = _("Ministry reporting system (Laporankerma)")
    group = "Kementerian"
    description = _(
        "The year's documents and their implementation in the fields of the ministry's reporting system, "
        "for entry by hand, with the checks for foreign partners."
    )
    verified = False
    scope = Scope.INSTITUTION
    period = Period.YEAR

    def build(self, params: ReportParams) -> Report:
        return ministry_report(params.year)


register(MinistryExporter, order=90)

"""The service-time report (KPI B.1.2.9.13) as an official report: the compliance per service time
for the year (or one month) and each of its months, and every breach with its reason.

The figures are `servicedesk.reports.service_time_report`'s, as on the service desk's report page.
Times are written as WIB wall-clock times, since a spreadsheet has no time zones.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from simkerma.accounts.models import Role
from simkerma.reports.framework import Column, Exporter, Kind, Period, Report, ReportParams, Scope, Table, register
from simkerma.servicedesk.reports import ServiceTimeReport, service_time_report


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _compliance(data: ServiceTimeReport) -> Table:
    columns = [
        Column("period", pgettext("reporting period", "Period"), width=10),
        Column("label", _("Service time"), width=36),
        Column("clock", _("Key"), width=14),
        Column("met", _("Met"), Kind.INT, width=10),
        Column("breached", _("Breached"), Kind.INT, width=10),
        Column("pending", _("Pending"), Kind.INT, width=10),
        Column("percent", _("Percent"), Kind.PERCENT, width=10),
    ]
    rows = (
        [row.period, row.label, row.clock, row.met, row.breached, row.pending, row.percent]
        for row in data.totals + data.months
    )
    return Table(key=_("Compliance"), title=_("Service-time compliance"), columns=columns, rows=rows)


def _breaches(data: ServiceTimeReport) -> Table:
    columns = [
        Column("code", _("Request"), width=16),
        Column("subject", _("Subject"), width=40),
        Column("clock", _("Service time"), width=30),
        Column("deadline", _("Deadline (WIB)"), Kind.DATE, width=17),
        Column("done_at", _("Done at (WIB)"), Kind.DATE, width=17),
        Column("detected_at", _("Detected at (WIB)"), Kind.DATE, width=17),
        Column("reason", _("Reason"), width=40),
        Column("reason_by", _("Reason given by"), width=20),
    ]
    rows = (
        [
            breach.code,
            breach.subject,
            breach.label,
            _local(breach.deadline),
            _local(breach.done_at),
            _local(breach.detected_at),
            breach.reason,
            breach.reason_by,
        ]
        for breach in data.breaches
    )
    return Table(key=_("Breaches"), title=_("Breaches and their reasons"), columns=columns, rows=rows)


class ServiceTimeExporter(Exporter):
    key = "service_time"
    label = gettext_lazy("Service-time report (KPI B.1.2.9.13)")
    group = gettext_lazy("Service desk")
    description = gettext_lazy(
        "Compliance with the service times per year and month, and every breach with its reason."
    )
    scope = Scope.INSTITUTION
    period = Period.YEAR_MONTH
    # Every role reads the service-time report, as on the service desk's page.
    roles = frozenset(Role.values)

    def build(self, params: ReportParams) -> Report:
        data = service_time_report(params.year, params.month)
        period = f"{params.year}-{params.month:02d}" if params.month else str(params.year)
        return Report(
            title=_("Service-time report"),
            subtitle=_("Period %(period)s, times in WIB") % {"period": period},
            tables=[_compliance(data), _breaches(data)],
            exporter=self.key,
        )

    def filename(self, params: ReportParams, fmt: str) -> str:
        period = f"{params.year}-{params.month:02d}" if params.month else str(params.year)
        return f"waktu-layanan-{period}.{fmt}"


register(ServiceTimeExporter, order=90)

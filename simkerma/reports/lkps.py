"""What the LKPS cooperation tables list, counted once for every instrument (IAPS 4.0, LAM INFOKOM,
LAM Teknik): one row per activity carried out in the window TS-2..TS for a prodi or a jurusan.

An activity is listed when its scope row counts (terlaksana, dilaporkan or diarsipkan, and its
agreement valid on its start date — an agreement terminated early stops counting the activities
after its termination) and it starts in TS-2..TS. For a prodi that is the activities naming it or
inheriting it from their agreement; for a jurusan, every activity counting for the jurusan, which
includes those of each of its prodi (activities.scope keeps both tables).

The rows come from one query per table, streamed in chunks; the partners of the agreements, the
reports filed on the activities and their funding are each read once for the whole report, so the
queries do not grow with the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.db.models.functions import Trim
from django.urls import reverse
from django.utils.translation import gettext

from simkerma.activities.models import ActivityProdiScope, ActivityUnitScope
from simkerma.activities.reporting import ActivityFunding
from simkerma.agreements.models import Agreement
from simkerma.archive.models import CooperationReport
from simkerma.core.choices import Level
from simkerma.org.models import Instrument
from simkerma.reports.framework import Exporter, Period, Report, ReportParams, Scope, Table, Warning

GROUP = "LKPS (akreditasi program studi)"
CHUNK = 2000
# Filed and archived reports are evidence of an activity; a superseded one has its correction.
FILED = (CooperationReport.Status.DRAFT, CooperationReport.Status.ARCHIVED)
# Activities named one by one in the warnings; beyond, one warning counts the rest.
LISTED_WARNINGS = 100
MILLION = Decimal(1_000_000)
CENT = Decimal("0.01")

ROW_FIELDS = (
    "activity_id",
    "agreement_id",
    "start_date",
    "level",
    "activity__code",
    "activity__title",
    "activity__end_date",
    "activity__duration_years",
    "activity__benefit",
    "activity__evidence",
    "activity__distinctive",
    "agreement__number",
    "agreement__end_date",
    "agreement__terminated_on",
)


@dataclass(frozen=True)
class LkpsRow:
    """One listed activity, with what every instrument's columns are made of."""

    activity_id: int
    code: str
    title: str
    level: str
    partners: str  # the agreement's partners' names, "; " between
    benefit: str
    period: str  # the dates and the duration, "12/03/2024 to 14/03/2024 (1 tahun)" with a dash
    duration: int  # whole years
    evidence: str  # the Bukti cell
    agreement_only: bool  # no evidence but the agreement itself
    end_year: int  # the agreement's end, or its termination when earlier
    distinctive: bool
    funding: dict[int, Decimal] = field(default_factory=dict)  # year → Rp juta

    def at_level(self, level: str) -> bool:
        return self.level == level

    def funding_in(self, year: int) -> Decimal | None:
        return self.funding.get(year)


def duration_years(start: dt.date, end: dt.date | None, entered: int | None) -> int:
    """Whole years, as `Activity.duration` counts them: as entered, else from the dates."""
    if entered:
        return entered
    return max(1, ((end or start) - start).days // 365 + 1)


def period_text(start: dt.date, end: dt.date | None, years: int) -> str:
    dates = start.strftime("%d/%m/%Y")
    if end and end != start:
        dates += " – " + end.strftime("%d/%m/%Y")
    return f"{dates} ({years} tahun)"


def end_year(end: dt.date, terminated: dt.date | None) -> int:
    return terminated.year if terminated and terminated < end else end.year


def agreement_only_text(number: str) -> str:
    return f"Hanya dokumen kerja sama {number} (bukan bukti pelaksanaan)"


class LkpsSelection:
    """The activities an LKPS report lists for `params` (a prodi, else a jurusan) and TS."""

    def __init__(self, params: ReportParams, *, funding: bool = False) -> None:
        if params.prodi is None and params.unit is None:
            raise ValueError("an LKPS report is for a prodi or a jurusan")
        self.params = params
        self.with_funding = funding
        self.first, self.last = dt.date(params.year - 2, 1, 1), dt.date(params.year, 12, 31)
        self._partners: dict[int, str] | None = None
        self._reports: dict[int, list[tuple[str, str, str, str]]] | None = None
        self._funding: dict[int, dict[int, Decimal]] | None = None

    def scope(self) -> QuerySet[Any]:
        """The scope rows listed: one per activity."""
        rows: QuerySet[Any]
        if self.params.prodi is not None:
            rows = ActivityProdiScope.objects.filter(prodi=self.params.prodi)
        else:
            rows = ActivityUnitScope.objects.filter(unit=self.params.unit)
        return rows.filter(counts=True, start_date__gte=self.first, start_date__lte=self.last)

    def _activity_ids(self) -> QuerySet[Any]:
        return self.scope().values("activity_id")

    def partners(self) -> dict[int, str]:
        if self._partners is None:
            names: dict[int, list[str]] = defaultdict(list)
            links = (
                Agreement.partners.through.objects.filter(agreement_id__in=self.scope().values("agreement_id"))
                .order_by()
                .values_list("agreement_id", "partner__name")
            )
            for agreement_id, name in links.iterator(chunk_size=CHUNK):
                names[agreement_id].append(name)
            # Sorted here, not by the database's collation, so every database lists them alike.
            self._partners = {key: "; ".join(sorted(value, key=str.casefold)) for key, value in names.items()}
        return self._partners

    def reports(self) -> dict[int, list[tuple[str, str, str, str]]]:
        """Per activity, its filed reports: identifier, documentation link, benefit texts."""
        if self._reports is None:
            found: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
            # The status is checked here, not in the query: filtered there, SQLite walks every
            # report by its status index and probes each against the activities (minutes at
            # 600,000 activities) instead of starting from the activities listed.
            links = (
                CooperationReport.activities.through.objects.filter(activity_id__in=self._activity_ids())
                .order_by("activity_id", "cooperationreport__code", "cooperationreport__version")
                .values_list(
                    "activity_id",
                    "cooperationreport__status",
                    "cooperationreport__code",
                    "cooperationreport__version",
                    "cooperationreport__documentation_link",
                    "cooperationreport__benefit_learning",
                    "cooperationreport__benefit_performance",
                )
            )
            for activity_id, status, code, version, link, learning, performance in links.iterator(chunk_size=CHUNK):
                if status not in FILED:
                    continue
                identifier = f"{code} v{version}" if version > 1 else code
                found[activity_id].append((identifier, link.strip(), learning.strip(), performance.strip()))
            self._reports = dict(found)
        return self._reports

    def funding(self) -> dict[int, dict[int, Decimal]]:
        """Per activity, its funding in each year of the window, in Rp juta to two places."""
        if self._funding is None:
            found: dict[int, dict[int, Decimal]] = defaultdict(dict)
            rows = ActivityFunding.objects.filter(
                activity_id__in=self._activity_ids(), year__gte=self.params.year - 2, year__lte=self.params.year
            ).values_list("activity_id", "year", "amount")
            for activity_id, year, amount in rows.iterator(chunk_size=CHUNK):
                found[activity_id][year] = (Decimal(amount) / MILLION).quantize(CENT)
            self._funding = dict(found)
        return self._funding

    def rows(self, field_value: str) -> Iterator[LkpsRow]:
        """The listed activities of one tridharma field, by start date and code."""
        partners, reports = self.partners(), self.reports()
        funding = self.funding() if self.with_funding else {}
        listed = (
            self.scope()
            .filter(field=field_value)
            .order_by("start_date", "activity__code", "activity_id")
            .values(*ROW_FIELDS)
            .iterator(chunk_size=CHUNK)
        )
        for row in listed:
            yield self._row(row, partners, reports.get(row["activity_id"], ()), funding)

    def _row(
        self,
        row: dict[str, Any],
        partners: dict[int, str],
        reports: Sequence[tuple[str, str, str, str]],
        funding: dict[int, dict[int, Decimal]],
    ) -> LkpsRow:
        start, end = row["start_date"], row["activity__end_date"]
        years = duration_years(start, end, row["activity__duration_years"])
        evidence = [row["activity__evidence"].strip()] if row["activity__evidence"].strip() else []
        for identifier, link, _learning, _performance in reports:
            evidence.append(f"Laporan {identifier}")
            if link:
                evidence.append(link)
        benefit = row["activity__benefit"].strip()
        for _identifier, _link, learning, performance in reports:
            benefit = benefit or learning or performance
        return LkpsRow(
            activity_id=row["activity_id"],
            code=row["activity__code"],
            title=row["activity__title"],
            level=row["level"],
            partners=partners.get(row["agreement_id"], ""),
            benefit=benefit,
            period=period_text(start, end, years),
            duration=years,
            evidence="; ".join(evidence) or agreement_only_text(row["agreement__number"]),
            agreement_only=not evidence,
            end_year=end_year(row["agreement__end_date"], row["agreement__terminated_on"]),
            distinctive=row["activity__distinctive"],
            funding=funding.get(row["activity_id"], {}),
        )

    def count(self, fields: Iterable[str] | None = None) -> int:
        rows = self.scope()
        return (rows.filter(field__in=list(fields)) if fields is not None else rows).count()

    def warnings(self, fields: Iterable[str]) -> list[Warning]:
        """The listed activities whose only evidence would be their agreement: no evidence text and
        no filed report. One query."""
        filed = CooperationReport.activities.through.objects.filter(cooperationreport__status__in=FILED).values(
            "activity_id"
        )
        bare = (
            self.scope()
            .filter(field__in=list(fields))
            .annotate(evidence_text=Trim("activity__evidence"))
            .filter(evidence_text="")
            .exclude(activity_id__in=filed)
            .order_by("start_date", "activity__code", "activity_id")
            .values_list("activity_id", "activity__code", "activity__title", "agreement__number")
        )
        found: list[Warning] = []
        extra = 0
        for activity_id, code, title, number in bare.iterator(chunk_size=CHUNK):
            if len(found) >= LISTED_WARNINGS:
                extra += 1
                continue
            message = gettext(
                "Activity %(code)s “%(title)s” has no evidence but agreement %(number)s: add its evidence "
                "or file its report before the table is handed in."
            ) % {"code": code, "title": title, "number": number}
            found.append(Warning(message, reverse("activities:detail", args=[activity_id])))
        if extra:
            found.append(
                Warning(
                    gettext("And %(count)d more activities with no evidence but their agreement.") % {"count": extra}
                )
            )
        return found


def window_text(year: int) -> str:
    return f"TS-2 = {year - 2}, TS-1 = {year - 1}, TS = {year}"


class LkpsExporter(Exporter):
    """What the three LKPS cooperation exporters share: a prodi or a jurusan, the window TS-2..TS,
    and a subtitle naming both and the instrument."""

    group: ClassVar[str] = GROUP
    scope: ClassVar[str] = Scope.PRODI_OR_UNIT
    period: ClassVar[str] = Period.TS
    instrument: ClassVar[str]
    # The tables: key, title and the tridharma field each lists.
    tables: ClassVar[Sequence[tuple[str, str, str]]]
    uses_funding: ClassVar[bool] = False

    def subtitle(self, params: ReportParams) -> str:
        return f"{params.subject} — {Instrument(self.instrument).label} — {window_text(params.year)}"

    def table(self, key: str, title: str, rows: Iterable[LkpsRow], params: ReportParams) -> Table:
        raise NotImplementedError

    def build(self, params: ReportParams) -> Report:
        selection = LkpsSelection(params, funding=self.uses_funding)
        tables = []
        for key, title, field_value in self.tables:
            tables.append(self.table(key, title, selection.rows(field_value), params))
        return Report(
            title=str(self.label),
            subtitle=self.subtitle(params),
            tables=tables,
            exporter=self.key,
            verified=self.verified,
            warnings=selection.warnings([field_value for _key, _title, field_value in self.tables]),
        )


def level_ticks(row: LkpsRow) -> list[bool]:
    """The three Tingkat tick columns: internasional, nasional, wilayah/lokal."""
    return [row.at_level(Level.INTERNASIONAL), row.at_level(Level.NASIONAL), row.at_level(Level.WILAYAH)]

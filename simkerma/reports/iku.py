"""The ministry's cooperation indicators, counted from the realised activities (docs/reports-iku.md).

- IKU 2023 (Kepmendikbudristek 210/M/2023): the share of D2/D3/D4 and S1 prodi that carried out, in
  the year, a cooperation with a partner of a qualifying category in a qualifying form.
- IKU 5 2025 (Kepmendiktisaintek 358/M/KEP/2025): cooperations whose output the partner uses, over
  all cooperations carried out, per quarter (TW) and for the year to date.
- IKU 7 2025: agreements in force in the year tagged with SDG 17, and the count per SDG.

Each computation reads a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Min, Q

from simkerma.activities.models import Activity, ActivityProdiScope
from simkerma.activities.reporting import ActivityOutput
from simkerma.agreements.models import SDG, Agreement
from simkerma.org.models import Prodi

# The jenjang the IKU 2023 counts: "program studi S1 dan D4/D3/D2". S1 is not offered at Polibatam
# today but counts if a prodi of that level is ever entered; S2 is outside the indicator.
IKU_LEVELS = ("D2", "D3", "D4", "S1")
DEFAULT_WEIGHT = Decimal("1.0")


def year_dates(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def quarter_dates(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """TW1 is January to March, TW4 October to December."""
    first = dt.date(year, 3 * (quarter - 1) + 1, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, after - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def percent(part: float | Decimal, whole: int) -> float | None:
    """part / whole * 100 to one place, None when there is nothing to divide by."""
    return round(float(part) * 100 / whole, 1) if whole else None


# IKU 2023 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerInfo:
    name: str
    category: str  # empty when the partner has no ministry category
    weight: Decimal | None
    qualifies: bool


@dataclass
class Cooperation:
    """One carried-out activity counted for one prodi."""

    activity_id: int
    code: str
    title: str
    start_date: dt.date
    evidence: str
    form: str
    form_qualifies: bool
    partners: list[PartnerInfo]

    @property
    def qualifying_partners(self) -> list[PartnerInfo]:
        return [p for p in self.partners if p.qualifies]

    @property
    def qualifies(self) -> bool:
        return self.form_qualifies and bool(self.qualifying_partners)

    @property
    def incomplete(self) -> bool:
        """It would qualify if a missing form or partner category were filled in."""
        form_open = self.form_qualifies or not self.form
        partner_open = bool(self.qualifying_partners) or any(not p.category for p in self.partners)
        return not self.qualifies and form_open and partner_open

    @property
    def best(self) -> PartnerInfo | None:
        partners = self.qualifying_partners
        return max(partners, key=lambda p: p.weight if p.weight is not None else DEFAULT_WEIGHT) if partners else None

    @property
    def value(self) -> Decimal:
        best = self.best
        if best is None:
            return Decimal("0")
        return best.weight if best.weight is not None else DEFAULT_WEIGHT


@dataclass
class ProdiResult:
    prodi: Prodi
    cooperations: list[Cooperation] = field(default_factory=list)

    @property
    def qualifying(self) -> list[Cooperation]:
        return [c for c in self.cooperations if c.qualifies]

    @property
    def counted(self) -> bool:
        return bool(self.qualifying)

    @property
    def best(self) -> Cooperation | None:
        return max(self.qualifying, key=lambda c: c.value) if self.qualifying else None

    def value(self, weighted: bool) -> Decimal:
        if not self.counted:
            return Decimal("0")
        best = self.best
        return best.value if weighted and best is not None else Decimal("1")


@dataclass
class Iku2023:
    year: int
    weighted: bool
    prodi: list[ProdiResult]

    @property
    def qualifying_count(self) -> int:
        return len(self.prodi)

    @property
    def counted_count(self) -> int:
        return sum(1 for p in self.prodi if p.counted)

    @property
    def total_value(self) -> Decimal:
        return sum((p.value(self.weighted) for p in self.prodi), Decimal("0"))

    @property
    def percentage(self) -> float | None:
        return percent(self.total_value, self.qualifying_count)

    def incomplete(self) -> list[Cooperation]:
        """Activities that would qualify once their form or partner category is filled in, each once."""
        seen: dict[int, Cooperation] = {}
        for result in self.prodi:
            for cooperation in result.cooperations:
                if cooperation.incomplete:
                    seen.setdefault(cooperation.activity_id, cooperation)
        return sorted(seen.values(), key=lambda c: (c.start_date, c.code))


def _partners_by_agreement(agreement_ids: Iterable[int]) -> dict[int, list[PartnerInfo]]:
    through = Agreement.partners.through.objects.filter(agreement_id__in=list(agreement_ids))
    rows = through.order_by("partner__name").values_list(
        "agreement_id",
        "partner__name",
        "partner__ministry_category__name",
        "partner__ministry_category__weight",
        "partner__ministry_category__qualifies_iku",
    )
    found: dict[int, list[PartnerInfo]] = defaultdict(list)
    for agreement_id, name, category, weight, qualifies in rows:
        found[agreement_id].append(PartnerInfo(name, category or "", weight, bool(qualifies)))
    return found


def iku2023(year: int, *, weighted: bool | None = None) -> Iku2023:
    """The IKU 2023 figures for a year, in three queries."""
    weighted = settings.SIMKERMA_IKU_WEIGHTS if weighted is None else weighted
    prodi = list(Prodi.objects.active_in(year).filter(level__in=IKU_LEVELS).select_related("unit"))
    results = {p.pk: ProdiResult(p) for p in prodi}
    first, last = year_dates(year)
    rows = list(
        ActivityProdiScope.objects.filter(
            prodi_id__in=list(results), counts=True, start_date__gte=first, start_date__lte=last
        )
        .order_by("start_date", "activity__code")
        .values_list(
            "prodi_id",
            "activity_id",
            "agreement_id",
            "activity__code",
            "activity__title",
            "start_date",
            "activity__evidence",
            "activity__cooperation_form__name",
            "activity__cooperation_form__qualifies_iku",
        )
    )
    partners = _partners_by_agreement({row[2] for row in rows})
    for prodi_id, activity_id, agreement_id, code, title, start, evidence, form, form_ok in rows:
        results[prodi_id].cooperations.append(
            Cooperation(
                activity_id, code, title, start, evidence, form or "", bool(form_ok), partners.get(agreement_id, [])
            )
        )
    return Iku2023(year=year, weighted=bool(weighted), prodi=list(results.values()))


# IKU 5 --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    label: str
    first: dt.date
    last: dt.date
    cooperations: int
    used: int

    @property
    def percentage(self) -> float | None:
        return percent(self.used, self.cooperations)


@dataclass
class Iku5:
    year: int
    quarter: int | None
    quarters: list[Ratio]  # each TW's own cooperations, up to the quarter asked for
    to_date: list[Ratio]  # January to the end of each TW

    @property
    def period(self) -> Ratio:
        """The figure asked for: the quarter's own, or the whole year."""
        return self.quarters[-1] if self.quarter else self.to_date[-1]

    @property
    def end(self) -> dt.date:
        return self.to_date[-1].last


def iku5(year: int, quarter: int | None = None) -> Iku5:
    """IKU 5 in one query: each carried-out activity of the year to the period's end, with the first
    day the partner used one of its outputs."""
    last_quarter = quarter or 4
    first, _ = year_dates(year)
    _, end = quarter_dates(year, last_quarter)
    activities = (
        Activity.objects.carried_out_in(year)
        .filter(start_date__lte=end)
        .annotate(first_use=Min("outputs__used_on", filter=Q(outputs__used_on__lte=end)))
        .values_list("start_date", "first_use")
    )
    pairs = list(activities)
    quarters: list[Ratio] = []
    to_date: list[Ratio] = []
    for tw in range(1, last_quarter + 1):
        tw_first, tw_last = quarter_dates(year, tw)
        own = [use for start, use in pairs if tw_first <= start <= tw_last]
        cumulative = [use for start, use in pairs if start <= tw_last]
        quarters.append(Ratio(f"TW{tw}", tw_first, tw_last, len(own), sum(1 for u in own if u and u <= tw_last)))
        to_date.append(
            Ratio(f"TW1–TW{tw}", first, tw_last, len(cumulative), sum(1 for u in cumulative if u and u <= tw_last))
        )
    return Iku5(year=year, quarter=quarter, quarters=quarters, to_date=to_date)


def outputs(year: int, end: dt.date) -> Iterator[tuple[ActivityOutput, list[str]]]:
    """The outputs used by the partner by `end`, of the activities carried out from January to `end`,
    with each activity's partners' names; two queries."""
    activities = Activity.objects.carried_out_in(year).filter(start_date__lte=end)
    found = list(
        ActivityOutput.objects.filter(activity__in=activities.values("pk"), used_on__lte=end)
        .select_related("activity")
        .order_by("used_on", "activity__code", "pk")
    )
    names: dict[int, list[str]] = defaultdict(list)
    through = Agreement.partners.through.objects.filter(
        agreement_id__in={output.activity.agreement_id for output in found}
    )
    for agreement_id, name in through.order_by("partner__name").values_list("agreement_id", "partner__name"):
        names[agreement_id].append(name)
    for output in found:
        yield output, names.get(output.activity.agreement_id, [])


# IKU 7 --------------------------------------------------------------------------------------------


@dataclass
class Iku7:
    year: int
    agreements: int  # in force in the year
    per_sdg: dict[str, int]  # every SDG, in order, with its count (0 included)
    sdg17: list[tuple[str, str, dt.date, dt.date]]  # number, title, start, end

    @property
    def sdg17_count(self) -> int:
        return self.per_sdg[SDG.SDG17]


def iku7(year: int) -> Iku7:
    """Agreements in force at some point of the year (not ended early before it), per SDG; one query."""
    rows = list(
        Agreement.objects.in_year(year)
        .order_by("start_date", "number")
        .values_list("number", "title", "start_date", "end_date", "sdg_goals")
    )
    counts: Counter[str] = Counter(goal for *_, goals in rows for goal in goals)
    per_sdg = {code: counts.get(code, 0) for code in SDG.values}
    sdg17 = [(number, title, start, end) for number, title, start, end, goals in rows if SDG.SDG17 in goals]
    return Iku7(year=year, agreements=len(rows), per_sdg=per_sdg, sdg17=sdg17)

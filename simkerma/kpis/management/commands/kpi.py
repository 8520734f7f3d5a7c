"""`manage.py kpi --year YYYY [--json]`: the year's KPI report, as the contract's JSON or as a table."""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from simkerma.core.choices import Field
from simkerma.core.dates import MAX_DATE, MIN_DATE
from simkerma.kpis.engine import kpi_report
from simkerma.servicedesk.models import ClockName


def year_argument(value: str) -> int:
    """A year the product accepts (core.dates); argparse turns the refusal into exit status 2."""
    try:
        year = int(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a year; give one such as 2025.") from None
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise argparse.ArgumentTypeError(f"{year} is outside {MIN_DATE.year} to {MAX_DATE.year}.")
    return year


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{number_format(value, 2)}%"


def _yes(met: bool) -> str:
    return _("met") if met else _("not met")


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return [lines[0], "  ".join("-" * width for width in widths), *lines[1:]]


def render_report(report: dict[str, Any]) -> str:
    """The report as plain text in the active language."""
    coverage = report["prodi_coverage"]
    lines = [_("KPI report %(year)s") % {"year": report["year"]}, ""]
    lines.append(_("B.1.2.9.11 Prodi coverage"))
    lines.append(
        _("%(covered)s of %(active)s active prodi covered: %(percent)s (target %(target)s), %(met)s")
        % {
            "covered": coverage["covered"],
            "active": coverage["active"],
            "percent": _percent(coverage["percent"]),
            "target": _percent(coverage["target"]),
            "met": _yes(coverage["met"]),
        }
    )
    if coverage["uncovered"]:
        lines.append(_("Not covered: %(codes)s") % {"codes": ", ".join(coverage["uncovered"])})
    lines += ["", _("B.1.2.9.7 Units and fields")]
    if report["unit_fields"]:
        header = [_("Unit"), *(str(label) for _value, label in Field.choices), _("Expected"), _("Result")]
        rows = [header]
        for code, entry in report["unit_fields"].items():
            expected = ", ".join(str(Field(field).label) for field in entry["expected"]) or "–"
            rows.append([code, *(str(entry[field]) for field in Field.values), expected, _yes(entry["met"])])
        lines += _table(rows)
    else:
        lines.append(_("No units."))
    lines += ["", _("B.1.2.9.13 Service times")]
    rows = [[_("Clock"), _("Met"), _("Breached"), _("Pending"), _("Compliance")]]
    for clock, counts in report["service_times"].items():
        rows.append(
            [
                str(ClockName(clock).label),
                str(counts["met"]),
                str(counts["breached"]),
                str(counts["pending"]),
                _percent(counts["percent"]),
            ]
        )
    lines += _table(rows)
    aspects = report["aspects"]
    lines += ["", _("B.1.2.9.8 Aspects of cooperation")]
    lines.append(_("Agreements counted: %(counted)s") % {"counted": aspects["counted"]})
    if aspects["not_evaluated"]:
        lines.append(_("Not evaluated: %(numbers)s") % {"numbers": ", ".join(aspects["not_evaluated"])})
    names = {
        "benefit": _("a. Benefit"),
        "performance": _("b. Performance"),
        "satisfaction": _("c. Satisfaction and continuation"),
    }
    rows = [[_("Aspect"), _("Agreements meeting it"), _("Percent")]]
    for key, name in names.items():
        rows.append([name, str(aspects[key]["met"]), _percent(aspects[key]["percent"])])
    lines += _table(rows)
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the KPI report of a year: the contract's JSON with --json, else a table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=year_argument, required=True, help="The calendar year, e.g. 2025.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON (CONTRACTS.md).")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The language of the table (default: LANGUAGE_CODE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = kpi_report(options["year"])
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        with translation.override(options["language"]):
            self.stdout.write(render_report(report), ending="")

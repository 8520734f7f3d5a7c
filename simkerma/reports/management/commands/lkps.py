"""`manage.py lkps (--prodi CODE | --unit CODE) --ts YEAR [--instrument NAME] --output PATH`: write
the LKPS cooperation tables of one prodi or jurusan for the window TS-2..TS.

The format is the output's extension (.xlsx, .csv, .pdf, .docx); without --instrument, the prodi's
own instrument (for a jurusan, the one all its prodi share). The file is written beside the target
and moved into place, so a failed run leaves no half-written file. Prints the rows of each table
and, on stderr, the activities whose only evidence is their agreement.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simkerma.kpis.management.commands.kpi import year_argument
from simkerma.org.models import Instrument, Prodi, Unit
from simkerma.reports.framework import ReportParams, get_exporter
from simkerma.reports.renderers import get_format, render

INSTRUMENTS = {value: f"lkps_{value}" for value in Instrument.values}


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Counted:
    """A table's rows passed through as they are written, counted."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for row in self.rows:
            self.count += 1
            yield row


class Command(BaseCommand):
    help = (
        "Write the LKPS cooperation tables (IAPS 4.0, LAM INFOKOM or LAM Teknik) of a prodi or a jurusan "
        "for TS-2..TS to PATH; the format is the extension (.xlsx, .csv, .pdf, .docx)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prodi", help="The prodi's code.")
        parser.add_argument("--unit", help="A jurusan's code: every activity counting for it or its prodi.")
        parser.add_argument("--ts", type=year_argument, required=True, help="The year TS (the window is TS-2..TS).")
        parser.add_argument("--instrument", help="One of: " + ", ".join(INSTRUMENTS) + " (default: the prodi's).")
        parser.add_argument("--output", required=True, help="The file to write: .xlsx, .csv, .pdf or .docx.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        fmt = path.suffix.lower().lstrip(".")
        found = get_format(fmt)
        if found is None:
            raise _refuse(f"{path.name}: unknown format {path.suffix or '(none)'}; use .xlsx, .csv, .pdf or .docx.")
        if importlib.util.find_spec(f"simkerma.reports.renderers.{found.module}") is None:
            raise _refuse(f"{found.label} is not available in this version; use .xlsx or .csv.")
        if path.is_dir() or not path.parent.is_dir():
            raise _refuse(f"{path} is a folder or its folder does not exist; give the path of the file to write.")
        params = self._params(options)
        instrument = options["instrument"] or self._instrument(params)
        if instrument not in INSTRUMENTS:
            raise _refuse(f"Unknown instrument {instrument!r}; use one of: {', '.join(INSTRUMENTS)}.")
        exporter = get_exporter(INSTRUMENTS[instrument])
        if exporter is None:
            raise _refuse(f"The {instrument} tables are not available in this version.")
        report = exporter.build(params)
        counted = []
        for table in report.tables:
            table.rows = Counted(table.rows)
            counted.append(table)
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("wb") as output:
                render(report, fmt, output)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        for warning in report.warnings:
            self.stderr.write(warning.message)
        for table in counted:
            rows = table.rows.count if isinstance(table.rows, Counted) else 0
            self.stdout.write(f"{table.key}  {table.title}: {rows} rows")
        self.stdout.write(f"{report.subtitle}: written to {path}.")

    def _params(self, options: dict[str, Any]) -> ReportParams:
        if bool(options["prodi"]) == bool(options["unit"]):
            raise _refuse("Give either --prodi or --unit (a jurusan), not both.")
        if options["prodi"]:
            prodi = Prodi.objects.select_related("unit").filter(code=options["prodi"].strip()).first()
            if prodi is None:
                codes = ", ".join(Prodi.objects.order_by("code").values_list("code", flat=True)) or "(none)"
                raise _refuse(f"There is no prodi {options['prodi']!r}; the prodi are: {codes}.")
            return ReportParams(options["ts"], prodi=prodi)
        jurusan = Unit.objects.filter(kind=Unit.Kind.JURUSAN)
        unit = jurusan.filter(code=options["unit"].strip()).first()
        if unit is None:
            codes = ", ".join(jurusan.order_by("code").values_list("code", flat=True)) or "(none)"
            raise _refuse(f"There is no jurusan {options['unit']!r}; the jurusan are: {codes}.")
        return ReportParams(options["ts"], unit=unit)

    def _instrument(self, params: ReportParams) -> str:
        if params.prodi is not None:
            return str(params.prodi.instrument)
        used = set(Prodi.objects.filter(unit=params.unit).values_list("instrument", flat=True))
        if len(used) == 1:
            return str(used.pop())
        raise _refuse(
            f"The prodi of {params.unit} use different instruments or none; give --instrument, one of: "
            f"{', '.join(INSTRUMENTS)}."
        )

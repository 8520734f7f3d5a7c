"""`manage.py export_workbook PATH [--year Y] [--force] [--user NAME]`: write the data workbook.

The same workbook `import_workbook` and the web import page read (docs/workbook.md), for everything
or for one year, with a progress bar per sheet on stderr and the rows written per sheet at the end.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from simkerma.imports.exporter import export_workbook
from simkerma.imports.selectors import SHELL
from simkerma.kpis.management.commands.kpi import year_argument


class SheetBars:
    """One tqdm bar per sheet, on stderr."""

    def __init__(self, stream: Any, disable: bool) -> None:
        self.stream = stream
        self.disable = disable
        self.bar: tqdm[Any] | None = None

    def __call__(self, sheet: str, done: int, total: int) -> None:
        if done == 0:
            self.close()
            self.bar = tqdm(total=total, desc=sheet.ljust(8), unit=" baris", file=self.stream, disable=self.disable)
        elif self.bar is not None:
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "Write the data workbook (Unit, Prodi, Mitra, Dokumen, Kegiatan, Layanan, Evaluasi) to PATH, "
        "for everything or for one year. Refuses to overwrite a file unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Where to write the .xlsx file.")
        parser.add_argument("--year", type=year_argument, help="Only this year's records (and what they name).")
        parser.add_argument("--force", action="store_true", help="Overwrite PATH if it exists.")
        parser.add_argument(
            "--user", help="Export as this account (its role must allow exporting); by default, as the operator."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if path.is_dir():
            raise CommandError(f"{path} is a folder; give the path of the .xlsx file to write.")
        if path.exists() and not options["force"]:
            raise CommandError(f"{path} exists already; add --force to overwrite it.")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        user: Any = SHELL
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"There is no account named {options['user']!r}.")
        bars = SheetBars(self.stderr._out, disable=options["no_progress"])
        # Written beside the target and moved into place, so a failed export leaves no half-written file.
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("wb") as output:
                counts = export_workbook(output=output, user=user, year=options["year"], progress=bars)
            os.replace(partial, path)
        except PermissionDenied:
            raise CommandError(f"The account {options['user']!r} may not export the data workbook.") from None
        finally:
            bars.close()
            partial.unlink(missing_ok=True)
        for warning in counts.warnings:
            self.stderr.write(warning)
        width = max(len(sheet) for sheet in counts.rows)
        for sheet, rows in counts.rows.items():
            self.stdout.write(f"{sheet.ljust(width)}  {rows}")
        self.stdout.write(f"{counts.total} rows written to {path}.")

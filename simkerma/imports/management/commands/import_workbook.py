"""`manage.py import_workbook PATH [--dry-run] [--user NAME]`: import the data workbook.

Reads the workbook `export_workbook` writes (docs/workbook.md), with a progress bar on stderr,
prints the records created, updated and unchanged per sheet and every problem at its place. Exit
status 0 when the workbook was imported (or, with --dry-run, would be), 1 when it was refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from simkerma.imports.services import ImportResult, workbook_import

STAGES = {"read": "read", "check": "check", "write": "write"}


class StageBar:
    """One tqdm bar per stage of the import, on stderr."""

    def __init__(self, stream: Any, disable: bool | None) -> None:
        self.stream = stream
        self.disable = disable
        self.stage = ""
        self.bar: tqdm[Any] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage or self.bar is None:
            self.close()
            self.stage = stage
            unit = " rows"
            self.bar = tqdm(
                total=total, desc=STAGES.get(stage, stage).ljust(6), unit=unit, file=self.stream, disable=self.disable
            )
        if total != self.bar.total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "Import the data workbook (Unit, Prodi, Mitra, Dokumen, Kegiatan, Layanan, Evaluasi) from PATH. "
        "Nothing is saved when any row is refused; --dry-run checks without saving."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The .xlsx file to import.")
        parser.add_argument("--dry-run", action="store_true", help="Check the workbook and report; save nothing.")
        parser.add_argument(
            "--user", help="Import as this account (Staf, Kapokja or administrator); by default, as the operator."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("%(path)s is not a file.") % {"path": path}, returncode=1)
        user = None
        if options.get("user"):
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(
                    _("There is no account %(name)s.") % {"name": options["user"]}, returncode=1
                ) from None
        # Shown in a terminal; left out when stderr is not one (tqdm decides), or with --no-progress.
        bar = StageBar(self.stderr._out, disable=True if options["no_progress"] else None)
        try:
            result = workbook_import(file=path, user=user, dry_run=options["dry_run"], progress=bar)
        except PermissionDenied:
            raise CommandError(_("This account may not import workbooks."), returncode=1) from None
        finally:
            bar.close()
        self.report(result, dry_run=options["dry_run"])
        if not result.ok:
            raise CommandError(
                _("The workbook was refused: %(count)s problems. Nothing was saved.") % {"count": len(result.problems)},
                returncode=1,
            )

    def report(self, result: ImportResult, *, dry_run: bool) -> None:
        for counts in result.counts:
            self.stdout.write(
                _("%(sheet)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
                % {
                    "sheet": counts.sheet,
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
        for warning in result.warnings:
            self.stderr.write(
                _("Warning: %(place)s: %(message)s") % {"place": warning.place, "message": warning.message}
            )
        for problem in result.problems:
            self.stderr.write(f"{problem.place}: {problem.message}")
        if result.ok:
            if dry_run:
                self.stdout.write(_("Dry run: the workbook can be imported; nothing was saved."))
            else:
                self.stdout.write(self.style.SUCCESS(_("The workbook was imported.")))

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from simkerma.core.backup import BackupError, RestoreResult, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup`: check every member against the manifest, load the "
        "database, put the uploaded files back, then check the table counts and file checksums again. "
        "Refuses a database that is not empty unless --force. Stop the web server and the worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of a database and file storage that are not empty.",
        )

    def handle(self, *args: Any, archive: Path, force: bool = False, **options: Any) -> None:
        try:
            result = backup_restore(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error), returncode=2 if error.refused else 1) from None
        self.report(archive, result)
        if not result.ok:
            raise CommandError(_("The restored data does not match the archive."), returncode=1)

    def report(self, archive: Path, result: RestoreResult) -> None:
        self.stdout.write(
            _("Restored %(archive)s (made %(created)s, %(vendor)s).")
            % {"archive": archive.name, "created": result.created_at, "vendor": result.vendor}
        )
        values: dict[str, object] = {"tables": result.tables, "rows": result.rows}
        if result.count_mismatches:
            self.stdout.write(_("Database: %(tables)d tables; these counts differ from the archive:") % values)
            for line in result.count_mismatches:
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write(
                _("Database: %(tables)d tables, %(rows)d rows; every count matches the archive.") % values
            )
        values = {"files": result.files, "size": filesizeformat(result.file_bytes)}
        if result.file_mismatches:
            self.stdout.write(_("Files: %(files)d (%(size)s); these differ from the archive:") % values)
            for line in result.file_mismatches:
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write(_("Files: %(files)d (%(size)s); every checksum matches the archive.") % values)
        if result.tables_left:
            self.stdout.write(
                _("Tables not in the archive were left as they were: %(tables)s.")
                % {"tables": ", ".join(result.tables_left)}
            )
        if result.unapplied_migrations:
            self.stdout.write(
                _("The archive is older than this version: run `manage.py migrate` (%(count)d migrations to apply).")
                % {"count": result.unapplied_migrations}
            )

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from simkerma.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive (simkerma-backup-YYYYmmdd-HHMMSS.tar) holding the database dump (pg_dump's "
        "custom format, or SQLite's online backup), every uploaded file and a manifest with their "
        "checksums and the table counts. Prints the archive's path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="Directory for the archive (SIMKERMA_BACKUP_DIR by default)."
        )

    def handle(self, *args: Any, output: Path | None = None, **options: Any) -> None:
        try:
            result = backup_create(output_dir=output or Path(settings.SIMKERMA_BACKUP_DIR))
        except BackupError as error:
            raise CommandError(str(error), returncode=2 if error.refused else 1) from None
        if options["verbosity"] > 1:
            self.stderr.write(
                _("%(tables)d tables, %(rows)d rows, %(files)d files (%(size)s).")
                % {
                    "tables": result.tables,
                    "rows": result.rows,
                    "files": result.files,
                    "size": filesizeformat(result.file_bytes),
                }
            )
        self.stdout.write(str(result.path))

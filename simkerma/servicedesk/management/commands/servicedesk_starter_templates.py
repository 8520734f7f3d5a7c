import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from simkerma.servicedesk.starter_templates import BUILDERS, starter_template_path


class Command(BaseCommand):
    help = "Build the starter MoU/MoA/IA draft templates (and copy them to a directory, to adapt in Word)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, help="Also copy the templates into this directory.")

    def handle(self, *args: Any, to: Path | None = None, **options: Any) -> None:
        for kind in BUILDERS:
            path = starter_template_path(kind)
            if to is not None:
                to.mkdir(parents=True, exist_ok=True)
                path = Path(shutil.copyfile(path, to / f"simkerma-{kind}.docx"))
            self.stdout.write(f"{kind}: {path}")

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from simkerma.site.seeding import SCALES, database_is_empty, seed


class Command(BaseCommand):
    help = (
        "Fill an empty database with deterministic synthetic data for benchmarks: small (one polytechnic, "
        "three years) or large (200 prodi, 20,000 partners, 60,000 agreements, 600,000 activities, "
        "300,000 service requests, ten years)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument(
            "--seed", dest="random_seed", type=int, default=17, help="The random seed (the same seed, the same data)."
        )
        parser.add_argument("--no-progress", action="store_true", help="Show no progress bar.")

    def handle(self, *args: Any, scale: str, random_seed: int, no_progress: bool, **options: Any) -> None:
        if not database_is_empty():
            raise CommandError(
                _("The database already holds data; seed_benchmark only fills an empty one."), returncode=2
            )
        chosen = SCALES[scale]
        # Shown in a terminal; left out when stderr is not one (tqdm decides), or with --no-progress.
        bar = tqdm(
            total=chosen.activities + 7, unit=" steps", file=self.stderr._out, disable=True if no_progress else None
        )
        done = {"activities": 0}

        def progress(step: str, count: int) -> None:
            bar.set_description(step)
            if step == "activities":
                bar.update(count - done["activities"])
                done["activities"] = count
            else:
                bar.update(1)

        try:
            written = seed(chosen, seed=random_seed, progress=progress)
        finally:
            bar.close()
        self.stdout.write(_("Seeded the %(scale)s scale:") % {"scale": scale})
        for name, value in written.items():
            self.stdout.write(f"  {name:<20} {value:>9,}")

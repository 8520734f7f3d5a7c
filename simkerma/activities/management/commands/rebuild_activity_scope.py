from typing import Any

from django.core.management.base import BaseCommand

from simkerma.activities.models import ActivityProdiScope
from simkerma.activities.scope import rebuild_scope


class Command(BaseCommand):
    help = (
        "Recompute the activity scope table (the units and prodi each activity counts for) from scratch. "
        "The services keep it current; run this after writing activities or agreements in bulk."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        units = rebuild_scope()
        prodi = ActivityProdiScope.objects.count()
        self.stdout.write(f"{units} unit rows, {prodi} prodi rows")

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(*, using: str = "default", **kwargs: Any) -> None:
    """The database cache's table (settings.CACHES), made on every migrate; a no-op when it exists."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "simkerma.core"
    label = "core"

    def ready(self) -> None:
        from simkerma.core.search_index import restore_sqlite_triggers

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="simkerma.core.create_cache_table")
        # Without a sender: it must run after every app's migrations, whichever rebuilt a table.
        post_migrate.connect(restore_sqlite_triggers, dispatch_uid="simkerma.core.restore_search_triggers")

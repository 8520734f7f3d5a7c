from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from simkerma.site.demo import DEMO_PASSWORD, demo_is_needed, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo institution (Polibatam), demo partners, agreements, one login per role and three "
        "years of history (activities, service requests, evaluations, surveys)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing unless the database is empty.")

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if not demo_is_needed():
            if if_empty:
                self.stdout.write("Database already holds data; demo not loaded.")
                return
            self.stderr.write("The database is not empty; the demo is only loaded into an empty database.")
            raise SystemExit(1)
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo institution loaded (marked as demo data)."))
        self.stdout.write(f"Demo logins, all with the password {DEMO_PASSWORD!r}:")
        for username, role in logins:
            self.stdout.write(f"  {username:<10} {role}")

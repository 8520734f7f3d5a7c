import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date

from simkerma.archive.models import CooperationReport, DisposalRecord


class Command(BaseCommand):
    help = (
        "List archived records whose retention date has come (retention_until <= today). "
        "Nothing is disposed of here: disposal is requested and approved in the application."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--date", help="Check as of this date (YYYY-MM-DD) instead of today.")

    def handle(self, *args: Any, **options: Any) -> None:
        on: dt.date = parse_date(options.get("date") or "") or timezone.localdate()
        due = (
            CooperationReport.objects.due_for_disposal(on)
            .select_related("agreement")
            .order_by("retention_until", "code", "version")
        )
        pending = set(
            DisposalRecord.objects.filter(status=DisposalRecord.Status.REQUESTED).values_list("report_id", flat=True)
        )
        rows = [
            {
                "type": "report",
                "id": report.pk,
                "identifier": report.identifier,
                "title": report.title,
                "agreement": report.agreement.number,
                "status": report.status,
                "archived_at": timezone.localtime(report.archived_at).date().isoformat()
                if report.archived_at
                else None,
                "retention_until": report.retention_until.isoformat() if report.retention_until else None,
                "disposal_requested": report.pk in pending,
            }
            for report in due
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"date": on.isoformat(), "due": rows}, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write(f"No record is due for disposal on {on.isoformat()}.")
            return
        self.stdout.write(f"{len(rows)} record(s) due for disposal on {on.isoformat()}:")
        for row in rows:
            flag = " [disposal requested]" if row["disposal_requested"] else ""
            self.stdout.write(f"  {row['retention_until']}  {row['identifier']}  {row['title']}{flag}")

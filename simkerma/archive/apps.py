from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "simkerma.archive"
    label = "archive"
    verbose_name = _("Archive")

    def ready(self) -> None:
        from simkerma.activities.selectors import ACTIVITY_REPORTS, register_reports_to_archive
        from simkerma.archive.models import CooperationReport
        from simkerma.core.versions import watch

        # The team's "reports to write" is cached until a report or the activities it names change.
        watch(ACTIVITY_REPORTS, CooperationReport)

        # The team's home panel lists filed reports waiting to be archived.
        register_reports_to_archive(
            lambda: (
                CooperationReport.objects.filter(status=CooperationReport.Status.DRAFT)
                .select_related("agreement")
                .order_by("created_at", "pk")
            )
        )

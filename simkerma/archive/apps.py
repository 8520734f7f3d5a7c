from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "simkerma.archive"
    label = "archive"
    verbose_name = _("Archive")

    def ready(self) -> None:
        from simkerma.activities.selectors import register_reports_to_archive
        from simkerma.archive.models import CooperationReport

        # The team's home panel lists filed reports waiting to be archived.
        register_reports_to_archive(
            lambda: (
                CooperationReport.objects.filter(status=CooperationReport.Status.DRAFT)
                .select_related("agreement")
                .order_by("created_at", "pk")
            )
        )

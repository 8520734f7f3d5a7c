from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "simkerma.imports"
    label = "imports"
    verbose_name = _("Data exchange (workbook)")

    def ready(self) -> None:
        from simkerma.core.jobs import register_job_runner
        from simkerma.imports.jobs import run_next_import_job

        register_job_runner("imports", run_next_import_job)

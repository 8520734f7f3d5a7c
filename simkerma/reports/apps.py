import importlib
import pkgutil

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "simkerma.reports"
    label = "reports"
    verbose_name = _("Official reports")

    def ready(self) -> None:
        # Each exporter is one module in simkerma.reports.exporters that registers itself.
        from simkerma.reports import exporters

        for module in pkgutil.iter_modules(exporters.__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{exporters.__name__}.{module.name}")

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "fupin.ingest"
    label = "ingest"
    verbose_name = _("Import and export")

    def ready(self):
        # Each app declares its registry in <app>/ingest.py (fupin/poverty/ingest.py: households).
        autodiscover_modules("ingest")

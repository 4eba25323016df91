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
        # The "Import" button on each registry's list page (core cannot import ingest).
        from fupin.core import import_links
        from fupin.ingest import registry

        for spec in registry.all_registries():
            import_links.register(spec.model._meta.label_lower, spec.verbose_name,
                                  f"ingest:{spec.name}_upload")

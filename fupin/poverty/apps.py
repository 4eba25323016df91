from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PovertyConfig(AppConfig):
    name = "fupin.poverty"
    label = "poverty"
    verbose_name = _("Poverty registry")

    def ready(self) -> None:
        # Declares the procedures' configurable rules (params) and registers the region panel.
        from fupin.poverty import services, workflows
        from fupin.regions import panels

        panels.register(workflows.lazy_region_panel)
        services.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "fupin.analytics"
    label = "analytics"
    verbose_name = _("analytics")

    def ready(self) -> None:
        from fupin.analytics import panels, party_figures, signals  # noqa: F401  (panels registers itself)

        party_figures.register()
        signals.connect()

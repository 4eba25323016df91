from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "fupin.analytics"
    label = "analytics"
    verbose_name = _("analytics")

    def ready(self) -> None:
        from fupin.analytics import panels, party_figures, signals  # noqa: F401  (panels registers itself)

        party_figures.register()
        from fupin.analytics import indicators, rollups
        from fupin.core import figures

        def read(name, region_code, period, key):
            stored = rollups.values([region_code], [name], period=None)[region_code]
            return rollups.figure(stored, name, indicators.NOW if period is None else period, key)

        figures.set_reader(read)
        figures.set_names(indicators.INDICATORS)
        signals.connect()
        from fupin.analytics import home
        from fupin.core import panels as page_panels

        page_panels.register(home.province_panel, page="home")
        page_panels.register(home.levels_panel, page="home")

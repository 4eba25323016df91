from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "fupin.party"
    label = "party"
    verbose_name = _("Party building")

    def ready(self) -> None:
        from fupin.party import rules  # noqa: F401  (declares the configurable rules)
        from fupin.core import panels
        from fupin.party import home

        panels.register(home.meetings_panel, page="home")

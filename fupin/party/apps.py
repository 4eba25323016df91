from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "fupin.party"
    label = "party"
    verbose_name = _("Party building")

    def ready(self) -> None:
        from fupin.core import panels
        from fupin.party import home, rules  # noqa: F401  (rules declares the configurable rules)

        panels.register(home.meetings_panel, page="home")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocracyConfig(AppConfig):
    name = "fupin.democracy"
    label = "democracy"
    verbose_name = _("village democracy")

    def ready(self) -> None:
        from fupin.democracy.openness import setup as openness_setup

        openness_setup.ready()

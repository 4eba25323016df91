from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "fupin.supervision"
    label = "supervision"
    verbose_name = _("supervision")

    def ready(self) -> None:
        from fupin.supervision.assessment import setup as assessment_setup

        assessment_setup.ready()

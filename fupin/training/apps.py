from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "fupin.training"
    label = "training"
    verbose_name = _("training")

    def ready(self) -> None:
        pass

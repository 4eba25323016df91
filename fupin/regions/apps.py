from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "fupin.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self):
        from fupin.core import directory
        from fupin.regions.models import Level, Region

        def lookup(codes):
            return {code: directory.Entry(code, name, level, Level(level).label)
                    for code, name, level in Region._base_manager.filter(
                        code__in=list(codes)).values_list("code", "name", "level")}

        directory.provide(lookup, lambda level: Level(level).label)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PovertyConfig(AppConfig):
    name = "fupin.poverty"
    label = "poverty"
    verbose_name = _("Poverty registry")

    def ready(self) -> None:
        # Declares the procedures' configurable rules (params), registers the region panel,
        # and names the key villages for the demo users (accounts sits below poverty).
        from fupin.accounts import demo as accounts_demo
        from fupin.core import panels
        from fupin.poverty import services, workflows

        panels.register(workflows.lazy_region_panel)
        from fupin.poverty import home

        panels.register(home.procedures_panel, page="home")
        services.connect()
        accounts_demo.featured_villages(key_villages)


def key_villages() -> list[str]:
    from fupin.poverty.models import VillageProfile

    return list(VillageProfile._base_manager.filter(is_key_village=True)
                .values_list("region_code", flat=True))

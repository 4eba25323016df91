from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "fupin.assistance"
    label = "assistance"
    verbose_name = _("assistance")

    def ready(self) -> None:
        from fupin.assistance import policy, rules  # noqa: F401  (rules declares parameters)

        policy.register()
        from fupin.assistance.views import household_panel, org_panel, region_panel
        from fupin.core import panels

        panels.register(region_panel)
        panels.register(household_panel, page="household")
        panels.register(org_panel, page="partyorg")
        from fupin.assistance import home

        for panel in (home.helper_panel, home.team_panel, home.gaps_panel):
            panels.register(panel, page="home")

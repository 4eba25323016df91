"""The navigation menu, as data: every page of the design, shown only when built and permitted.

Each role sees on the bar only what it uses day to day (`DAILY`); every other page it may open
is one click away under "More" (更多), grouped by module. A page has one label, the same in the
menu and in its title: a list page's label is its model's plural name (the list's title), so
the two cannot drift apart; other pages name their label here and use it as their title
(fupin/web/tests/test_navigation.py opens every item for every role and compares).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from fupin.core.policy import Role, can, role_of

# Roles that work with the API (scripts, the province's own systems): they see the API tokens
# and the API documentation in their menu. Others reach neither from the menu.
API_ROLES = frozenset({Role.ADMIN, Role.ORG_DEPT, Role.POVERTY_OFFICE})


@dataclass
class Item:
    label: str | None  # None: the model's plural name, the title of its list page
    url_name: str
    model: str | None = None  # policy label; None = any logged-in user
    roles: frozenset[str] | None = None  # None: every role the policy lets view the model

    def text(self) -> str:
        if self.label is not None:
            return str(self.label)
        return str(capfirst(apps.get_model(self.model)._meta.verbose_name_plural))


@dataclass
class Group:
    label: str
    icon: str
    items: list[Item] = field(default_factory=list)


MENU = [
    Group(_("Regions"), "map", [
        Item(_("Region tree"), "regions:region_list", "regions.region"),
        Item(None, "regions:regionchange_list", "regions.regionchange"),
    ]),
    # Modules of design.md that are not built yet have no URL and stay hidden.
    Group(_("Poverty registry"), "home-heart", [
        Item(None, "poverty:household_list", "poverty.household"),
        Item(None, "poverty:person_list", "poverty.person"),
        Item(None, "poverty:villageprofile_list", "poverty.villageprofile"),
        Item(None, "poverty:procedure_list", "poverty.procedure"),
        Item(None, "poverty:incomerecord_list", "poverty.incomerecord"),
        Item(None, "poverty:crosschecklead_list", "poverty.crosschecklead"),
        Item(None, "poverty:povertyline_list", "poverty.povertyline"),
    ]),
    Group(_("Party building"), "flag", [
        Item(None, "party:partyorg_list", "party.partyorg"),
        Item(None, "party:partymember_list", "party.partymember"),
        Item(None, "party:orgmeeting_list", "party.orgmeeting"),
        Item(_("Organization life: shortfalls"), "party:shortfalls", "party.partyorg"),
        Item(None, "party:transfer_list", "party.transfer"),
        Item(None, "party:mobilemembership_list", "party.mobilemembership"),
        Item(_("Mobile members not contacted"), "party:uncontacted", "party.mobilemembership"),
        Item(None, "party:servicestation_list", "party.servicestation"),
        Item(None, "party:commitment_list", "party.commitment"),
        Item(None, "party:memberpost_list", "party.memberpost"),
        Item(None, "party:responsibilityzone_list", "party.responsibilityzone"),
        Item(None, "party:carevisit_list", "party.carevisit"),
        Item(None, "party:committee_list", "party.committee"),
        Item(None, "party:cadre_list", "party.cadre"),
        Item(None, "party:cadreposition_list", "party.cadreposition"),
        Item(_("Village cadres: derived figures"), "party:cadre_derived", "party.cadreposition"),
        Item(None, "party:cadrecareer_list", "party.cadrecareer"),
        Item(None, "party:cadrewelfare_list", "party.cadrewelfare"),
        Item(None, "party:election_list", "party.election"),
    ]),
    Group(_("Assistance"), "heart-handshake", [
        Item(_("Coverage gaps"), "assistance:gaps"),
        Item(None, "assistance:pairing_list", "assistance.pairing"),
        Item(None, "assistance:visit_list", "assistance.visit"),
        Item(None, "assistance:measure_list", "assistance.measure"),
        Item(None, "assistance:workteam_list", "assistance.workteam"),
        Item(None, "assistance:workteammember_list", "assistance.workteammember"),
        Item(None, "assistance:presence_list", "assistance.presence"),
        Item(None, "assistance:worklogentry_list", "assistance.worklogentry"),
        Item(None, "assistance:contactpoint_list", "assistance.contactpoint"),
        Item(None, "assistance:contactvisit_list", "assistance.contactvisit"),
        Item(None, "assistance:branchpairing_list", "assistance.branchpairing"),
        Item(None, "assistance:villageplan_list", "assistance.villageplan"),
        Item(None, "assistance:planfunding_list", "assistance.planfunding"),
        Item(None, "assistance:planproject_list", "assistance.planproject"),
        Item(None, "assistance:enterprise_list", "assistance.enterprise"),
        Item(None, "assistance:industryproject_list", "assistance.industryproject"),
        Item(None, "assistance:industrybenefit_list", "assistance.industrybenefit"),
        Item(None, "assistance:resettlementsite_list", "assistance.resettlementsite"),
        Item(None, "assistance:relocation_list", "assistance.relocation"),
        Item(None, "assistance:chunhuienvoy_list", "assistance.chunhuienvoy"),
        Item(None, "assistance:chunhuicontribution_list", "assistance.chunhuicontribution"),
    ]),
    Group(_("Training"), "school", [Item(None, "training:course_list", "training.course")]),
    Group(_("Village democracy"), "users-group", [
        Item(None, "democracy:disclosure_list", "democracy.disclosure")]),
    Group(_("Supervision"), "clipboard-check", [
        Item(None, "supervision:inspection_list", "supervision.inspection")]),
    Group(_("Analytics"), "chart-bar", [
        Item(_("Dashboard"), "analytics:dashboard_home")]),
    Group(_("System"), "settings", [
        Item(None, "accounts:user_list", "accounts.user"),
        Item(None, "core:changerecord_list", "core.changerecord"),
        Item(None, "accounts:apitoken_list", "accounts.apitoken", roles=API_ROLES),
        Item(_("API documentation"), "api:openapi-view", roles=API_ROLES),
    ]),
]

# What each role opens day to day, in the order shown on the bar (pages it may not open, or
# not built yet, drop out); everything else it may open sits under "More".
DAILY: dict[str, tuple[str, ...]] = {
    Role.HELPER: ("poverty:household_list", "assistance:visit_list", "assistance:measure_list"),
    Role.VILLAGE: ("poverty:household_list", "poverty:procedure_list", "party:orgmeeting_list",
                   "party:partymember_list", "assistance:gaps", "assistance:visit_list",
                   "democracy:disclosure_list"),
    Role.WORK_TEAM: ("assistance:presence_list", "assistance:worklogentry_list",
                     "assistance:visit_list", "poverty:household_list",
                     "assistance:measure_list", "assistance:gaps"),
    Role.TOWNSHIP: ("poverty:household_list", "poverty:procedure_list", "assistance:gaps",
                    "party:shortfalls", "party:partyorg_list", "analytics:dashboard_home",
                    "regions:region_list"),
    Role.ORG_DEPT: ("party:partyorg_list", "party:partymember_list", "party:shortfalls",
                    "party:cadre_list", "assistance:workteam_list", "analytics:dashboard_home",
                    "regions:region_list"),
    Role.POVERTY_OFFICE: ("poverty:household_list", "poverty:procedure_list",
                          "poverty:crosschecklead_list", "assistance:gaps",
                          "assistance:pairing_list", "analytics:dashboard_home",
                          "regions:region_list"),
    Role.ADMIN: ("accounts:user_list", "core:changerecord_list", "regions:region_list",
                 "analytics:dashboard_home"),
    Role.INSPECTOR: ("core:changerecord_list", "assistance:gaps", "party:shortfalls",
                     "analytics:dashboard_home", "regions:region_list"),
    Role.VIEWER: ("analytics:dashboard_home", "regions:region_list"),
}
ICONS = {item.url_name: group.icon for group in MENU for item in group.items}


def _visible(item: Item, user, role: str) -> str | None:
    """The item's URL when this user sees it, else None."""
    if item.roles is not None and role not in item.roles:
        return None
    if item.model and not can(user, item.model, "view"):
        return None
    try:
        return reverse(item.url_name)
    except NoReverseMatch:
        return None


def menu_for(request) -> dict:
    """{"daily": [item, ...], "more": [group, ...]}: the bar's items, then the rest by group.
    An item is {"label", "url", "icon", "active"}."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"daily": [], "more": []}
    role = role_of(user)
    daily_names = DAILY.get(role, ())
    found: dict[str, dict] = {}
    more = []
    for group in MENU:
        items = []
        for item in group.items:
            url = _visible(item, user, role)
            if url is None:
                continue
            entry = {"label": item.text(), "url": url, "icon": group.icon,
                     "active": request.path.startswith(url)}
            if item.url_name in daily_names:
                found[item.url_name] = entry
            else:
                items.append(entry)
        if items:
            more.append({"label": group.label, "icon": group.icon, "items": items,
                         "active": any(i["active"] for i in items)})
    daily = [found[name] for name in daily_names if name in found]
    return {"daily": daily, "more": more, "more_active": any(g["active"] for g in more)}


def items_for(request) -> list[dict]:
    """Every item of the user's menu, on the bar and under "More"."""
    menu = menu_for(request)
    return menu["daily"] + [item for group in menu["more"] for item in group["items"]]

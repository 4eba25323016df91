"""The navigation menu: every module of the design, shown only when built and permitted."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from fupin.core.policy import can


@dataclass
class Item:
    label: str
    url_name: str
    model: str | None = None  # policy label; None = any logged-in user
    icon: str = ""


@dataclass
class Group:
    label: str
    icon: str
    items: list[Item] = field(default_factory=list)


MENU = [
    Group(_("Regions"), "map", [
        Item(_("Region tree"), "regions:region_list", "regions.region"),
        Item(_("Region changes"), "regions:regionchange_list", "regions.regionchange"),
    ]),
    # Modules of design.md that are not built yet have no URL and stay hidden.
    Group(_("Poverty registry"), "home-heart", [
        Item(_("Households"), "poverty:household_list", "poverty.household"),
        Item(_("Persons"), "poverty:person_list", "poverty.person"),
        Item(_("Village profiles"), "poverty:villageprofile_list", "poverty.villageprofile"),
        Item(_("Procedures"), "poverty:procedure_list", "poverty.procedure"),
        Item(_("Income records"), "poverty:incomerecord_list", "poverty.incomerecord"),
        Item(_("Cross-check leads"), "poverty:crosschecklead_list", "poverty.crosschecklead"),
        Item(_("Poverty lines"), "poverty:povertyline_list", "poverty.povertyline"),
    ]),
    Group(_("Party building"), "flag", [
        Item(_("Party organizations"), "party:partyorg_list", "party.partyorg"),
        Item(_("Party members"), "party:partymember_list", "party.partymember"),
        Item(_("Organization meetings"), "party:orgmeeting_list", "party.orgmeeting"),
        Item(_("Organization life: shortfalls"), "party:shortfalls", "party.partyorg"),
        Item(_("Membership transfers"), "party:transfer_list", "party.transfer"),
        Item(_("Mobile members"), "party:mobilemembership_list", "party.mobilemembership"),
        Item(_("Mobile members not contacted"), "party:uncontacted", "party.mobilemembership"),
        Item(_("Service stations"), "party:servicestation_list", "party.servicestation"),
        Item(_("Commitments"), "party:commitment_list", "party.commitment"),
        Item(_("Member posts"), "party:memberpost_list", "party.memberpost"),
        Item(_("Responsibility zones"), "party:responsibilityzone_list",
             "party.responsibilityzone"),
        Item(_("Care visits"), "party:carevisit_list", "party.carevisit"),
        Item(_("Village committees"), "party:committee_list", "party.committee"),
        Item(_("Village cadres"), "party:cadre_list", "party.cadre"),
        Item(_("Cadre positions"), "party:cadreposition_list", "party.cadreposition"),
        Item(_("Village cadres: derived figures"), "party:cadre_derived", "party.cadreposition"),
        Item(_("Cadre careers"), "party:cadrecareer_list", "party.cadrecareer"),
        Item(_("Cadre welfare"), "party:cadrewelfare_list", "party.cadrewelfare"),
        Item(_("Elections"), "party:election_list", "party.election"),
    ]),
    Group(_("Assistance"), "heart-handshake", [
        Item(_("Coverage gaps"), "assistance:gaps"),
        Item(_("Household pairings"), "assistance:pairing_list", "assistance.pairing"),
        Item(_("Visits"), "assistance:visit_list", "assistance.visit"),
        Item(_("Assistance measures"), "assistance:measure_list", "assistance.measure"),
        Item(_("Work teams"), "assistance:workteam_list", "assistance.workteam"),
        Item(_("Work-team members"), "assistance:workteammember_list",
             "assistance.workteammember"),
        Item(_("Presence in the village"), "assistance:presence_list", "assistance.presence"),
        Item(_("Work log"), "assistance:worklogentry_list", "assistance.worklogentry"),
        Item(_("Contact points"), "assistance:contactpoint_list", "assistance.contactpoint"),
        Item(_("Contact-point visits"), "assistance:contactvisit_list",
             "assistance.contactvisit"),
        Item(_("Branch pairings"), "assistance:branchpairing_list", "assistance.branchpairing"),
        Item(_("Whole-village plans"), "assistance:villageplan_list", "assistance.villageplan"),
        Item(_("Plan funding"), "assistance:planfunding_list", "assistance.planfunding"),
        Item(_("Plan projects"), "assistance:planproject_list", "assistance.planproject"),
        Item(_("Enterprises"), "assistance:enterprise_list", "assistance.enterprise"),
        Item(_("Industry projects"), "assistance:industryproject_list",
             "assistance.industryproject"),
        Item(_("Industry benefits"), "assistance:industrybenefit_list",
             "assistance.industrybenefit"),
        Item(_("Resettlement sites"), "assistance:resettlementsite_list",
             "assistance.resettlementsite"),
        Item(_("Relocations"), "assistance:relocation_list", "assistance.relocation"),
        Item(_("Spring Sunshine envoys"), "assistance:chunhuienvoy_list",
             "assistance.chunhuienvoy"),
        Item(_("Spring Sunshine contributions"), "assistance:chunhuicontribution_list",
             "assistance.chunhuicontribution"),
    ]),
    Group(_("Training"), "school", [Item(_("Courses"), "training:course_list", "training.course")]),
    Group(_("Village democracy"), "users-group", [Item(_("Disclosures"), "democracy:disclosure_list", "democracy.disclosure")]),
    Group(_("Supervision"), "clipboard-check", [Item(_("Inspections"), "supervision:inspection_list", "supervision.inspection")]),
    Group(_("Analytics"), "chart-bar", [Item(_("Dashboards"), "analytics:dashboard_home", None)]),
    Group(_("System"), "settings", [
        Item(_("Users"), "accounts:user_list", "accounts.user"),
        Item(_("Change log"), "core:changerecord_list", "core.changerecord"),
        Item(_("API tokens"), "accounts:apitoken_list", "accounts.apitoken"),
        Item(_("API documentation"), "api:openapi-view", None),
    ]),
]


def menu_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    groups = []
    for group in MENU:
        items = []
        for item in group.items:
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            if item.model and not can(user, item.model, "view"):
                continue
            items.append({"label": item.label, "url": url, "active": request.path.startswith(url)})
        if items:
            groups.append({"label": group.label, "icon": group.icon, "items": items,
                           "active": any(i["active"] for i in items)})
    return groups

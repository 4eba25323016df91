"""The access policy: what each role may do with each model, inside its scope region.

One table, RULES, says per model which roles may view (v), add (a), change (c) and delete (d).
`restrict()` is how every page, API call, export and report gets its rows: it narrows a
queryset to the user's scope region (one indexed range on the model's region field) and to
the model's extra rule, if it has one (`policy_filter`, e.g. a helper's own households).
A model missing from RULES is visible to nobody, and the access-matrix test fails for its
URLs, so a new model cannot slip out without a rule.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.regions.scope import level_of, within


class Role:
    ADMIN = "admin"
    ORG_DEPT = "org_dept"
    POVERTY_OFFICE = "poverty_office"
    TOWNSHIP = "township"
    WORK_TEAM = "work_team"
    VILLAGE = "village"
    HELPER = "helper"
    INSPECTOR = "inspector"
    VIEWER = "viewer"

    CHOICES = [
        (ADMIN, _("administrator")),
        (ORG_DEPT, _("organization department")),
        (POVERTY_OFFICE, _("poverty alleviation office")),
        (TOWNSHIP, _("township cadre")),
        (WORK_TEAM, _("work-team member")),
        (VILLAGE, _("village secretary")),
        (HELPER, _("helper")),
        (INSPECTOR, _("inspector")),
        (VIEWER, _("viewer")),
    ]
    ALL = tuple(code for code, _label in CHOICES)


ALL = "*"

# model label -> role (or ALL) -> actions ("v", "a", "c", "d").
RULES: dict[str, dict[str, str]] = {
    "regions.region": {ALL: "v"},
    "regions.regionchange": {Role.ADMIN: "v", Role.ORG_DEPT: "v"},
    "accounts.user": {Role.ADMIN: "vacd", Role.ORG_DEPT: "v", Role.POVERTY_OFFICE: "v"},
    "accounts.apitoken": {ALL: "vacd"},
    "core.parameter": {ALL: "v", Role.ADMIN: "c"},
    # Import jobs: each user sees their own (ImportJob.policy_filter), administrators all.
    "ingest.importjob": {Role.ADMIN: "vacd", Role.ORG_DEPT: "va", Role.POVERTY_OFFICE: "va",
                         Role.TOWNSHIP: "va", Role.WORK_TEAM: "va", Role.VILLAGE: "va"},
    # Poverty registry. A helper sees only their paired households (fupin.assistance.policy).
    "poverty.povertyline": {ALL: "v", Role.ADMIN: "vacd", Role.POVERTY_OFFICE: "vac"},
    "poverty.villageprofile": {
        ALL: "v", Role.ADMIN: "vacd", Role.POVERTY_OFFICE: "vac", Role.TOWNSHIP: "vc",
        Role.VILLAGE: "vc", Role.WORK_TEAM: "vc"},
    **{label: {
        Role.ADMIN: "vacd", Role.ORG_DEPT: "v", Role.POVERTY_OFFICE: "vacd", Role.TOWNSHIP: "vac",
        Role.WORK_TEAM: "vac", Role.VILLAGE: "vac", Role.HELPER: "v", Role.INSPECTOR: "v",
        Role.VIEWER: "v"}
       for label in ("poverty.household", "poverty.person", "poverty.incomerecord",
                     "poverty.procedure", "poverty.procedurestep")},
    # Party building: the organization departments own it; townships and villages keep it.
    **{label: {
        Role.ADMIN: "vacd", Role.ORG_DEPT: "vacd", Role.TOWNSHIP: "vacd", Role.VILLAGE: "vac",
        Role.POVERTY_OFFICE: "v", Role.WORK_TEAM: "v", Role.INSPECTOR: "v", Role.VIEWER: "v"}
       for label in ("party.partyorg", "party.partymember", "party.memberpost",
                     "party.responsibilityzone", "party.commitment", "party.transfer",
                     "party.servicestation", "party.stationservice", "party.mobilemembership",
                     "party.carevisit", "party.orgmeeting", "party.committee", "party.cadre",
                     "party.cadreposition", "party.cadrecareer", "party.cadrewelfare",
                     "party.election", "party.candidate", "party.coveredregion")},
    # Assistance: teams and contact points are the organization departments'; pairings,
    # visits and measures are kept by whoever works with the households. A helper sees only
    # their own households and visits (fupin.assistance.policy adds that filter).
    **{label: {
        Role.ADMIN: "vacd", Role.ORG_DEPT: "vacd", Role.TOWNSHIP: "vac", Role.WORK_TEAM: "vc",
        Role.POVERTY_OFFICE: "v", Role.VILLAGE: "v", Role.INSPECTOR: "v", Role.VIEWER: "v"}
       for label in ("assistance.workteam", "assistance.workteammember",
                     "assistance.contactpoint", "assistance.contactvisit",
                     "assistance.branchpairing", "assistance.chunhuienvoy",
                     "assistance.chunhuicontribution")},
    **{label: {
        Role.ADMIN: "vacd", Role.ORG_DEPT: "vacd", Role.TOWNSHIP: "vacd", Role.WORK_TEAM: "vacd",
        Role.POVERTY_OFFICE: "v", Role.VILLAGE: "v", Role.INSPECTOR: "v", Role.VIEWER: "v"}
       for label in ("assistance.presence", "assistance.worklogentry")},
    "assistance.pairing": {
        Role.ADMIN: "vacd", Role.ORG_DEPT: "vac", Role.POVERTY_OFFICE: "vac", Role.TOWNSHIP: "vac",
        Role.WORK_TEAM: "vac", Role.VILLAGE: "v", Role.HELPER: "v", Role.INSPECTOR: "v",
        Role.VIEWER: "v"},
    "assistance.visit": {
        Role.ADMIN: "vacd", Role.ORG_DEPT: "v", Role.POVERTY_OFFICE: "vac", Role.TOWNSHIP: "vac",
        Role.WORK_TEAM: "vac", Role.VILLAGE: "vac", Role.HELPER: "vac", Role.INSPECTOR: "v",
        Role.VIEWER: "v"},
    "assistance.measure": {
        Role.ADMIN: "vacd", Role.ORG_DEPT: "v", Role.POVERTY_OFFICE: "vacd", Role.TOWNSHIP: "vacd",
        Role.WORK_TEAM: "vac", Role.VILLAGE: "vac", Role.HELPER: "v", Role.INSPECTOR: "v",
        Role.VIEWER: "v"},
    **{label: {
        Role.ADMIN: "vacd", Role.POVERTY_OFFICE: "vacd", Role.TOWNSHIP: "vac", Role.WORK_TEAM: "vc",
        Role.VILLAGE: "vc", Role.ORG_DEPT: "v", Role.INSPECTOR: "v", Role.VIEWER: "v"}
       for label in ("assistance.villageplan", "assistance.planfunding",
                     "assistance.planproject", "assistance.enterprise",
                     "assistance.industryproject", "assistance.industrybenefit",
                     "assistance.resettlementsite", "assistance.relocation")},
    "poverty.crosschecklead": {
        Role.ADMIN: "vacd", Role.POVERTY_OFFICE: "vac", Role.TOWNSHIP: "vc", Role.INSPECTOR: "v"},
    # Rollups are counts, no personal data: everyone reads those of their own scope.
    "analytics.rollup": {ALL: "v"},
    "core.changerecord": {
        Role.ADMIN: "v", Role.ORG_DEPT: "v", Role.POVERTY_OFFICE: "v", Role.INSPECTOR: "v",
        Role.TOWNSHIP: "v",
    },
    # --- training and remote education (fupin.training) ---

    # --- village democracy (fupin.democracy) ---

    # --- openness: disclosures, topic requests, the disclosure log (fupin.democracy.openness) ---

    # --- responsibility and supervision (fupin.supervision) ---

    # --- assessment (fupin.supervision.assessment) ---

}

# How much of each kind of personal data a role sees: FULL, LAST4 (`**************123X`: enough
# to tell two people apart or confirm a number someone reads out, not enough to use it), or
# MASKED (`5201**********123X`). A kind a role's row leaves out is masked. Granted by what the
# role's work needs, not by how senior it is. Addresses are not personal fields: a household's
# address is its village, which every role that sees the household sees.
# The kinds of personal data (models declare theirs in `personal_fields`) and the forms a
# value is shown in (fupin.core.masking draws them).
ID_NUMBER, PHONE, BANK_ACCOUNT, HEALTH = "id_number", "phone", "bank_account", "health"
KINDS = (ID_NUMBER, PHONE, BANK_ACCOUNT, HEALTH)
FULL, LAST4, MASKED = "full", "last4", "masked"
PERSONAL_DATA: dict[str, dict[str, str]] = {
    # Back-office fixes of any record, including wrong ID numbers and bank accounts.
    Role.ADMIN: {ID_NUMBER: FULL, PHONE: FULL, BANK_ACCOUNT: FULL, HEALTH: FULL},
    # Approves identifications and exits, pays benefits into bank accounts, arranges medical
    # assistance by health status: every kind.
    Role.POVERTY_OFFICE: {ID_NUMBER: FULL, PHONE: FULL, BANK_ACCOUNT: FULL, HEALTH: FULL},
    # Keeps party members' and cadres' files (the ID number is the file's key, transfers carry
    # it) and calls them; households' bank accounts and health are not its business.
    Role.ORG_DEPT: {ID_NUMBER: FULL, PHONE: FULL},
    # Review identifications (the ID number is what other registries are checked by) and call
    # households, members and cadres; payments and health stay with the poverty office.
    Role.TOWNSHIP: {ID_NUMBER: FULL, PHONE: FULL},
    Role.WORK_TEAM: {ID_NUMBER: FULL, PHONE: FULL},
    Role.VILLAGE: {ID_NUMBER: FULL, PHONE: FULL},
    # Visits and calls their own households: the phone in full; the last four digits of an ID
    # number to tell members apart and confirm one a member reads out; never bank accounts
    # (nothing a helper does needs one) nor health (the cause of poverty says what help is due).
    Role.HELPER: {PHONE: FULL, ID_NUMBER: LAST4},
    # Inspectors check that procedures were followed and viewers read figures: masked values
    # show a field is filled, which is all either needs.
    Role.INSPECTOR: {},
    Role.VIEWER: {},
}

ACTION_LETTERS = {"view": "v", "add": "a", "change": "c", "delete": "d"}


def model_label(model: type[Model] | Model) -> str:
    return model._meta.label_lower


def role_of(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    return getattr(user, "role", None)


def can(user, model: type[Model] | Model | str, action: str) -> bool:
    """May this user's role take `action` on `model` at all (anywhere in its scope)?"""
    role = role_of(user)
    if role is None:
        return False
    label = model if isinstance(model, str) else model_label(model)
    rule = RULES.get(label, {})
    letters = rule.get(role, "") + rule.get(ALL, "")
    return ACTION_LETTERS[action] in letters


def can_see(user, kind: str) -> str:
    """How `user` sees personal data of `kind`: FULL, LAST4 or MASKED (nobody: MASKED)."""
    return PERSONAL_DATA.get(role_of(user), {}).get(kind, MASKED)


def scope_code(user) -> str:
    """The user's scope region ('' for a superuser without one: everything)."""
    return getattr(user, "region_code", "") or ""


def restrict(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    model = queryset.model
    if not can(user, model, action):
        return queryset.none()
    code = scope_code(user)
    if not code and not getattr(user, "is_superuser", False):
        return queryset.none()
    region_field = getattr(model, "region_field", "region_code")
    scope_q = getattr(model, "scope_q", None)
    if scope_q is not None and code:
        # A record that belongs to several regions (a joint party org, a transfer between two
        # orgs) says itself which rows a scope holds; still a range condition on indexed codes.
        queryset = queryset.filter(pk__in=model._base_manager.filter(scope_q(code)).values("pk"))
    elif region_field is not None:
        queryset = queryset.filter(within(code, region_field))
    elif action != "view" and code and level_of(code) != 1:
        # Province-wide data (parameters, poverty lines): everyone reads it, only
        # province-level users change it.
        return queryset.none()
    extra = getattr(model, "policy_filter", None)
    if extra is not None:
        queryset = extra(queryset, user, action)
    for narrow in FILTERS.get(model_label(model), ()):
        queryset = narrow(queryset, user, action)
    return queryset


# model label -> extra narrowing functions (queryset, user, action) -> queryset, added by apps
# that know more about who may see a record than the record's own app does (a helper's own
# households are known to fupin.assistance, not to fupin.poverty).
FILTERS: dict[str, list] = {}


def add_filter(label: str, narrow) -> None:
    FILTERS.setdefault(label, []).append(narrow)


def is_visible(obj: Model, user, action: str = "view") -> bool:
    return restrict(type(obj)._base_manager.filter(pk=obj.pk), user, action).exists()

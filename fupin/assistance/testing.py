"""Sample makers for the generic and access-matrix tests: one record of each assistance model
inside a given region (see fupin.core.testing.SAMPLES).

A helper (role `helper`) sees only the households paired with their member record, so when
the user a sample is made for is a helper inside the region, the sample's household is paired
with them; `_pair_poverty_samples` does the same for the poverty registry's samples.
"""

from __future__ import annotations

import datetime
import itertools

from fupin.assistance import models as m
from fupin.core.context import acting_as
from fupin.core.policy import Role, role_of
from fupin.core.testing import adapt_samples, sample
from fupin.party.testing import make_member, make_org, member_of
from fupin.poverty.testing import make_household
from fupin.regions.scope import is_within

_seq = itertools.count(1)

D = datetime.date(2025, 3, 1)


def _create(model, region_code, **fields):
    with acting_as(None, label="test"):
        return model.objects.create(region_code=region_code, **fields)


def is_helper_here(user, region_code) -> bool:
    return role_of(user) == Role.HELPER and is_within(region_code, user.region_code)


def pair(household, helper, starts_on=D, **extra):
    return _create(m.Pairing, household.region_code, household=household, helper=helper,
                   starts_on=starts_on, **extra)


def helped_by(household, user):
    """Pair `household` with `user` when the user is a helper (a helper sees only the
    households paired with their member record) and it has no current helper yet."""
    if user is None or role_of(user) != Role.HELPER:
        return household
    if not m.Pairing._base_manager.filter(household=household, ends_on__isnull=True).exists():
        pair(household, member_of(user, household.region_code),
             starts_on=datetime.date(2020, 1, 1))
    return household


# The poverty samples whose rows a helper sees through their household's pairing.
_HOUSEHOLD_OF = {"poverty.household": lambda o: o, "poverty.person": lambda o: o.household,
                 "poverty.incomerecord": lambda o: o.household,
                 "poverty.procedure": lambda o: o.household}


@adapt_samples
def _pair_poverty_samples(label, instance, user):
    if label in _HOUSEHOLD_OF:
        helped_by(_HOUSEHOLD_OF[label](instance), user)


def helped_household(region_code, user=None, **extra):
    """A household in need; paired with `user` when they are a helper inside the region."""
    household = make_household(region_code, **extra)
    if user is not None and is_helper_here(user, region_code):
        helped_by(household, user)
    return household


def make_team(region_code, **extra):
    n = next(_seq)
    fields = {"name": f"第{n}驻村工作队", "dispatching_unit": "县农业农村局", "unit_level": "county",
              "starts_on": D, **extra}
    return _create(m.WorkTeam, region_code, **fields)


def make_team_member(team, **extra):
    n = next(_seq)
    fields = {"name": f"队员{n}", "role": "member", "unit": "县农业农村局",
              "phone": "13800001111", "starts_on": team.starts_on, **extra}
    return _create(m.WorkTeamMember, team.region_code, team=team, **fields)


def make_contact_point(region_code, **extra):
    fields = {"cadre_name": "王书记", "post": "县委书记", "level": "county", "starts_on": D,
              **extra}
    return _create(m.ContactPoint, region_code, **fields)


def make_plan(region_code, **extra):
    fields = {"name": "整村推进规划", "starts_year": 2025, "ends_year": 2027, **extra}
    return _create(m.VillagePlan, region_code, **fields)


def make_enterprise(region_code, **extra):
    fields = {"name": "绿源种养专业合作社", "kind": "cooperative", "business": "生猪养殖",
              **extra}
    return _create(m.Enterprise, region_code, **fields)


def make_project(region_code, **extra):
    enterprise = extra.pop("enterprise", None) or make_enterprise(region_code)
    fields = {"name": "生猪代养项目", "year": 2025, "funds": 500000, **extra}
    return _create(m.IndustryProject, region_code, enterprise=enterprise, **fields)


def make_site(region_code, **extra):
    fields = {"name": "城南安置点", "kind": "town", "capacity": 300, **extra}
    return _create(m.ResettlementSite, region_code, **fields)


def make_envoy(region_code, **extra):
    fields = {"name": "春晖使者", "lives_in": "广州", "occupation": "企业主",
              "phone": "13900002222", **extra}
    return _create(m.ChunhuiEnvoy, region_code, **fields)


# --- samples -----------------------------------------------------------------------------------
@sample("assistance.workteam")
def _team(region_code, user):
    return make_team(region_code, name="驻村工作队")


@sample("assistance.workteammember")
def _team_member(region_code, user):
    return make_team_member(make_team(region_code), name="张队员")


@sample("assistance.presence")
def _presence(region_code, user):
    member = make_team_member(make_team(region_code))
    return _create(m.Presence, region_code, team_member=member, month=D, days=22)


@sample("assistance.worklogentry")
def _log_entry(region_code, user):
    return _create(m.WorkLogEntry, region_code, team=make_team(region_code), logged_on=D,
                   text="入户走访五户")


@sample("assistance.contactpoint")
def _contact_point(region_code, user):
    return make_contact_point(region_code)


@sample("assistance.contactvisit")
def _contact_visit(region_code, user):
    return _create(m.ContactVisit, region_code, contact_point=make_contact_point(region_code),
                   visited_on=D, problems_raised="道路未硬化")


@sample("assistance.branchpairing")
def _branch_pairing(region_code, user):
    return _create(m.BranchPairing, region_code, village_org=make_org(region_code),
                   helping_org=make_org(region_code, name="县财政局机关党支部"),
                   helping_kind="organ", starts_on=D, agreed_actions="资助修建村活动室")


@sample("assistance.pairing")
def _pairing(region_code, user):
    household = make_household(region_code)
    helper = member_of(user, region_code) if is_helper_here(user, region_code) \
        else make_member(region_code)
    # An ended pairing (history is kept), so that its end reason can be filtered on.
    return pair(household, helper, ends_on=datetime.date(2025, 9, 30),
                end_reason="helper_changed", unit_level="county", helper_unit="县财政局")


@sample("assistance.visit")
def _visit(region_code, user):
    household = helped_household(region_code, user)
    visitor = member_of(user, region_code) if is_helper_here(user, region_code) else None
    return _create(m.Visit, region_code, household=household, visitor=visitor,
                   visitor_name="帮扶人", visited_on=D, findings="生活稳定")


@sample("assistance.measure")
def _measure(region_code, user):
    return _create(m.Measure, region_code, household=helped_household(region_code, user),
                   kind="industry", year=2025, description="发展生猪养殖")


@sample("assistance.villageplan")
def _plan(region_code, user):
    return make_plan(region_code)


@sample("assistance.planfunding")
def _funding(region_code, user):
    return _create(m.PlanFunding, region_code, plan=make_plan(region_code), source="fiscal",
                   amount=1000000)


@sample("assistance.planproject")
def _plan_project(region_code, user):
    return _create(m.PlanProject, region_code, plan=make_plan(region_code), name="通组路硬化",
                   investment=300000)


@sample("assistance.enterprise")
def _enterprise(region_code, user):
    return make_enterprise(region_code)


@sample("assistance.industryproject")
def _industry_project(region_code, user):
    return make_project(region_code)


@sample("assistance.industrybenefit")
def _benefit(region_code, user):
    return _create(m.IndustryBenefit, region_code, project=make_project(region_code),
                   household=make_household(region_code), kind="dividend", amount=800)


@sample("assistance.resettlementsite")
def _site(region_code, user):
    return make_site(region_code)


@sample("assistance.relocation")
def _relocation(region_code, user):
    return _create(m.Relocation, region_code, household=make_household(region_code),
                   site=make_site(region_code), moved_on=D, employed=1)


@sample("assistance.chunhuienvoy")
def _envoy(region_code, user):
    return make_envoy(region_code)


@sample("assistance.chunhuicontribution")
def _contribution(region_code, user):
    return _create(m.ChunhuiContribution, region_code, envoy=make_envoy(region_code),
                   kind="money", given_on=D, value=20000, description="捐资修路")

"""Assistance mechanisms (党建促扶贫): work teams stationed in villages, leading cadres' contact
points, branch and member pairing, visits, measures, village plans, industry projects,
relocation and Spring Sunshine.

Every record sits in the region it serves (`region_code`): a team, plan or contribution in its
village, a pairing, visit, measure, benefit or relocation in its household's village. A record
that involves a second region (the helping branch of a branch pairing, the resettlement site of
a relocation) is also visible in that region's scope through `scope_q`.
"""

from __future__ import annotations

import calendar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.assistance import choices as c
from fupin.core import bounds
from fupin.core.masking import PHONE
from fupin.core.models import ScopedModel
from fupin.regions.scope import within

MONEY = {"max_digits": 14, "decimal_places": 2}
YEAR = [MinValueValidator(1980), MaxValueValidator(2100)]


class Period(models.Model):
    """Start and end dates shared by terms, pairings and contact points; `ends_on` empty while
    it runs."""

    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_current(self, on) -> bool:
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    @staticmethod
    def current_q(on, prefix: str = "") -> Q:
        return Q(**{f"{prefix}starts_on__lte": on}) & (
            Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on}))


# --- work teams and contact points ------------------------------------------------------------

BOUNDS_WORK_TEAM = (bounds.at_least("ends_on", "starts_on"),)


class WorkTeam(ScopedModel, Period):
    """A work team stationed in a village (驻村工作队), sent by a unit for a term."""

    name = models.CharField(_("name"), max_length=100)
    dispatching_unit = models.CharField(_("dispatching unit"), max_length=100)
    unit_level = models.CharField(_("unit level"), max_length=10, choices=c.UnitLevel.choices)

    class Meta:
        ordering = ["region_code", "-starts_on"]
        verbose_name = _("work team")
        verbose_name_plural = _("work teams")
        constraints = bounds.constraints("assistance.WorkTeam", *BOUNDS_WORK_TEAM)

    def __str__(self) -> str:
        return self.name



BOUNDS_WORK_TEAM_MEMBER = (bounds.at_least("ends_on", "starts_on"),)


class WorkTeamMember(ScopedModel, Period):
    """A member of a work team (工作队员), the first secretary (第一书记) among them."""

    personal_fields = {"phone": PHONE}

    team = models.ForeignKey(WorkTeam, on_delete=models.CASCADE, related_name="members",
                             verbose_name=_("work team"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    member = models.ForeignKey("party.PartyMember", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("party member"))
    role = models.CharField(_("role in the team"), max_length=16, choices=c.WorkTeamRole.choices,
                            default=c.WorkTeamRole.MEMBER)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["team", "role", "name"]
        verbose_name = _("work-team member")
        verbose_name_plural = _("work-team members")
        constraints = bounds.constraints("assistance.WorkTeamMember", *BOUNDS_WORK_TEAM_MEMBER)

    def __str__(self) -> str:
        return self.name



BOUNDS_PRESENCE = (bounds.at_most("days", value=31), bounds.at_least("days", value=0))


class Presence(ScopedModel):
    """Days a work-team member was present in the village in a month (驻村天数)."""

    team_member = models.ForeignKey(WorkTeamMember, on_delete=models.CASCADE,
                                    related_name="presence", verbose_name=_("work-team member"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    days = models.PositiveSmallIntegerField(_("days present"),
                                            validators=[MaxValueValidator(31)])

    class Meta:
        ordering = ["team_member", "-month"]
        constraints = [models.UniqueConstraint(fields=["team_member", "month"],
                                               name="presence_once_a_month"),
                       *bounds.constraints("assistance.Presence", *BOUNDS_PRESENCE)]
        verbose_name = _("presence")
        verbose_name_plural = _("presence")

    def __str__(self) -> str:
        return f"{self.team_member} {self.month:%Y-%m}: {self.days}"

    def clean(self):
        errors = bounds.check(self, *BOUNDS_PRESENCE)
        if self.month and self.days is not None and "days" not in errors:
            length = calendar.monthrange(self.month.year, self.month.month)[1]
            if self.days > length:
                errors["days"] = [_("%(field)s cannot exceed the %(n)s days of %(month)s.") % {
                    "field": capfirst(self._meta.get_field("days").verbose_name), "n": length,
                    "month": f"{self.month:%Y-%m}"}]
        bounds.raise_errors(errors)


class WorkLogEntry(ScopedModel):
    """An entry in a work team's log (驻村工作日志)."""

    team = models.ForeignKey(WorkTeam, on_delete=models.CASCADE, related_name="log",
                             verbose_name=_("work team"))
    logged_on = models.DateField(_("date"))
    text = models.TextField(_("work done"))

    class Meta:
        ordering = ["team", "-logged_on"]
        verbose_name = _("work-log entry")
        verbose_name_plural = _("work log")

    def __str__(self) -> str:
        return f"{self.logged_on} {self.text[:30]}"



BOUNDS_CONTACT_POINT = (bounds.at_least("ends_on", "starts_on"),)


class ContactPoint(ScopedModel, Period):
    """A leading cadre's contact point (党员领导干部联系点): a township or village they follow."""

    cadre_name = models.CharField(_("leading cadre"), max_length=50)
    post = models.CharField(_("post"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=c.UnitLevel.choices)

    class Meta:
        ordering = ["region_code", "cadre_name"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = bounds.constraints("assistance.ContactPoint", *BOUNDS_CONTACT_POINT)

    def __str__(self) -> str:
        return f"{self.cadre_name} · {self.region_code}"


class ContactVisit(ScopedModel):
    """A leading cadre's visit to their contact point, with the problems raised and solved."""

    contact_point = models.ForeignKey(ContactPoint, on_delete=models.CASCADE,
                                      related_name="visits", verbose_name=_("contact point"))
    visited_on = models.DateField(_("visited on"))
    problems_raised = models.TextField(_("problems raised"), blank=True)
    problems_solved = models.TextField(_("problems solved"), blank=True)

    class Meta:
        ordering = ["contact_point", "-visited_on"]
        verbose_name = _("contact-point visit")
        verbose_name_plural = _("contact-point visits")

    def __str__(self) -> str:
        return f"{self.contact_point} {self.visited_on}"


# --- pairing and visits -------------------------------------------------------------------------

BOUNDS_BRANCH_PAIRING = (bounds.at_least("ends_on", "starts_on"),
                         *bounds.not_negative("money", "materials_value"))


class BranchPairing(ScopedModel, Period):
    """A branch pairing (万个支部结对): an organ, enterprise or urban branch and a village branch.

    `region_code` is the village branch's; the helping branch's region sees it too.
    """

    helping_org = models.ForeignKey("party.PartyOrg", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("helping branch"))
    helping_kind = models.CharField(_("helping branch kind"), max_length=12,
                                    choices=c.HelpingOrgKind.choices)
    helping_region_code = models.CharField(_("helping branch region"), max_length=12,
                                           db_index=True, editable=False)
    village_org = models.ForeignKey("party.PartyOrg", on_delete=models.PROTECT,
                                    related_name="branch_pairings",
                                    verbose_name=_("village branch"))
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    money = models.DecimalField(_("money delivered (yuan)"), default=0, **MONEY)
    materials_value = models.DecimalField(_("materials delivered (yuan)"), default=0, **MONEY)
    state = models.CharField(_("state"), max_length=10, choices=c.PairingState.choices,
                             default=c.PairingState.ACTIVE)

    class Meta:
        ordering = ["region_code", "-starts_on"]
        verbose_name = _("branch pairing")
        verbose_name_plural = _("branch pairings")
        constraints = bounds.constraints("assistance.BranchPairing", *BOUNDS_BRANCH_PAIRING)

    def __str__(self) -> str:
        return f"{self.helping_org} ↔ {self.village_org}"

    def save(self, *args, **kwargs):
        self.helping_region_code = self.helping_org.region_code
        super().save(*args, **kwargs)

    def clean(self):
        bounds.raise_errors(bounds.check(self, *BOUNDS_BRANCH_PAIRING))

    @staticmethod
    def scope_q(code: str) -> Q:
        return within(code) | within(code, "helping_region_code")



BOUNDS_PAIRING = (bounds.at_least("ends_on", "starts_on"),)


class Pairing(ScopedModel, Period):
    """A member's pairing with a household (万名党员帮扶): `helper` is its responsible helper
    (帮扶责任人). A household has at most one current pairing; changing the helper ends it and
    starts a new one, so the history stays."""

    household = models.ForeignKey("poverty.Household", on_delete=models.CASCADE,
                                  related_name="pairings", verbose_name=_("household"))
    helper = models.ForeignKey("party.PartyMember", on_delete=models.PROTECT,
                               related_name="pairings", verbose_name=_("helper"))
    helper_unit = models.CharField(_("helper's unit"), max_length=100, blank=True)
    unit_level = models.CharField(_("unit level"), max_length=10, choices=c.UnitLevel.choices,
                                  blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=20, blank=True,
                                  choices=c.PairingEndReason.choices)

    class Meta:
        ordering = ["household", "-starts_on"]
        constraints = [models.UniqueConstraint(fields=["household"],
                                               condition=Q(ends_on__isnull=True),
                                               name="one_current_pairing"),
                       *bounds.constraints("assistance.Pairing", *BOUNDS_PAIRING)]
        indexes = [models.Index(fields=["helper", "ends_on"])]
        verbose_name = _("household pairing")
        verbose_name_plural = _("household pairings")

    def __str__(self) -> str:
        return f"{self.helper} → {self.household}"


class Visit(ScopedModel):
    """A visit (走访 / 帮扶日志) to a household, or to a village when `household` is empty."""

    household = models.ForeignKey("poverty.Household", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="visits",
                                  verbose_name=_("household"))
    visitor = models.ForeignKey("party.PartyMember", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="visits",
                                verbose_name=_("visitor"))
    visitor_name = models.CharField(_("visited by"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=c.VisitKind.choices,
                            default=c.VisitKind.HOME)
    visited_on = models.DateField(_("visited on"))
    findings = models.TextField(_("what was found"))
    help_given = models.TextField(_("help given"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["household", "visited_on"]),
                   models.Index(fields=["region_code", "visited_on"])]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.visited_on} {self.visitor_name}"


# --- measures and projects ---------------------------------------------------------------------

BOUNDS_MEASURE = (*bounds.not_negative("amount"),)


class Measure(ScopedModel):
    """An assistance measure (帮扶措施) for a household; a household's measures are its plan
    (一户一策), planned and done."""

    household = models.ForeignKey("poverty.Household", on_delete=models.CASCADE,
                                  related_name="measures", verbose_name=_("household"))
    kind = models.CharField(_("kind"), max_length=12, choices=c.MeasureKind.choices)
    category = models.CharField(_("category"), max_length=12,
                                choices=c.MeasureCategory.choices, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    state = models.CharField(_("state"), max_length=10, choices=c.MeasureState.choices,
                             default=c.MeasureState.PLANNED)
    amount = models.DecimalField(_("amount (yuan)"), null=True, blank=True, **MONEY)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    project = models.ForeignKey("IndustryProject", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="measures",
                                verbose_name=_("project"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    effect = models.CharField(_("effect"), max_length=200, blank=True)

    class Meta:
        ordering = ["household", "-year", "kind"]
        verbose_name = _("assistance measure")
        verbose_name_plural = _("assistance measures")
        constraints = bounds.constraints("assistance.Measure", *BOUNDS_MEASURE)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    def save(self, *args, **kwargs):
        self.category = c.MeasureKind.category_of(self.kind)
        super().save(*args, **kwargs)

    def clean(self):
        bounds.raise_errors(bounds.check(self, *BOUNDS_MEASURE))



BOUNDS_VILLAGE_PLAN = (bounds.at_least("ends_year", "starts_year"),
                       bounds.at_most("progress", value=100))


class VillagePlan(ScopedModel):
    """A whole-village advancement plan (整村推进规划) of a key village."""

    name = models.CharField(_("name"), max_length=100)
    starts_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR)
    ends_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR)
    state = models.CharField(_("state"), max_length=10, choices=c.PlanState.choices,
                             default=c.PlanState.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                validators=[MaxValueValidator(100)])
    accepted_on = models.DateField(pgettext_lazy("plan", "accepted on"), null=True, blank=True)

    class Meta:
        ordering = ["region_code", "-starts_year"]
        verbose_name = _("whole-village plan")
        verbose_name_plural = _("whole-village plans")
        constraints = bounds.constraints("assistance.VillagePlan", *BOUNDS_VILLAGE_PLAN)

    def __str__(self) -> str:
        return self.name

    def clean(self):
        bounds.raise_errors(bounds.check(self, *BOUNDS_VILLAGE_PLAN))



BOUNDS_PLAN_FUNDING = (*bounds.not_negative("amount"),)


class PlanFunding(ScopedModel):
    """Investment in a whole-village plan from one source (资金来源)."""

    plan = models.ForeignKey(VillagePlan, on_delete=models.CASCADE, related_name="funding",
                             verbose_name=_("whole-village plan"))
    source = models.CharField(_("source"), max_length=10, choices=c.FundSource.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    class Meta:
        ordering = ["plan", "source"]
        constraints = [models.UniqueConstraint(fields=["plan", "source"],
                                               name="plan_funding_once_per_source"),
                       *bounds.constraints("assistance.PlanFunding", *BOUNDS_PLAN_FUNDING)]
        verbose_name = _("plan funding")
        verbose_name_plural = _("plan funding")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount}"

    def clean(self):
        bounds.raise_errors(bounds.check(self, *BOUNDS_PLAN_FUNDING))



BOUNDS_PLAN_PROJECT = (*bounds.not_negative("investment"),)


class PlanProject(ScopedModel):
    """A project in a whole-village plan (整村推进项目)."""

    plan = models.ForeignKey(VillagePlan, on_delete=models.CASCADE, related_name="projects",
                             verbose_name=_("whole-village plan"))
    name = models.CharField(_("name"), max_length=100)
    investment = models.DecimalField(_("investment (yuan)"), default=0, **MONEY)
    state = models.CharField(_("state"), max_length=10, choices=c.MeasureState.choices,
                             default=c.MeasureState.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "name"]
        verbose_name = _("plan project")
        verbose_name_plural = _("plan projects")
        constraints = bounds.constraints("assistance.PlanProject", *BOUNDS_PLAN_PROJECT)

    def __str__(self) -> str:
        return self.name

    def clean(self):
        bounds.raise_errors(bounds.check(self, *BOUNDS_PLAN_PROJECT))


class Enterprise(ScopedModel):
    """An enterprise, cooperative, association or broker that carries industry projects
    (龙头企业 / 专业合作社 / 专业经济协会 / 农村经纪人)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=c.EnterpriseKind.choices)
    business = models.CharField(_("line of business"), max_length=100, blank=True)

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name



BOUNDS_INDUSTRY_PROJECT = (*bounds.not_negative("funds"),)


class IndustryProject(ScopedModel):
    """An industry project (产业化扶贫项目) carried by an enterprise, with linked households."""

    name = models.CharField(_("name"), max_length=100)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="projects",
                                   verbose_name=_("enterprise"))
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    funds = models.DecimalField(_("funds (yuan)"), default=0, **MONEY)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["region_code", "-year", "name"]
        verbose_name = _("industry project")
        verbose_name_plural = _("industry projects")
        constraints = bounds.constraints("assistance.IndustryProject", *BOUNDS_INDUSTRY_PROJECT)

    def __str__(self) -> str:
        return self.name

    def clean(self):
        bounds.raise_errors(bounds.check(self, *BOUNDS_INDUSTRY_PROJECT))



BOUNDS_INDUSTRY_BENEFIT = (*bounds.not_negative("amount"),)


class IndustryBenefit(ScopedModel):
    """How a household benefits from an industry project (利益联结)."""

    project = models.ForeignKey(IndustryProject, on_delete=models.CASCADE,
                                related_name="benefits", verbose_name=_("industry project"))
    household = models.ForeignKey("poverty.Household", on_delete=models.CASCADE,
                                  related_name="industry_benefits", verbose_name=_("household"))
    kind = models.CharField(_("how it benefits"), max_length=10, choices=c.BenefitKind.choices)
    amount = models.DecimalField(_("amount a year (yuan)"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["project", "household"]
        constraints = [models.UniqueConstraint(fields=["project", "household", "kind"],
                                               name="industry_benefit_once"),
                       *bounds.constraints("assistance.IndustryBenefit", *BOUNDS_INDUSTRY_BENEFIT)]
        verbose_name = _("industry benefit")
        verbose_name_plural = _("industry benefits")

    def __str__(self) -> str:
        return f"{self.project} · {self.household}"

    def clean(self):
        bounds.raise_errors(bounds.check(self, *BOUNDS_INDUSTRY_BENEFIT))


class ResettlementSite(ScopedModel):
    """A resettlement site for relocation (易地扶贫搬迁安置点)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=c.SiteKind.choices)
    capacity = models.PositiveIntegerField(_("capacity (households)"), default=0)
    built_on = models.DateField(_("built on"), null=True, blank=True)

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("resettlement site")
        verbose_name_plural = _("resettlement sites")

    def __str__(self) -> str:
        return self.name



BOUNDS_RELOCATION = (*bounds.not_negative("housing_area"),)


class Relocation(ScopedModel):
    """A household's relocation (搬迁) to a site, with housing and follow-up employment.

    `region_code` is the household's village; the site's region sees it too."""

    household = models.ForeignKey("poverty.Household", on_delete=models.CASCADE,
                                  related_name="relocations", verbose_name=_("household"))
    site = models.ForeignKey(ResettlementSite, on_delete=models.PROTECT,
                             related_name="relocations", verbose_name=_("resettlement site"))
    site_region_code = models.CharField(_("site region"), max_length=12, db_index=True,
                                        editable=False)
    moved_on = models.DateField(_("moved on"))
    housing_area = models.DecimalField(_("housing area (m²)"), max_digits=8, decimal_places=1,
                                       null=True, blank=True)
    employed = models.PositiveSmallIntegerField(_("members employed after the move"), default=0)
    follow_up = models.TextField(_("follow-up support"), blank=True)

    class Meta:
        ordering = ["-moved_on"]
        verbose_name = _("relocation")
        verbose_name_plural = _("relocations")
        constraints = bounds.constraints("assistance.Relocation", *BOUNDS_RELOCATION)

    def __str__(self) -> str:
        return f"{self.household} → {self.site}"

    def save(self, *args, **kwargs):
        self.site_region_code = self.site.region_code
        super().save(*args, **kwargs)

    def clean(self):
        errors = bounds.check(self, *BOUNDS_RELOCATION)
        household = self.household if self.household_id else None
        # The household's members are another row: only clean() can say it.
        if household is not None and household.members_count and self.employed is not None \
                and self.employed > household.members_count:
            errors["employed"] = [_("%(field)s cannot exceed the household's %(n)s members.")
                                  % {"field": capfirst(self._meta.get_field("employed")
                                                       .verbose_name),
                                     "n": household.members_count}]
        bounds.raise_errors(errors)

    @staticmethod
    def scope_q(code: str) -> Q:
        return within(code) | within(code, "site_region_code")


# --- Spring Sunshine ---------------------------------------------------------------------------
class ChunhuiEnvoy(ScopedModel):
    """A Spring Sunshine envoy (春晖使者): a native living elsewhere who helps the home village
    (`region_code`)."""

    personal_fields = {"phone": PHONE}

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    lives_in = models.CharField(_("lives in"), max_length=100)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("Spring Sunshine envoy")
        verbose_name_plural = _("Spring Sunshine envoys")

    def __str__(self) -> str:
        return self.name



BOUNDS_CHUNHUI_CONTRIBUTION = (*bounds.not_negative("value"),)


class ChunhuiContribution(ScopedModel):
    """A Spring Sunshine contribution (春晖行动贡献) to a village: money, a project,
    information or jobs, with its value."""

    envoy = models.ForeignKey(ChunhuiEnvoy, on_delete=models.CASCADE,
                              related_name="contributions", verbose_name=_("envoy"))
    kind = models.CharField(_("kind"), max_length=12, choices=c.ContributionKind.choices)
    given_on = models.DateField(_("date"))
    value = models.DecimalField(_("value (yuan)"), default=0, **MONEY)
    description = models.CharField(_("description"), max_length=200)

    class Meta:
        ordering = ["-given_on"]
        verbose_name = _("Spring Sunshine contribution")
        verbose_name_plural = _("Spring Sunshine contributions")
        constraints = bounds.constraints("assistance.ChunhuiContribution", *BOUNDS_CHUNHUI_CONTRIBUTION)

    def __str__(self) -> str:
        return self.description[:40]

    def clean(self):
        bounds.raise_errors(bounds.check(self, *BOUNDS_CHUNHUI_CONTRIBUTION))

"""The poverty registry (建档立卡): village profiles, poverty lines, households, persons,
incomes, the identification / exit / monitoring procedures and cross-check leads."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core import bounds
from fupin.core.idnumber import validate_id_number
from fupin.core.managers import RestrictedManager
from fupin.core.masking import BANK_ACCOUNT, HEALTH, ID_NUMBER, PHONE
from fupin.core.models import ScopedModel
from fupin.poverty import choices as c

MONEY = {"max_digits": 14, "decimal_places": 2}
YEAR = [MinValueValidator(1949), MaxValueValidator(2100)]


BOUNDS_LINE = (*bounds.not_negative("poverty_line", "low_income_line", "monitoring_line"),
               bounds.at_least("low_income_line", "poverty_line"))


class PovertyLine(models.Model):
    """The poverty line of a year (贫困线), yuan per person per year; data, never a constant."""

    region_field = None

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR)
    poverty_line = models.DecimalField(_("poverty line"), **MONEY)
    low_income_line = models.DecimalField(_("low-income line"), null=True, blank=True, **MONEY)
    monitoring_line = models.DecimalField(
        _("monitoring line"), null=True, blank=True, **MONEY,
        help_text=_("Income under which an exited household is monitored (防返贫监测线)."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RestrictedManager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("poverty line")
        verbose_name_plural = _("poverty lines")
        constraints = bounds.constraints("poverty.PovertyLine", *BOUNDS_LINE)

    def __str__(self) -> str:
        return f"{self.year}: {self.poverty_line}"

    def clean(self):
        bounds.raise_errors(bounds.check(self, *BOUNDS_LINE))

    @classmethod
    def for_year(cls, year: int) -> PovertyLine | None:
        """The line in force in `year`: that year's, else the latest earlier one."""
        return cls._base_manager.filter(year__lte=year).order_by("-year").first()


# Every household has someone in it; incomes and the village's own money are not negative.
BOUNDS_VILLAGE = (bounds.at_most("households", "rural_population"),
                  *bounds.not_negative("collective_income", "net_income_per_capita"))


class VillageProfile(ScopedModel):
    """A village's profile (村情): population, key-village flags, infrastructure."""

    region_code = models.CharField(_("village"), max_length=12, unique=True)
    rural_population = models.PositiveIntegerField(_("rural population"), default=0)
    households = models.PositiveIntegerField(_("number of households"), default=0)
    is_key_village = models.BooleanField(_("key village for poverty alleviation"), default=False)
    is_poor_village = models.BooleanField(_("poor village"), default=False)
    poor_village_exit_year = models.PositiveSmallIntegerField(
        _("poor-village exit year"), null=True, blank=True, validators=YEAR)
    collective_income = models.DecimalField(_("collective income (yuan)"), default=Decimal(0),
                                            **MONEY)
    net_income_per_capita = models.DecimalField(
        _("rural net income per capita (yuan)"), null=True, blank=True, **MONEY,
        help_text=_("Of the whole rural population of the village (农民人均纯收入), not only of "
                    "its registered households."))
    has_road = models.BooleanField(_("hardened road"), default=False)
    has_electricity = models.BooleanField(_("grid electricity"), default=False)
    has_safe_water = models.BooleanField(_("safe drinking water"), default=False)
    has_broadband = models.BooleanField(_("broadband"), default=False)
    has_clinic = models.BooleanField(_("clinic"), default=False)
    has_school = models.BooleanField(_("school"), default=False)

    class Meta:
        ordering = ["region_code"]
        verbose_name = _("village profile")
        verbose_name_plural = _("village profiles")
        constraints = bounds.constraints("poverty.VillageProfile", *BOUNDS_VILLAGE)

    def __str__(self) -> str:
        return self.region_code

    def clean(self):
        errors = bounds.check(self, *BOUNDS_VILLAGE)
        bounds.raise_errors(bounds.not_future(self, "poor_village_exit_year", errors=errors))


BOUNDS_HOUSEHOLD = (bounds.at_least("exit_year", "identification_year"),
                    *bounds.not_negative("housing_area"))


class Household(ScopedModel):
    """A registered household (贫困户 / 建档立卡户), in its village's `region_code`."""

    personal_fields = {"phone": PHONE, "bank_account": BANK_ACCOUNT}

    number = models.CharField(_("household number"), max_length=30, unique=True)
    head_name = models.CharField(_("head of household"), max_length=50, blank=True)
    attribute = models.CharField(_("household attribute"), max_length=10,
                                 choices=c.HouseholdAttribute.choices,
                                 default=c.HouseholdAttribute.ORDINARY)
    standard = models.CharField(_("identification standard"), max_length=10,
                                choices=c.IdentificationStandard.choices,
                                default=c.IdentificationStandard.NATIONAL)
    identification_year = models.PositiveSmallIntegerField(_("identification year"),
                                                           validators=YEAR)
    status = models.CharField(_("status"), max_length=12, choices=c.PovertyStatus.choices,
                              default=c.PovertyStatus.POOR, db_index=True)
    monitored_group = models.CharField(_("monitored group"), max_length=10, blank=True,
                                       choices=c.MonitoredGroup.choices)
    main_cause = models.CharField(_("main cause of poverty"), max_length=12, blank=True,
                                  choices=c.PovertyCause.choices)
    secondary_causes = models.JSONField(_("secondary causes"), default=list, blank=True)
    members_count = models.PositiveSmallIntegerField(_("members"), default=0)
    income_per_capita = models.DecimalField(_("net income per capita (yuan)"), null=True,
                                            blank=True, **MONEY)
    exit_year = models.PositiveSmallIntegerField(_("exit year"), null=True, blank=True,
                                                 validators=YEAR)
    housing_area = models.DecimalField(_("housing area (m²)"), max_digits=8, decimal_places=1,
                                       null=True, blank=True)
    housing_structure = models.CharField(_("housing structure"), max_length=16, blank=True,
                                         choices=c.HousingStructure.choices)
    housing_year = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True,
                                                    validators=YEAR)
    housing_safe = models.BooleanField(_("housing safe"), default=True)
    basic_needs_food = models.BooleanField(_("food and clothing secure"), default=False)
    basic_needs_education = models.BooleanField(_("compulsory education guaranteed"),
                                                default=False)
    basic_needs_medical = models.BooleanField(_("basic medical care guaranteed"), default=False)
    basic_needs_housing = models.BooleanField(_("safe housing guaranteed"), default=False)
    basic_needs_water = models.BooleanField(_("safe drinking water secure"), default=False)
    relocated = models.BooleanField(_("relocated"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=32, blank=True)
    batch_id = models.BigIntegerField(_("import batch"), null=True, blank=True, editable=False)

    BASIC_NEEDS = ("basic_needs_food", "basic_needs_education", "basic_needs_medical",
                   "basic_needs_housing", "basic_needs_water")

    class Meta:
        ordering = ["region_code", "number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["region_code", "status"])]
        constraints = bounds.constraints("poverty.Household", *BOUNDS_HOUSEHOLD)

    def __str__(self) -> str:
        return f"{self.number} {self.head_name}".strip()

    def clean(self):
        # members_count is derived from the persons (services.refresh_household_summary).
        errors = bounds.check(self, *BOUNDS_HOUSEHOLD)
        # (The year built is checked by HouseholdForm.)
        bounds.raise_errors(bounds.not_future(self, "identification_year", "exit_year",
                                              errors=errors))

    @property
    def basic_needs_met(self) -> bool:
        return all(getattr(self, f) for f in self.BASIC_NEEDS)


class Person(ScopedModel):
    """A household member (家庭成员); `region_code` is the household's village."""

    personal_fields = {"id_number": ID_NUMBER, "health": HEALTH}

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members",
                                  verbose_name=_("household"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True,
                                 validators=[validate_id_number])
    sex = models.CharField(_("sex"), max_length=1, choices=c.Sex.choices)
    birth_date = models.DateField(_("birth date"))
    relation = models.CharField(_("relation to head"), max_length=16, choices=c.Relation.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=c.Ethnicity.choices,
                                 default=c.Ethnicity.HAN)
    education = models.CharField(_("education"), max_length=12, blank=True,
                                 choices=c.Education.choices)
    in_school = models.BooleanField(_("in school"), default=False)
    health = models.CharField(_("health"), max_length=10, choices=c.Health.choices,
                              default=c.Health.HEALTHY)
    labour_capacity = models.CharField(_("labour capacity"), max_length=10,
                                       choices=c.LabourCapacity.choices,
                                       default=c.LabourCapacity.ORDINARY)
    migrant_status = models.CharField(_("migrant work"), max_length=16,
                                      choices=c.MigrantStatus.choices,
                                      default=c.MigrantStatus.NONE)
    on_dibao = models.BooleanField(_("on subsistence allowance"), default=False)
    medical_insurance = models.BooleanField(_("rural medical insurance"), default=False)
    pension_insurance = models.BooleanField(_("basic pension insurance"), default=False)
    batch_id = models.BigIntegerField(_("import batch"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["household", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        bounds.raise_errors(bounds.not_future(self, "birth_date"))

    @property
    def is_head(self) -> bool:
        return self.relation == c.Relation.HEAD


# Incomes and costs are amounts (net income may be negative: costs above earnings).
BOUNDS_INCOME = (*bounds.not_negative("wages", "business", "transfers", "property_income",
                                      "production_costs"),
                 bounds.at_least("members", value=1))


class IncomeRecord(ScopedModel):
    """A household's income in a year (年度收入), yuan; net and per-person are computed."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes",
                                  verbose_name=_("household"))
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    wages = models.DecimalField(_("wage income"), default=Decimal(0), **MONEY)
    business = models.DecimalField(_("household business income"), default=Decimal(0), **MONEY)
    transfers = models.DecimalField(_("transfer income"), default=Decimal(0), **MONEY)
    property_income = models.DecimalField(_("property income"), default=Decimal(0), **MONEY)
    production_costs = models.DecimalField(_("production costs"), default=Decimal(0), **MONEY)
    members = models.PositiveSmallIntegerField(_("members counted"), default=1)
    net_income = models.DecimalField(_("net income"), default=Decimal(0), **MONEY)
    per_capita = models.DecimalField(_("net income per capita"), default=Decimal(0), **MONEY)

    class Meta:
        ordering = ["household", "-year"]
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        constraints = [models.UniqueConstraint(fields=["household", "year"],
                                               name="income_one_per_household_year"),
                       *bounds.constraints("poverty.IncomeRecord", *BOUNDS_INCOME)]

    def __str__(self) -> str:
        # A person reads the household's head and number, not its database id.
        return f"{self.household.head_name} {self.household.number} · {self.year}"

    def clean(self):
        errors = bounds.check(self, *BOUNDS_INCOME)
        household = self.household if self.household_id else None
        # Counted members are the household's (another row: only clean() can say it).
        if household is not None and household.members_count and self.members is not None \
                and self.members > household.members_count:
            errors.setdefault("members", []).append(
                _("%(field)s cannot exceed the household's %(n)s members.")
                % {"field": capfirst(self._meta.get_field("members").verbose_name),
                   "n": household.members_count})
        bounds.raise_errors(bounds.not_future(self, "year", errors=errors))

    def compute(self) -> None:
        self.net_income = (self.wages + self.business + self.transfers + self.property_income
                           - self.production_costs)
        self.per_capita = (self.net_income / max(self.members, 1)).quantize(Decimal("0.01"))


BOUNDS_PROCEDURE = (bounds.at_least("deadline", "started_on"),
                    bounds.at_least("completed_on", "started_on"))


class Procedure(ScopedModel):
    """A procedure on a household (程序): identification, exit, monitoring or risk removal.

    Its steps are ProcedureStep rows taken by actions in `actions.py`, in the order and with
    the waiting days that `workflows.py` declares.
    """

    household = models.ForeignKey(Household, on_delete=models.CASCADE,
                                  related_name="procedures", verbose_name=_("household"))
    kind = models.CharField(_("procedure"), max_length=16, choices=c.ProcedureKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=c.ProcedureState.choices,
                             default=c.ProcedureState.OPEN, db_index=True)
    current_step = models.CharField(_("current step"), max_length=30, blank=True)
    started_on = models.DateField(_("started on"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    lead_source = models.CharField(_("lead source"), max_length=12, blank=True,
                                   choices=c.LeadSource.choices)
    monitored_group = models.CharField(_("monitored group"), max_length=10, blank=True,
                                       choices=c.MonitoredGroup.choices)
    outcome_note = models.CharField(_("outcome"), max_length=500, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        indexes = [models.Index(fields=["region_code", "state", "deadline"])]
        constraints = bounds.constraints("poverty.Procedure", *BOUNDS_PROCEDURE)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household}"

    def clean(self):
        bounds.raise_errors(bounds.check(self, *BOUNDS_PROCEDURE))


class ProcedureStep(ScopedModel):
    """A step taken in a procedure (程序步骤): who, when, and what it recorded."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps",
                                  verbose_name=_("procedure"))
    step = models.CharField(_("step"), max_length=30)
    taken_on = models.DateField(_("date"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("taken by"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["procedure", "taken_on", "id"]
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.step} {self.taken_on}"


class CrosscheckLead(ScopedModel):
    """A match against another department's registry (数据比对线索), for review; never an
    automatic removal."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="leads",
                               verbose_name=_("person"))
    kind = models.CharField(_("registry"), max_length=10, choices=c.CrosscheckKind.choices)
    source_sha256 = models.CharField(_("source file SHA-256"), max_length=64)
    attributes = models.JSONField(_("matched attributes"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=c.LeadState.choices,
                             default=c.LeadState.OPEN, db_index=True)
    reason = models.CharField(_("review reason"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["region_code", "-id"]
        verbose_name = _("cross-check lead")
        verbose_name_plural = _("cross-check leads")
        constraints = [models.UniqueConstraint(fields=["person", "kind", "source_sha256"],
                                               name="lead_once_per_person_file")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person}"

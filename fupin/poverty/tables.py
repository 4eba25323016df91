import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from fupin.core.masking import BANK_ACCOUNT, HEALTH, ID_NUMBER, PHONE
from fupin.core.tables import BaseTable, PersonalColumn, RegionColumn
from fupin.poverty.models import (
    CrosscheckLead,
    Household,
    IncomeRecord,
    Person,
    PovertyLine,
    Procedure,
    VillageProfile,
)


class HouseholdTable(BaseTable):
    number = tables.Column(linkify=("poverty:household", {"pk": tables.A("pk")}))
    region_code = RegionColumn(verbose_name=_("village"))
    phone = PersonalColumn(kind=PHONE, verbose_name=_("phone"))
    bank_account = PersonalColumn(kind=BANK_ACCOUNT, verbose_name=_("bank account"))

    class Meta(BaseTable.Meta):
        model = Household
        fields = ("number", "head_name", "region_code", "status", "attribute", "main_cause",
                  "members_count", "identification_year", "income_per_capita", "phone",
                  "bank_account")


class PersonTable(BaseTable):
    name = tables.Column(linkify=("poverty:person", {"pk": tables.A("pk")}))
    household = tables.Column(linkify=("poverty:household", {"pk": tables.A("household_id")}),
                              accessor="household__number", verbose_name=_("household"))
    region_code = RegionColumn(verbose_name=_("village"))
    id_number = PersonalColumn(kind=ID_NUMBER, verbose_name=_("ID number"))
    health = PersonalColumn(kind=HEALTH, verbose_name=_("health"))

    class Meta(BaseTable.Meta):
        model = Person
        fields = ("name", "household", "region_code", "id_number", "sex", "birth_date",
                  "relation", "ethnicity", "education", "health", "labour_capacity",
                  "migrant_status")


class VillageProfileTable(BaseTable):
    region_code = RegionColumn(verbose_name=_("village"))
    id = tables.Column(linkify=("poverty:villageprofile", {"pk": tables.A("pk")}),
                       verbose_name=_("profile"))

    class Meta(BaseTable.Meta):
        model = VillageProfile
        fields = ("id", "region_code", "rural_population", "households", "is_key_village",
                  "is_poor_village", "poor_village_exit_year", "collective_income")


class PovertyLineTable(BaseTable):
    year = tables.Column(linkify=("poverty:povertyline", {"pk": tables.A("pk")}))

    class Meta(BaseTable.Meta):
        model = PovertyLine
        fields = ("year", "poverty_line", "low_income_line", "monitoring_line", "note")


class IncomeRecordTable(BaseTable):
    household = tables.Column(linkify=("poverty:household", {"pk": tables.A("household_id")}),
                              accessor="household__number", verbose_name=_("household"))

    class Meta(BaseTable.Meta):
        model = IncomeRecord
        fields = ("household", "year", "wages", "business", "transfers", "property_income",
                  "production_costs", "net_income", "members", "per_capita")


class ProcedureTable(BaseTable):
    id = tables.Column(linkify=("poverty:procedure", {"pk": tables.A("pk")}),
                       verbose_name=_("No."))
    household = tables.Column(linkify=("poverty:household", {"pk": tables.A("household_id")}),
                              accessor="household__number", verbose_name=_("household"))
    region_code = RegionColumn(verbose_name=_("village"))

    def render_current_step(self, record, value):
        from fupin.poverty.workflows import step_label

        return step_label(record.kind, value) if value else "—"

    class Meta(BaseTable.Meta):
        model = Procedure
        fields = ("id", "kind", "household", "region_code", "state", "current_step",
                  "started_on", "deadline", "completed_on")


class CrosscheckLeadTable(BaseTable):
    id = tables.Column(linkify=("poverty:crosschecklead", {"pk": tables.A("pk")}),
                       verbose_name=_("No."))
    person = tables.Column(accessor="person__name", verbose_name=_("person"))
    region_code = RegionColumn(verbose_name=_("village"))

    class Meta(BaseTable.Meta):
        model = CrosscheckLead
        fields = ("id", "kind", "person", "region_code", "state", "reason", "reviewed_at")

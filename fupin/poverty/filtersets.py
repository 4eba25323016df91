import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.filtersets import RegionCodeFilter
from fupin.poverty import choices as c
from fupin.poverty.models import CrosscheckLead, Household, Person, Procedure, VillageProfile


class HouseholdFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"),
                                  help_text=_("household number or head's name"))
    region = RegionCodeFilter(field_name="region_code")
    status = django_filters.MultipleChoiceFilter(choices=c.PovertyStatus.choices,
                                                 label=_("status"))
    attribute = django_filters.ChoiceFilter(choices=c.HouseholdAttribute.choices,
                                            label=_("household attribute"))
    main_cause = django_filters.ChoiceFilter(choices=c.PovertyCause.choices,
                                             label=_("main cause of poverty"))
    monitored_group = django_filters.ChoiceFilter(choices=c.MonitoredGroup.choices,
                                                  label=_("monitored group"))
    identification_year = django_filters.NumberFilter(label=_("identification year"))
    has_helper = django_filters.BooleanFilter(method="filter_has_helper",
                                              label=_("has a current helper"))

    class Meta:
        model = Household
        fields = ["q", "region", "status", "attribute", "main_cause", "monitored_group",
                  "identification_year", "has_helper"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__startswith=value.strip()) | Q(head_name__contains=value))

    def filter_has_helper(self, queryset, name, value):
        if value is None:
            return queryset
        # Pairings belong to fupin.assistance, which sits above poverty: reach the model through
        # the reverse relation instead of importing it.
        pairing = Household._meta.get_field("pairings").related_model
        current = pairing._base_manager.filter(pairing.current_q(timezone.localdate()),
                                               household=OuterRef("pk"))
        return queryset.filter(Exists(current)) if value else queryset.exclude(Exists(current))


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"),
                                  help_text=_("name, or a full ID number"))
    region = RegionCodeFilter(field_name="region_code")
    sex = django_filters.ChoiceFilter(choices=c.Sex.choices, label=_("sex"))
    relation = django_filters.ChoiceFilter(choices=c.Relation.choices, label=_("relation to head"))
    ethnicity = django_filters.ChoiceFilter(choices=c.Ethnicity.choices, label=_("ethnicity"))
    labour_capacity = django_filters.ChoiceFilter(choices=c.LabourCapacity.choices,
                                                  label=_("labour capacity"))
    household_status = django_filters.ChoiceFilter(field_name="household__status",
                                                   choices=c.PovertyStatus.choices,
                                                   label=_("household status"))

    class Meta:
        model = Person
        fields = ["q", "region", "sex", "relation", "ethnicity", "labour_capacity",
                  "household_status"]

    def search(self, queryset, name, value):
        from fupin.core.idnumber import normalize

        value = value.strip()
        # Only a whole ID number is searched: a partial one would let a masked user probe digits.
        return queryset.filter(Q(name__contains=value) | Q(id_number=normalize(value)))


class VillageProfileFilterSet(django_filters.FilterSet):
    region = RegionCodeFilter(field_name="region_code")
    is_key_village = django_filters.BooleanFilter(label=_("key village for poverty alleviation"))
    is_poor_village = django_filters.BooleanFilter(label=_("poor village"))

    class Meta:
        model = VillageProfile
        fields = ["region", "is_key_village", "is_poor_village"]


class ProcedureFilterSet(django_filters.FilterSet):
    region = RegionCodeFilter(field_name="region_code")
    kind = django_filters.ChoiceFilter(choices=c.ProcedureKind.choices, label=_("procedure"))
    state = django_filters.ChoiceFilter(choices=c.ProcedureState.choices, label=_("state"))

    class Meta:
        model = Procedure
        fields = ["region", "kind", "state"]


class CrosscheckLeadFilterSet(django_filters.FilterSet):
    region = RegionCodeFilter(field_name="region_code")
    kind = django_filters.ChoiceFilter(choices=c.CrosscheckKind.choices, label=_("registry"))
    state = django_filters.ChoiceFilter(choices=c.LeadState.choices, label=_("state"))

    class Meta:
        model = CrosscheckLead
        fields = ["region", "kind", "state"]

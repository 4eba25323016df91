import django_filters
from django.utils.translation import gettext_lazy as _

from fupin.regions.models import Level, Region, RegionChange


class RegionFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="contains", label=_("name"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("level"))

    class Meta:
        model = Region
        fields = ["name", "level"]


class RegionChangeFilterSet(django_filters.FilterSet):
    class Meta:
        model = RegionChange
        fields = ["year", "kind"]

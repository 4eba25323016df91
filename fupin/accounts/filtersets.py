import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fupin.accounts.models import ApiToken, User
from fupin.core.policy import Role


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"))
    role = django_filters.ChoiceFilter(choices=Role.CHOICES, label=_("role"))
    region_code = django_filters.CharFilter(lookup_expr="startswith", label=_("region code"))
    is_active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = User
        fields = ["q", "role", "region_code", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value)
                               | Q(unit__icontains=value))


class ApiTokenFilterSet(django_filters.FilterSet):
    class Meta:
        model = ApiToken
        fields = ["name"]

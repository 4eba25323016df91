import django_filters
from django.utils.translation import gettext_lazy as _

from fupin.core.forms import DateInput
from fupin.core.models import ChangeRecord


class ChangeRecordFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(lookup_expr="icontains", label=_("user"))
    model = django_filters.CharFilter(lookup_expr="icontains", label=_("model"))
    action = django_filters.ChoiceFilter(choices=ChangeRecord.Action.choices, label=_("action"))
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label=_("from"),
                                      widget=DateInput())
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label=_("to"),
                                      widget=DateInput())
    object_id = django_filters.CharFilter(label=_("object id"))
    request_id = django_filters.CharFilter(label=_("request id"))

    class Meta:
        model = ChangeRecord
        fields = ["actor", "model", "action", "since", "until", "object_id", "request_id"]


class RegionCodeFilter(django_filters.CharFilter):
    """Everything under a region of any level, by its 12-digit code (one indexed range)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("region"))
        kwargs.setdefault("help_text", _("12-digit code of a province, prefecture, county, "
                                         "township or village"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        from fupin.regions.scope import is_valid_code, within

        if not value:
            return qs
        value = value.strip()
        if not is_valid_code(value):
            return qs.none()
        return qs.filter(within(value, self.field_name))


def make_filterset(model, fields: list[str], search: tuple[str, ...] = ()):
    """A filterset for `model`: a `region` filter (any level) when it has a region, `q` over
    `search` fields, and exact filters for `fields`."""
    from django.db.models import Q

    attrs = {}
    if any(f.name == "region_code" for f in model._meta.get_fields()):
        attrs["region"] = RegionCodeFilter(field_name="region_code")
    if search:
        def filter_q(self, queryset, name, value):
            q = Q()
            for field in search:
                q |= Q(**{f"{field}__contains": value.strip()})
            return queryset.filter(q)

        attrs["q"] = django_filters.CharFilter(method="filter_q", label=_("search"))
        attrs["filter_q"] = filter_q
    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}FilterSet", (django_filters.FilterSet,), {**attrs, "Meta": meta})

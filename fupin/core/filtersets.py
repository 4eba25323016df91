import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.core.models import ChangeRecord


class ChangeRecordFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(lookup_expr="icontains", label=_("user"))
    model = django_filters.CharFilter(lookup_expr="icontains", label=_("model"))
    action = django_filters.ChoiceFilter(choices=ChangeRecord.Action.choices, label=_("action"))
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label=_("from"),
                                      widget=forms.DateInput(attrs={"type": "date"}))
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label=_("to"),
                                      widget=forms.DateInput(attrs={"type": "date"}))
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

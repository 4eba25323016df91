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

"""Table base classes: personal-data columns that mask themselves."""

from __future__ import annotations

import django_tables2 as tables

from fupin.core.masking import mask


class PersonalColumn(tables.Column):
    """A column of personal data, masked unless the table is told it may show it."""

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def render(self, value, table=None, **kwargs):
        return value if getattr(table, "unmasked", False) else mask(value, self.kind)

    def value(self, value, table=None, **kwargs):
        return value if getattr(table, "unmasked", False) else mask(value, self.kind)


class BaseTable(tables.Table):
    unmasked = False

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped"}
        per_page = 50


class ChangeRecordTable(BaseTable):
    id = tables.Column(linkify=("core:changerecord", {"pk": tables.A("pk")}))
    time = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Meta(BaseTable.Meta):
        from fupin.core.models import ChangeRecord

        model = ChangeRecord
        fields = ("id", "time", "actor", "action", "model", "object_id", "object_repr",
                  "region_code", "request_id")
        order_by = ("-id",)

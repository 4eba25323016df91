"""Table base classes: personal-data columns that mask themselves."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from fupin.core import directory
from fupin.core.masking import mask_fields


class PersonalColumn(tables.Column):
    """A column of personal data, shown as the reader's role may see its kind (in full, the last
    four, or masked). The reader is `table.viewer`, set where a read is logged (a record's
    page, an export); a list page sets none, so its columns stay masked for everyone."""

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def render(self, value, record=None, bound_column=None, table=None, **kwargs):
        display = getattr(record, f"get_{bound_column.accessor}_display", None) \
            if bound_column is not None else None
        if callable(display):
            value = display()
        return mask_fields({"value": self.kind}, {"value": value},
                           getattr(table, "viewer", None), obj=record)["value"]

    def value(self, value, record=None, bound_column=None, table=None, **kwargs):
        return self.render(value, record=record, bound_column=bound_column, table=table)


class RegionColumn(tables.Column):
    """A region code shown as its name, linked to the region page; names for a whole page of
    rows come from one query."""

    def render(self, value, record=None, table=None, **kwargs):
        from django.urls import reverse
        from django.utils.html import format_html

        names = _page_region_names(table, self.accessor)
        name = names.get(value)
        if name is None:
            return value
        return format_html('<a href="{}" title="{}">{}</a>', reverse("regions:region", args=[value]),
                           value, name)

    def value(self, value, **kwargs):
        return value


def region_names(codes) -> dict[str, str]:
    codes = {c for c in codes if c}
    return {code: e.name for code, e in directory.entries(codes).items()} if codes else {}


def _page_region_names(table, accessor) -> dict[str, str]:
    cache = getattr(table, "_region_names", None)
    if cache is None:
        rows = table.page.object_list if getattr(table, "page", None) else table.data
        codes = {accessor.resolve(getattr(r, "record", r)) for r in rows}
        cache = {code: e.name for code, e in directory.entries(codes).items()}
        table._region_names = cache
    return cache


def is_plain_number(name: str) -> bool:
    """Years and record numbers are labels, not quantities: 2014, not 2,014."""
    return name in ("id", "pk", "year") or name.endswith("_year")


class BaseTable(tables.Table):
    viewer = None  # whose rights decide how personal columns show (PersonalColumn)

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped table-cards"}
        per_page = 50
        template_name = "core/_table.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Counts get thousands separators (USE_THOUSAND_SEPARATOR); years and numbers do not.
        model = getattr(self._meta, "model", None)
        for name, column in self.columns.columns.items():
            if is_plain_number(name) and column.column.localize is None:
                column.column.localize = False
            # Cells keep to one line (a CJK name may otherwise break after every character
            # when columns are squeezed); only long text wraps (`data-wrap`, fupin.css).
            column.column.wraps = _is_long_text(model, str(column.accessor))


def _is_long_text(model, accessor: str) -> bool:
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    if model is None or "__" in accessor or "." in accessor:
        return False
    try:
        field = model._meta.get_field(accessor)
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.TextField) or (
        isinstance(field, models.CharField) and (field.max_length or 0) > 60)


class ChangeRecordTable(BaseTable):
    id = tables.Column(linkify=("core:changerecord", {"pk": tables.A("pk")}),
                       verbose_name=_("No."))
    time = tables.DateTimeColumn(format="Y-m-d H:i:s")
    region_code = RegionColumn(verbose_name=_("region"))

    def render_actor(self, value):
        from fupin.core.naming import actor_name

        return actor_name(value)

    def render_model(self, value):
        from fupin.core.naming import model_name, named

        return named(model_name(value), value)

    def value_model(self, value):
        return value

    def value_actor(self, value):
        return value

    class Meta(BaseTable.Meta):
        from fupin.core.models import ChangeRecord

        model = ChangeRecord
        fields = ("id", "time", "actor", "action", "model", "object_id", "object_repr",
                  "region_code", "request_id")
        order_by = ("-id",)


def make_table(model, fields: tuple[str, ...], link: str | None = None, region: bool = True,
               personal: dict[str, str] | None = None):
    """A table class for `model` from a declaration: `link` is the column linked to the detail
    page; `region_code` shows the region's name; personal fields mask themselves."""
    attrs = {}
    namespace = model._meta.app_label
    if link:
        column_args = {"verbose_name": _("No.")} if link == "id" else {}
        attrs[link] = tables.Column(linkify=(f"{namespace}:{model._meta.model_name}",
                                             {"pk": tables.A("pk")}), **column_args)
    if region and "region_code" in fields:
        attrs["region_code"] = RegionColumn(verbose_name=model._meta.get_field(
            "region_code").verbose_name)
    for name, kind in (personal or getattr(model, "personal_fields", {})).items():
        if name in fields:
            attrs[name] = PersonalColumn(kind=kind, verbose_name=model._meta.get_field(
                name).verbose_name)
    meta = type("Meta", (BaseTable.Meta,), {"model": model, "fields": fields})
    return type(f"{model.__name__}Table", (BaseTable,), {**attrs, "Meta": meta})

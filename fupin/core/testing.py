"""Generic test support in the NetBox manner.

`TREE` is a five-level hierarchy with two counties (`fupin.regions.testing.small_tree()` stores
it; the `regions` fixture does so for every test); `make_user()` makes a user of a role at a
region; `SAMPLES` makes an instance of a model inside a given region, so generic tests (and the
access-matrix test) can put one record in scope and one out of it. Each app keeps its sample
makers in its own `testing.py` (`@sample("app.model")`), found by `sample_for()`: this module
knows no other fupin app.

A model's view tests are a class that declares data:

    class TestUserViews(ModelViewTests):
        model = User
        namespace = "accounts"
        owner_role = Role.ADMIN
        create_data = {...}; edit_data = {...}

and inherits list, detail, create, edit, delete, history, export and permission tests that can
fail: the saved record holds the submitted values (after create and after edit), every declared
filter of the list must filter (its values derived from the in-scope sample, or declared in
`filter_cases`), and the export must hold the in-scope sample's row and not the out-of-scope
one's (a test fails when the two samples would export the same row).
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import itertools
import re
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.test import Client
from django.urls import resolve, reverse
from openpyxl import load_workbook

from fupin.core.context import acting_as
from fupin.core.models import ChangeRecord
from fupin.core.policy import Role, can

PASSWORD = "test-pass-2026"
PROVINCE = "520000000000"
COUNTY_A = "520102000000"
TOWNSHIP_A = "520102001000"
VILLAGE_A = "520102001001"
COUNTY_B = "520302000000"
TOWNSHIP_B = "520302001000"
TOWNSHIP_A2 = "520102002000"  # county A's other township: in scope, not above VILLAGE_A
VILLAGE_B = "520302001001"

TREE = [
    ("520000000000", "贵州省", 1, None),
    ("520100000000", "贵阳市", 2, "520000000000"),
    ("520102000000", "南明区", 3, "520100000000"),
    ("520102001000", "新华路街道", 4, "520102000000"),
    ("520102001001", "和平村委会", 5, "520102001000"),
    ("520102001002", "红旗村委会", 5, "520102001000"),
    ("520102002000", "花果园街道", 4, "520102000000"),
    ("520102002001", "和平村委会", 5, "520102002000"),
    ("520300000000", "遵义市", 2, "520000000000"),
    ("520302000000", "红花岗区", 3, "520300000000"),
    ("520302001000", "老城街道", 4, "520302000000"),
    ("520302001001", "和平村委会", 5, "520302001000"),
]

_counter = itertools.count(1)


def make_user(role: str = Role.ADMIN, region_code: str = COUNTY_A, **extra):
    username = extra.pop("username", None) or f"{role}-{region_code}-{next(_counter)}"
    with acting_as(None, label="test"):
        user = get_user_model()(username=username, role=role, region_code=region_code, **extra)
        user.set_password(PASSWORD)
        user.save()
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# model label -> callable(region_code, user) -> an instance inside region_code
SAMPLES: dict[str, Callable] = {}


def sample(label: str):
    def register(func):
        SAMPLES[label] = func
        return func

    return register


@sample("core.changerecord")
def _change_record(region_code, user):
    from fupin.core.changelog import append

    with acting_as(None, label="test"):
        return append(action="create", model="regions.region", object_id=region_code,
                      object_repr=f"sample {region_code}", region_code=region_code,
                      after={"code": region_code})


# callable(label, instance, user), run on every sample made: an app that narrows another app's
# model (assistance shows a helper only the households paired with them) makes the sample
# visible there too, as `policy.add_filter()` narrows it, without the owning app knowing.
SAMPLE_ADAPTERS: list[Callable] = []


def adapt_samples(func):
    SAMPLE_ADAPTERS.append(func)
    return func


def sample_for(label: str, region_code: str, user=None):
    _discover_samples()
    instance = SAMPLES[label](region_code, user)
    for adapt in SAMPLE_ADAPTERS:
        adapt(label, instance, user)
    return instance


@functools.cache
def _discover_samples() -> None:
    """Apps keep their sample makers in `<app>/testing.py` (imported once, all of them, so
    that no maker depends on which label was asked for first)."""
    import importlib
    import importlib.util

    from django.apps import apps

    for config in apps.get_app_configs():
        name = f"{config.name}.testing"
        if config.name.startswith("fupin.") and config.name != "fupin.core" \
                and importlib.util.find_spec(name):
            importlib.import_module(name)


def table_rows(response) -> list:
    return list(response.context["table"].data)


def view_class(url: str):
    return resolve(urlsplit(url).path).func.view_class


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _cell_text(value) -> str:
    """A cell as text, the same for CSV and XLSX, whether a writer keeps numbers and dates as
    text or as typed cells (500000.00, 500000.0 and 500000 all read "500000")."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = str(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) \
            or _NUMBER.fullmatch(text) and "." in text:
        return format(Decimal(text).normalize(), "f")
    return text


def exported_row(list_url: str, obj, user) -> list[str]:
    """The row `obj` gets in the export of the list at `list_url` as `user` sees it (masked
    as their role requires), computed from the list's table alone."""
    table = view_class(list_url).table_class(type(obj)._base_manager.filter(pk=obj.pk))
    table.viewer = user
    from fupin.core.export import table_values  # region name, then its code in a column

    header, *rows = table_values(table)
    assert rows, f"{obj!r} has no row in its own table"
    return [_cell_text(v) for v in rows[0]]


def export_rows(client, list_url: str, fmt: str, params: dict | None = None) -> list[list[str]]:
    """The rows (header first) of the list's CSV or XLSX export, as text."""
    response = client.get(list_url, {**(params or {}), "export": fmt})
    assert response.status_code == 200, (list_url, fmt, response.status_code)
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig") \
            if response.streaming else response.content.decode("utf-8-sig")
        return [[_cell_text(v) for v in row] for row in csv.reader(io.StringIO(text))]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    # Trailing empty cells are not written by every writer.
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _value_at(obj, path: str):
    """The value a filter on `path` (`household__status`) compares: a related record's pk."""
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    field = next((f for f in obj._meta.concrete_fields if f.name == last), None)
    if field is None:
        return getattr(obj, last, None)
    return getattr(obj, field.attname)


_MISSING = "不存在-zz"


def derived_filter_case(filterset, name: str, inside):
    """(value the in-scope sample matches, value it does not), derived from the sample for the
    common filters; None when it cannot be derived (then the class declares filter_cases)."""
    from django import forms

    from fupin.core.filtersets import RegionCodeFilter

    flt = filterset.filters[name]
    field = filterset.form.fields[name]
    if isinstance(flt, RegionCodeFilter):
        code = _value_at(inside, flt.field_name) or ""
        other = TOWNSHIP_A2 if not code.startswith(TOWNSHIP_A2[:9]) else TOWNSHIP_A
        return (code, other) if code else None
    if isinstance(field, forms.NullBooleanField):
        return "both"
    if flt.method is not None:
        return "search" if isinstance(field, forms.CharField) else None
    value = _value_at(inside, flt.field_name)
    if value is None or value == "" or value == []:
        return None
    lookup = flt.lookup_expr
    if isinstance(field, forms.MultipleChoiceField | forms.ChoiceField) \
            and not isinstance(field, forms.ModelChoiceField):
        values = value if isinstance(value, list) else [value]
        other = next((k for k, _label in field.choices if k not in ("", *map(str, values))
                      and k not in values), None)
        if other is None:
            return None
        if isinstance(field, forms.MultipleChoiceField):
            return [str(values[0])], [other]
        return str(values[0]), other
    if isinstance(field, forms.ModelChoiceField):
        other = field.queryset.exclude(pk=value).first()
        return (value, other.pk) if other is not None else None
    if isinstance(field, forms.DateField):
        day = value.date() if isinstance(value, datetime.datetime) else value
        step = datetime.timedelta(days=1)
    elif isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        day, step = value, 1
    else:
        return str(value), f"{value}{_MISSING}"
    if lookup in ("gt", "date__gt"):
        return day - step, day
    if lookup in ("gte", "date__gte"):
        return day, day + step
    if lookup in ("lt", "date__lt"):
        return day + step, day
    if lookup in ("lte", "date__lte"):
        return day, day - step
    return day, day + step


def _search_candidates(obj) -> list[str]:
    from django.db import models

    return [str(getattr(obj, f.attname)) for f in obj._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and getattr(obj, f.attname)]


def assert_instance_equal(instance, data: dict, form) -> None:
    """Every submitted value the form has is what the saved instance holds (NetBox's
    assertInstanceEqual): related records by pk, dates, numbers and flags normalised."""
    from django import forms
    from django.db import models

    instance.refresh_from_db()
    differ, compared = [], []
    for name, submitted in data.items():
        if name not in form.fields or isinstance(form.fields[name].widget, forms.PasswordInput) \
                or form.fields[name].disabled:
            continue
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field
            continue
        if not getattr(field, "concrete", False):
            continue
        stored = getattr(instance, field.attname)
        if isinstance(field, models.BooleanField):
            expected = submitted in (True, "on", "true", "True", "1", 1)
        elif field.is_relation:
            expected, stored = str(submitted), str(stored)
        elif isinstance(field, models.DateField) and isinstance(submitted, str):
            expected = datetime.date.fromisoformat(submitted)
        elif isinstance(field, models.DecimalField):
            expected, stored = Decimal(str(submitted)), Decimal(str(stored))
        elif isinstance(submitted, list | tuple):
            expected, stored = sorted(map(str, submitted)), sorted(map(str, stored or []))
        elif isinstance(field, models.IntegerField | models.FloatField):
            expected = type(stored)(submitted) if stored is not None else submitted
        else:
            expected, stored = str(submitted), "" if stored is None else str(stored)
        compared.append(name)
        if expected != stored:
            differ.append((name, submitted, stored))
    assert compared, f"none of the form data {sorted(data)} is a field of the form and model"
    assert not differ, f"saved values differ from the form data (field, sent, saved): {differ}"


@pytest.mark.django_db
class ReadOnlyModelViewTests:
    """List, detail, history, filter, export and scope tests for a model shown read-only in
    the UI.

    Declare: model, namespace; optionally owner_role (a role that may do everything),
    colleague_role (same scope, may only view) and `filter_cases = {"filter": (value the
    in-scope sample matches, value it does not)}` for a filter whose values cannot be derived
    from the sample.
    """

    model = None
    namespace = ""
    owner_role = Role.ADMIN
    colleague_role = Role.VIEWER
    create_data: dict = {}
    edit_data: dict = {}
    filter_cases: dict[str, tuple] = {}

    # --- helpers -------------------------------------------------------------------------
    @property
    def label(self):
        return self.model._meta.label_lower

    def url(self, suffix: str, obj=None) -> str:
        name = f"{self.namespace}:{self.model._meta.model_name}{suffix}"
        return reverse(name, kwargs={"pk": obj.pk}) if obj is not None else reverse(name)

    @pytest.fixture
    def setup(self, regions):
        self.owner = make_user(self.owner_role, COUNTY_A)
        self.colleague = make_user(self.colleague_role, COUNTY_A)
        self.stranger = make_user(self.owner_role, COUNTY_B)
        self.inside = sample_for(self.label, VILLAGE_A, self.owner)
        self.outside = sample_for(self.label, VILLAGE_B, self.stranger)
        return self

    def listed(self, client, params) -> set:
        response = client.get(self.url("_list"), params)
        assert response.status_code == 200
        assert not response.context["filter"].errors, (params, response.context["filter"].errors)
        return {o.pk for o in table_rows(response)}

    # --- tests ---------------------------------------------------------------------------
    def test_list_shows_only_scope(self, setup):
        response = client_for(self.owner).get(self.url("_list"))
        assert response.status_code == 200
        pks = {o.pk for o in table_rows(response)}
        assert self.inside.pk in pks
        assert self.outside.pk not in pks

    def test_list_filters_and_sorts(self, setup):
        response = client_for(self.owner).get(self.url("_list"), {"sort": "-pk", "page": 1})
        assert response.status_code == 200

    def test_each_filter_filters(self, setup):
        """For every declared filter: a value the in-scope sample matches lists it, another
        value does not. A filter that filters nothing fails here."""
        client = client_for(self.owner)
        filterset = view_class(self.url("_list")).filterset_class(
            queryset=self.model._base_manager.none())
        failures = []
        for name in filterset.filters:
            case = self.filter_cases.get(name) or derived_filter_case(filterset, name,
                                                                      self.inside)
            if case is None:
                failures.append(f"{name}: cannot derive values from the sample (give the "
                                f"sample a value, or declare filter_cases[{name!r}])")
            elif case == "both":
                shown = [self.inside.pk in self.listed(client, {name: v})
                         for v in ("true", "false")]
                if shown.count(True) != 1:
                    failures.append(f"{name}: true/false list the sample {shown}")
            elif case == "search":
                if self.inside.pk in self.listed(client, {name: _MISSING}):
                    failures.append(f"{name}: {_MISSING!r} still lists the sample")
                elif not any(self.inside.pk in self.listed(client, {name: text})
                             for text in _search_candidates(self.inside)):
                    failures.append(f"{name}: no text of the sample finds it "
                                    f"(declare filter_cases[{name!r}])")
            else:
                matching, missing = case
                if self.inside.pk not in self.listed(client, {name: matching}):
                    failures.append(f"{name}={matching!r} does not list the sample")
                if self.inside.pk in self.listed(client, {name: missing}):
                    failures.append(f"{name}={missing!r} still lists the sample")
        assert not failures, failures

    def test_detail_and_history(self, setup):
        response = client_for(self.owner).get(self.url("", self.inside))
        assert response.status_code == 200
        assert "history" in response.context
        assert b'data-testid="history"' in response.content

    def test_detail_out_of_scope_is_404(self, setup):
        assert client_for(self.owner).get(self.url("", self.outside)).status_code == 404

    def test_export_csv_and_xlsx(self, setup):
        inside_row = exported_row(self.url("_list"), self.inside, self.owner)
        outside_row = exported_row(self.url("_list"), self.outside, self.owner)
        assert inside_row != outside_row, \
            f"make the samples differ in a visible column: both export as {inside_row}"
        client = client_for(self.owner)
        for fmt in ("csv", "xlsx"):
            rows = export_rows(client, self.url("_list"), fmt)
            assert inside_row in rows, (fmt, inside_row, rows)
            assert outside_row not in rows, (fmt, outside_row)

    def test_stranger_cannot_reach(self, setup):
        assert client_for(self.stranger).get(self.url("", self.inside)).status_code == 404


class ModelViewTests(ReadOnlyModelViewTests):
    """Adds create, edit and delete with their change records, and the write permission tests.

    Declare also create_data (form data, with region_code when the form has it) and edit_data;
    `parent = ("field", maker)` when the record hangs off another one that `maker(region_code)`
    makes (a member's organization, a team's member): in scope for the new record, outside it
    for the out-of-scope attempt.
    """

    parent: tuple[str, Callable] | None = None

    def extra_create_data(self) -> dict:
        """Form data that needs the database (e.g. the pk of a parent record in scope)."""
        if self.parent is None:
            return {}
        field, make = self.parent
        return {field: make(VILLAGE_A).pk}

    def outside_create_data(self) -> dict:
        """What makes a new record fall outside the owner's scope."""
        if self.parent is None:
            return {"region_code": VILLAGE_B}
        field, make = self.parent
        return {field: make(VILLAGE_B).pk}

    def test_create_edit_delete_write_change_records(self, setup):
        client = client_for(self.owner)
        data = {**self.create_data, **self.extra_create_data()}
        before = ChangeRecord.objects.count()
        response = client.post(self.url("_add"), data)
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        created = self.model.objects.order_by("-pk").first()
        assert ChangeRecord.objects.filter(model=self.label, object_id=str(created.pk),
                                           action="create").exists()
        assert_instance_equal(created, data, client.get(self.url("_add")).context["form"])
        edited = {**data, **self.edit_data}
        response = client.post(self.url("_edit", created), edited)
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        assert_instance_equal(created, edited,
                              client.get(self.url("_edit", created)).context["form"])
        assert ChangeRecord.objects.filter(model=self.label, object_id=str(created.pk),
                                           action="update").exists()
        response = client.post(self.url("_delete", created))
        assert response.status_code == 302
        assert not self.model.objects.filter(pk=created.pk).exists()
        assert ChangeRecord.objects.filter(model=self.label, object_id=str(created.pk),
                                           action="delete").exists()
        assert ChangeRecord.objects.count() > before

    def test_colleague_may_not_change(self, setup):
        assert can(self.colleague, self.model, "view")
        assert not can(self.colleague, self.model, "change"), "choose a view-only colleague_role"
        client = client_for(self.colleague)
        assert client.get(self.url("_edit", self.inside)).status_code == 403
        assert client.post(self.url("_delete", self.inside)).status_code == 403
        assert self.model.objects.filter(pk=self.inside.pk).exists()

    def test_stranger_cannot_change(self, setup):
        client = client_for(self.stranger)
        assert client.post(self.url("_edit", self.inside), self.edit_data).status_code == 404
        assert client.post(self.url("_delete", self.inside)).status_code == 404
        assert self.model.objects.filter(pk=self.inside.pk).exists()

    def test_create_outside_scope_is_refused(self, setup):
        client = client_for(self.owner)
        outside = self.outside_create_data()
        data = {**self.create_data, **self.extra_create_data(), **outside}
        count = self.model.objects.count()
        response = client.post(self.url("_add"), data)
        assert response.status_code == 200
        assert set(outside) & set(response.context["form"].errors)
        assert self.model.objects.count() == count

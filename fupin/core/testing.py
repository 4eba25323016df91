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

and inherits list, detail, create, edit, delete, history, export and permission tests.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
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


@pytest.mark.django_db
class ReadOnlyModelViewTests:
    """List, detail, history, export and scope tests for a model shown read-only in the UI.

    Declare: model, namespace; optionally owner_role (a role that may do everything) and
    colleague_role (same scope, may only view).
    """

    model = None
    namespace = ""
    owner_role = Role.ADMIN
    colleague_role = Role.VIEWER
    create_data: dict = {}
    edit_data: dict = {}

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

    def test_detail_and_history(self, setup):
        response = client_for(self.owner).get(self.url("", self.inside))
        assert response.status_code == 200
        assert "history" in response.context
        assert b'data-testid="history"' in response.content

    def test_detail_out_of_scope_is_404(self, setup):
        assert client_for(self.owner).get(self.url("", self.outside)).status_code == 404

    def test_export_csv_and_xlsx(self, setup):
        client = client_for(self.owner)
        response = client.get(self.url("_list"), {"export": "csv"})
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= 2  # header and the in-scope sample at least
        assert str(self.outside) not in text or str(self.outside) == str(self.inside)
        response = client.get(self.url("_list"), {"export": "xlsx"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == len(rows)

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
        response = client.post(self.url("_edit", created), {**data, **self.edit_data})
        assert response.status_code == 302
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

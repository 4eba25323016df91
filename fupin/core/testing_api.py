"""Generic API tests, the counterpart of `ModelViewTests` for the declared API (core.api.crud).

A model's API tests are a class that declares data, or takes it from the model's view tests:

    class TestWorkTeamAPI(ModelAPITests):
        path = "/api/v1/assistance/teams/"
        views = test_views.TestWorkTeamViews   # model, roles, create/edit data, parent

and inherits: the list within scope, detail out of scope 404, create/update/delete by the
owner (stored values equal what was sent, a change record each), 403 for the view-only
colleague, 404 for the stranger from county B, a create outside the scope refused and nothing
stored, and each personal field shown as the reader's role may see its kind (`can_see`: in
full, the last four, or masked), a read logged with the fields read in full. Every call goes
with a bearer token, as a real client's would.
"""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Callable

import pytest
from django.db import models
from django.test import Client

from fupin.core.masking import FULL, HEALTH, LAST4, full_fields, mask, personal_fields_of
from fupin.core.models import ChangeRecord, PersonalDataAccess
from fupin.core.policy import Role, can, can_see
from fupin.core.testing import COUNTY_A, COUNTY_B, VILLAGE_A, VILLAGE_B, make_user, sample_for

WRITES = ("create", "update", "delete")


def token_client(user) -> Client:
    from django.apps import apps

    # By name: core imports no app, and tokens are the accounts app's.
    _token, key = apps.get_model("accounts", "ApiToken").issue(user, "api-tests")
    return Client(headers={"authorization": f"Bearer {key}"})


def body_of(model, form_data: dict) -> dict:
    """Form data as the API takes it: a related record by `<field>_id`, JSON values."""
    body = {}
    for name, value in form_data.items():
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a form-only field (a password) goes as it is
            field = None
        key = f"{name}_id" if isinstance(field, models.ForeignKey) else name
        if isinstance(value, (datetime.date, decimal.Decimal)):
            value = str(value)
        body[key] = value
    return body


def stored_equals(obj, key: str, sent) -> bool:
    field = next((f for f in obj._meta.concrete_fields if key in (f.name, f.attname)), None)
    stored = getattr(obj, field.attname if field is not None else key)
    if field is None:
        return stored == sent
    if isinstance(field, models.BooleanField):
        return stored == (sent in (True, "on", "true", "True", "1", 1))
    if isinstance(field, models.ForeignKey):
        return stored == field.target_field.to_python(sent)
    return stored == field.to_python(sent)


@pytest.mark.django_db
class ModelAPITests:
    """Declare: path (the list's URL); model, owner_role (may do everything the API offers),
    colleague_role (same scope, may only view), create_data and edit_data (form data as the
    pages take it), parent; or `views`, a ModelViewTests class to take them from.
    masked_role: a role that may view but sees no personal data in full (viewer)."""

    path = ""
    views: type | None = None
    model = None
    owner_role = Role.ADMIN
    colleague_role = Role.VIEWER
    masked_role = Role.VIEWER
    create_data: dict = {}
    edit_data: dict = {}
    parent: tuple[str, Callable] | None = None
    operations = ("list", "detail", *WRITES)
    lookup = "pk"
    region_filter = True  # the list takes `region` (make_filterset gives it)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        views = cls.__dict__.get("views")
        if views is not None:
            for name in ("model", "owner_role", "colleague_role", "create_data", "edit_data",
                         "parent"):
                if name not in cls.__dict__:
                    setattr(cls, name, getattr(views, name, getattr(cls, name)))
        # A test of an operation the API does not offer is not generated at all (rather than
        # skipped): what a class runs is exactly what its model's API has.
        ops = set(cls.operations)
        needs = {
            "test_list_shows_only_scope": "list" in ops,
            "test_list_takes_the_region_filter": "list" in ops and cls.region_filter,
            "test_detail_in_scope_and_out_of_scope": "detail" in ops,
            "test_personal_fields_masked_per_role": "detail" in ops and cls.model is not None
            and bool(personal_fields_of(cls.model)),
            "test_create_update_delete_store_what_was_sent": bool(set(WRITES) & ops),
            "test_colleague_may_only_read": bool(set(WRITES) & ops),
            "test_stranger_gets_404": bool({"update", "delete"} & ops),
            "test_create_outside_scope_is_refused_and_stores_nothing": "create" in ops,
            "test_moving_a_record_outside_scope_is_refused": "update" in ops,
        }
        for name, wanted in needs.items():
            if not wanted:
                setattr(cls, name, None)

    # --- helpers -------------------------------------------------------------------------
    @property
    def label(self):
        return self.model._meta.label_lower

    def url(self, obj=None) -> str:
        return self.path if obj is None else f"{self.path}{getattr(obj, self.lookup)}"

    def key_of(self, item: dict):
        return item["id"] if self.lookup == "pk" else item[self.lookup]

    def extra_create_data(self) -> dict:
        if self.views is not None:
            return self.views().extra_create_data()
        if self.parent is None:
            return {}
        field, make = self.parent
        return {field: make(VILLAGE_A).pk}

    def outside_create_data(self) -> dict:
        if self.views is not None:
            return self.views().outside_create_data()
        if self.parent is None:
            return {"region_code": VILLAGE_B}
        field, make = self.parent
        return {field: make(VILLAGE_B).pk}

    def create_body(self, **extra) -> dict:
        return body_of(self.model, {**self.create_data, **self.extra_create_data(), **extra})

    def send(self, client, method: str, url: str, body: dict | None = None):
        return client.generic(method, url, json.dumps(body) if body is not None else "",
                              content_type="application/json")

    @pytest.fixture
    def setup(self, regions):
        self.owner = make_user(self.owner_role, COUNTY_A)
        self.colleague = make_user(self.colleague_role, COUNTY_A)
        self.stranger = make_user(self.owner_role, COUNTY_B)
        self.inside = sample_for(self.label, VILLAGE_A, self.owner)
        self.outside = sample_for(self.label, VILLAGE_B, self.stranger)
        self.api = token_client(self.owner)
        return self

    # --- reading -------------------------------------------------------------------------
    def test_list_shows_only_scope(self, setup):
        response = self.api.get(self.path, {"limit": 1000})
        assert response.status_code == 200, response.content
        keys = {self.key_of(item) for item in response.json()["items"]}
        assert getattr(self.inside, self.lookup) in keys
        assert getattr(self.outside, self.lookup) not in keys

    def test_list_takes_the_region_filter(self, setup):
        response = self.api.get(self.path, {"region": VILLAGE_B, "limit": 1000})
        assert response.status_code == 200
        assert getattr(self.inside, self.lookup) not in \
            {self.key_of(item) for item in response.json()["items"]}

    def test_detail_in_scope_and_out_of_scope(self, setup):
        response = self.api.get(self.url(self.inside))
        assert response.status_code == 200
        assert self.key_of(response.json()) == getattr(self.inside, self.lookup)
        assert self.api.get(self.url(self.outside)).status_code == 404
        assert token_client(self.stranger).get(self.url(self.inside)).status_code == 404

    def test_personal_fields_masked_per_role(self, setup):
        personal = personal_fields_of(self.model)
        viewer = make_user(self.masked_role, COUNTY_A)
        assert can(viewer, self.model, "view")
        assert not full_fields(self.model, viewer), "masked_role must see nothing in full"
        logged = PersonalDataAccess.objects.filter(channel="api", model=self.label)
        checked = set()
        for reader, client in ((self.owner, self.api), (viewer, token_client(viewer))):
            data = client.get(self.url(self.inside)).json()
            read = full_fields(self.model, reader)
            assert [a.fields for a in logged.filter(user=reader)] == ([read] if read else []), \
                "a read is logged with the fields read in full, and only then"
            for name, kind in personal.items():
                value = getattr(self.inside, name, None)
                if name not in data or value in (None, ""):
                    continue
                form = can_see(reader, kind)
                if form == FULL:
                    expected = value
                elif form == LAST4 and kind != HEALTH:
                    expected = "*" * (len(value) - 4) + value[-4:]
                else:
                    expected = mask(value, kind)
                assert data[name] == expected, (reader.role, name, form)
                assert form == FULL or data[name] != value, (reader.role, name, form)
                checked.add(form)
        assert checked - {FULL}, "the sample has no personal value to mask: give it one"

    # --- writing -------------------------------------------------------------------------
    def test_create_update_delete_store_what_was_sent(self, setup):
        before = ChangeRecord.objects.count()
        if "create" in self.operations:
            body = self.create_body()
            response = self.send(self.api, "POST", self.path, body)
            assert response.status_code == 201, response.content
            created = self.model._base_manager.get(pk=response.json()["id"])
            for key, sent in body.items():
                assert stored_equals(created, key, sent), (key, sent)
            assert ChangeRecord.objects.filter(model=self.label, object_id=str(created.pk),
                                               action="create").exists()
        else:
            created = self.inside
        if "update" in self.operations:
            body = body_of(self.model, self.edit_data)
            response = self.send(self.api, "PATCH", self.url(created), body)
            assert response.status_code == 200, response.content
            created.refresh_from_db()
            for key, sent in body.items():
                assert stored_equals(created, key, sent), (key, sent)
            assert ChangeRecord.objects.filter(model=self.label, object_id=str(created.pk),
                                               action="update").exists()
        if "delete" in self.operations:
            response = self.send(self.api, "DELETE", self.url(created))
            assert response.status_code == 204, response.content
            assert not self.model._base_manager.filter(pk=created.pk).exists()
            assert ChangeRecord.objects.filter(model=self.label, object_id=str(created.pk),
                                               action="delete").exists()
        if set(WRITES) & set(self.operations):
            assert ChangeRecord.objects.count() > before

    def test_colleague_may_only_read(self, setup):
        assert can(self.colleague, self.model, "view")
        client = token_client(self.colleague)
        body = self.create_body() if "create" in self.operations else None
        count = self.model._base_manager.count()
        if "create" in self.operations:
            assert not can(self.colleague, self.model, "add"), "choose a view-only colleague"
            assert self.send(client, "POST", self.path, body).status_code == 403
        if "update" in self.operations:
            assert not can(self.colleague, self.model, "change")
            body = body_of(self.model, self.edit_data)
            assert self.send(client, "PATCH", self.url(self.inside), body).status_code == 403
        if "delete" in self.operations:
            assert self.send(client, "DELETE", self.url(self.inside)).status_code == 403
        assert self.model._base_manager.count() == count

    def test_stranger_gets_404(self, setup):
        client = token_client(self.stranger)
        snapshot = self.model._base_manager.filter(pk=self.inside.pk).values().get()
        if "update" in self.operations:
            body = body_of(self.model, self.edit_data)
            assert self.send(client, "PATCH", self.url(self.inside), body).status_code == 404
        if "delete" in self.operations:
            assert self.send(client, "DELETE", self.url(self.inside)).status_code == 404
        assert self.model._base_manager.filter(pk=self.inside.pk).values().get() == snapshot

    def test_create_outside_scope_is_refused_and_stores_nothing(self, setup):
        body = self.create_body(**self.outside_create_data())
        count, changes = self.model._base_manager.count(), ChangeRecord.objects.count()
        response = self.send(self.api, "POST", self.path, body)
        assert response.status_code in (403, 404), response.content
        assert self.model._base_manager.count() == count
        assert ChangeRecord.objects.count() == changes

    def test_moving_a_record_outside_scope_is_refused(self, setup):
        outside = body_of(self.model, self.outside_create_data())
        kept = {key: getattr(self.inside, key) for key in outside}
        response = self.send(self.api, "PATCH", self.url(self.inside), outside)
        # 200 only where the form keeps the field fixed once the record exists (a household's)
        assert response.status_code in (200, 403, 404, 422), response.content
        stored = self.model._base_manager.get(pk=self.inside.pk)
        assert {key: getattr(stored, key) for key in outside} == kept

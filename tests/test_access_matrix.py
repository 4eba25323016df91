"""Every URL and every API operation, tried by every role, in scope and out of scope.

Views declare their policy (`access`, `model`, `action` from core.views.AccessMixin); API
operations carry it in the OpenAPI schema (`x-policy`). A URL or operation with no
declaration, or whose model has no rule in core/policy.py, fails this test.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from fupin.api import api
from fupin.core.masking import (
    BANK_ACCOUNT,
    FULL,
    HEALTH,
    ID_NUMBER,
    LAST4,
    PHONE,
    full_fields,
    mask,
)
from fupin.core.policy import RULES, Role, can, can_see
from fupin.core.tables import RegionColumn
from fupin.core.testing import (
    COUNTY_A,
    VILLAGE_A,
    VILLAGE_B,
    client_for,
    export_rows,
    exported_row,
    make_user,
    sample_for,
)
from fupin.core.views import AccessMixin

SKIP_NAMESPACES = {"admin", "api"}  # admin: tested below; api: through its schema


def walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns in SKIP_NAMESPACES:
                continue
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p, namespace


URLS = [(route, p, ns) for route, p, ns in walk(get_resolver().url_patterns)
        if not route.startswith("static/")]


def test_every_url_declares_its_policy():
    assert len(URLS) >= 15, [r for r, *_ in URLS]
    missing = []
    for route, pattern, _ns in URLS:
        view = getattr(pattern.callback, "view_class", None)
        if view is None or not issubclass(view, AccessMixin):
            missing.append(route)
        elif view.access == "model" and view.model._meta.label_lower not in RULES:
            missing.append(f"{route} (no rule for {view.model._meta.label_lower})")
    assert not missing, f"URLs without a policy declaration: {missing}"


def fill(route: str, pk) -> str:
    return "/" + re.sub(r"<(?:\w+:)?pk>", str(pk), route)


def first_method(view) -> str:
    for method in ("get", "post"):
        if method in view.http_method_names and hasattr(view, method):
            return method
    return "get"


def check_url_matrix(role):
    user = make_user(role, COUNTY_A)
    client = client_for(user)
    anonymous = Client()
    failures = []
    for route, pattern, _ns in URLS:
        view = pattern.callback.view_class
        method = first_method(view)
        has_pk = "<" in route
        if view.access == "public":
            url = fill(route, "x")
            status = getattr(anonymous, method)(url).status_code
            if status in (403, 404) or status >= 500:
                failures.append((route, "anonymous", status))
            continue
        label = view.model._meta.label_lower if view.model else None
        inside = sample_for(label, VILLAGE_A, user) if has_pk else None
        outside = sample_for(label, VILLAGE_B, None) if has_pk else None
        url_in = fill(route, inside.pk) if has_pk else fill(route, "")
        # anonymous: always sent to the login page
        status = anonymous.get(url_in).status_code
        if status != 302:
            failures.append((route, "anonymous", status))
        allowed = view.access == "login" or can(user, view.model, view.action)
        province_wide = view.model is not None and view.model.region_field is None
        status = getattr(client, method)(url_in).status_code
        expected_in = {200, 302} if allowed else {403}
        if allowed and province_wide and has_pk and view.action != "view":
            expected_in = {404}  # province-wide data: only province-level users change it
        if status not in expected_in:
            failures.append((route, "in scope", status, sorted(expected_in)))
        if has_pk and not province_wide:
            status = getattr(client, method)(fill(route, outside.pk)).status_code
            expected_out = {404} if allowed else {403}
            if status not in expected_out:
                failures.append((route, "out of scope", status, sorted(expected_out)))
    assert not failures, failures


def check_lists_and_exports_never_show_rows_outside_scope(role):
    """Every list, and its CSV and XLSX export, holds the in-scope sample and not the one of
    another county; an export shows each kind of personal data as `can_see` says."""
    from fupin.core.views import ObjectListView

    user = make_user(role, COUNTY_A)
    client = client_for(user)
    failures = []
    for route, pattern, _ns in URLS:
        view = pattern.callback.view_class
        if not issubclass(view, ObjectListView) or not can(user, view.model, "view") \
                or view.model.region_field is None:
            continue
        label = view.model._meta.label_lower
        url = fill(route, "")
        inside = sample_for(label, VILLAGE_A, user)
        outside = sample_for(label, VILLAGE_B, None)
        response = client.get(url)
        assert response.status_code == 200, route
        pks = {o.pk for o in response.context["table"].data}
        assert outside.pk not in pks, (route, role)
        assert inside.pk in pks, (route, role)
        inside_row = exported_row(url, inside, user)
        outside_row = exported_row(url, outside, user)
        if inside_row == outside_row:
            failures.append((route, "make the samples differ in a visible column", inside_row))
            continue
        # field -> (the value in full, as this role's export must show it, is it in full)
        personal = {name: (_shown(inside, name),
                           _expected(_shown(inside, name), kind, can_see(user, kind)),
                           can_see(user, kind) == FULL)
                    for name, kind in getattr(view.model, "personal_fields", {}).items()
                    if name in view.table_class.base_columns and getattr(inside, name)}
        for fmt in ("csv", "xlsx"):
            rows = export_rows(client, url, fmt)
            if inside_row not in rows:
                failures.append((route, fmt, "in-scope row missing", inside_row))
            if outside_row in rows:
                failures.append((route, fmt, "out-of-scope row exported", outside_row))
            cells = {cell for row in rows for cell in row}
            for name, (full, expected, in_full) in personal.items():
                if (full in cells) is not in_full:
                    failures.append((route, fmt, name, "in full" if in_full else "not in full"))
                if expected not in cells:
                    failures.append((route, fmt, name, "value missing", expected))
    assert not failures, failures


def check_personal_data_by_kind(role):
    """Each kind of personal data of every model that has some, as the role's row of
    `PERSONAL_DATA` says (in full, the last four, or masked), on the record's page, in its
    history there and on the change-record page, in the API detail and in the list's CSV and
    XLSX exports; and a read is logged with exactly the fields read in full."""
    from fupin.accounts.models import ApiToken
    from fupin.core.changelog import history
    from fupin.core.models import ChangeRecord, PersonalDataAccess
    from fupin.core.views import ChangeRecordDetailView, ObjectDetailView, ObjectListView

    user = make_user(role, COUNTY_A)
    client = client_for(user)
    _token, key = ApiToken.issue(user, "matrix")
    api_client = Client(headers={"authorization": f"Bearer {key}"})
    api_details = {op["x-policy"]["model"]: path for path, method, op in api_operations()
                   if method == "get" and path.endswith("{pk}") and op["x-policy"]["model"]
                   and op["x-policy"]["action"] == "view"}
    routes = {}
    for route, pattern, _ns in URLS:
        view = pattern.callback.view_class
        if issubclass(view, ObjectListView | ObjectDetailView) and view.access == "model":
            page = "list" if issubclass(view, ObjectListView) else "detail"
            routes.setdefault((view.model, page), (route, view))
    change_page = next(route for (_model, page), (route, view) in routes.items()
                       if page == "detail" and issubclass(view, ChangeRecordDetailView))
    failures, checked = [], set()  # (kind, where) pairs seen

    def expect(where, name, kind, value, raw, display):
        form = can_see(user, kind)
        value = "" if value is None else str(value)
        if form == FULL:
            ok = value in (raw, display)
        elif kind == HEALTH:
            ok = value not in (raw, display)  # "(hidden)", in whatever language
        else:
            ok = value == _expected(raw, kind, form)
        checked.add((kind, where.rsplit(" ", 1)[-1]))
        if not ok:
            failures.append((where, name, form, value))

    for (model, page), (route, _view) in routes.items():
        personal = getattr(model, "personal_fields", None)
        if page != "detail" or not personal or not can(user, model, "view"):
            continue
        label = model._meta.label_lower
        inside = sample_for(label, VILLAGE_A, user)
        values = {name: (str(getattr(inside, name)), _shown(inside, name))
                  for name in personal if getattr(inside, name)}
        labels = {str(model._meta.get_field(name).verbose_name): name for name in values}

        PersonalDataAccess.objects.filter(user=user).delete()
        page = client.get(fill(route, inside.pk))
        assert page.status_code == 200, (route, role)
        for field_label, value in page.context["fields"]:
            if str(field_label) in labels:
                name = labels[str(field_label)]
                expect(f"{label} page", name, personal[name], value, *values[name])
        in_history = set()
        for record in page.context["history"]:
            for field_label, _before, after in record.diff:
                if str(field_label) in labels and after not in (None, ""):
                    name = labels[str(field_label)]
                    in_history.add(name)
                    expect(f"{label} history", name, personal[name], after, *values[name])
        if not in_history:
            failures.append((label, "the creation's personal fields are not in its history"))
        logged = list(PersonalDataAccess.objects.filter(user=user, channel="page", model=label))
        read = full_fields(model, user)
        if [a.fields for a in logged] != ([read] if read else []):
            failures.append((label, "page read logged", [a.fields for a in logged], read))

        if can(user, ChangeRecord, "view"):
            record = history(model, inside.pk).filter(action="create").get()
            diff = client.get(fill(change_page, record.pk)).context["diff"]
            for field_label, _before, after in diff:
                if str(field_label) in labels and after not in (None, ""):
                    name = labels[str(field_label)]
                    expect(f"{label} change record", name, personal[name], after,
                           *values[name])

        if label in api_details:
            PersonalDataAccess.objects.filter(user=user).delete()
            url = re.sub(r"\{\w+\}", str(inside.pk), api_details[label])
            response = api_client.get(url)
            assert response.status_code == 200, (url, role)
            data = response.json()
            for name in values:
                if name in data:
                    expect(f"{label} API", name, personal[name], data[name], *values[name])
            logged = [a.fields for a in PersonalDataAccess.objects.filter(user=user)]
            if logged != ([read] if read else []):
                failures.append((label, "API read logged", logged, read))

        list_route, list_view = routes.get((model, "list"), (None, None))
        if list_route is not None:
            table = list_view.table_class(model._base_manager.none())
            # A region column is exported as two cells (its name, then its code).
            names = [name for c in table.columns.iterall() if not c.column.exclude_from_export
                     for name in ((c.name, f"{c.name} code")
                                  if isinstance(c.column, RegionColumn) else (c.name,))]
            mine = exported_row(fill(list_route, ""), inside, user)
            for fmt in ("csv", "xlsx"):
                PersonalDataAccess.objects.filter(user=user).delete()
                rows = export_rows(client, fill(list_route, ""), fmt)
                if mine not in rows:
                    failures.append((label, fmt, "row missing", mine))
                    continue
                cells = dict(zip(names, mine, strict=True))
                for name in values:
                    if name in cells:
                        expect(f"{label} {fmt}", name, personal[name], cells[name],
                               *values[name])
                logged = [a.fields for a in PersonalDataAccess.objects.filter(user=user)]
                if logged != ([read] if read else []):
                    failures.append((label, fmt, "export logged", logged, read))
    assert not failures, failures
    return checked


def _expected(raw: str, kind: str, form: str) -> str:
    """What a reader whose role sees `kind` in `form` must be shown (written out here, not
    taken from the masking code under test)."""
    if form == FULL:
        return raw
    if form == LAST4 and kind != HEALTH:
        return "*" * (len(raw) - 4) + raw[-4:]
    return str(mask(raw, kind))


def _shown(obj, name: str) -> str:
    display = getattr(obj, f"get_{name}_display", None)
    return str(display() if callable(display) else getattr(obj, name))


def api_operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield path, method, op


def test_every_api_operation_declares_its_policy():
    missing = [(p, m) for p, m, op in api_operations()
               if "x-policy" not in op or (op["x-policy"]["model"] is not None
                                            and op["x-policy"]["model"] not in RULES)]
    assert not missing, missing


def check_api_matrix(role):
    from fupin.accounts.models import ApiToken

    user = make_user(role, COUNTY_A)
    _token, key = ApiToken.issue(user, "matrix")
    client = Client(headers={"authorization": f"Bearer {key}"})
    failures = []
    for path, method, op in api_operations():
        policy = op["x-policy"]
        has_param = "{" in path
        if policy["model"] is None:
            url = path
            allowed = True
        else:
            inside = sample_for(policy["model"], VILLAGE_A, user) if has_param else None
            outside = sample_for(policy["model"], VILLAGE_B, None) if has_param else None
            url = re.sub(r"\{\w+\}", str(inside.pk), path) if has_param else path
            allowed = can(user, policy["model"], policy["action"])
        if Client().generic(method.upper(), url).status_code != 401:
            failures.append((path, "anonymous"))
        status = client.generic(method.upper(), url).status_code
        # A write sent without its body gets past the role and the scope, then is invalid; a
        # delete needs no body and is done.
        reached = {"get": 200, "delete": 204}.get(method, 422)
        if status != (reached if allowed else 403):
            failures.append((path, "in scope", status))
        if has_param and policy["model"] is not None:
            url_out = re.sub(r"\{\w+\}", str(outside.pk), path)
            status = client.generic(method.upper(), url_out).status_code
            if status != (404 if allowed else 403):
                failures.append((path, "out of scope", status))
    assert not failures, failures


@pytest.mark.django_db
class RoleMatrix:
    """The matrix for one role; one class per role below, so that the workers of `make test`
    (xdist, one class to a worker) share the roles."""

    role = ""

    def test_urls(self, regions):
        check_url_matrix(self.role)

    def test_lists_and_exports(self, regions):
        check_lists_and_exports_never_show_rows_outside_scope(self.role)

    def test_api_operations(self, regions):
        check_api_matrix(self.role)

    def test_personal_data_by_kind(self, regions):
        checked = check_personal_data_by_kind(self.role)
        if can(make_user(self.role), "poverty.person", "view"):
            channels = {"page", "history", "API", "csv", "xlsx"}
            assert {(kind, channel) for kind in (ID_NUMBER, PHONE, BANK_ACCOUNT, HEALTH)
                    for channel in channels} <= checked, checked


for _role in Role.ALL:
    _name = "TestMatrix" + "".join(part.title() for part in _role.split("_"))
    globals()[_name] = type(_name, (RoleMatrix,), {"role": _role})


@pytest.mark.django_db
def test_admin_site_is_for_province_administrators_only(regions):
    for role in Role.ALL:
        response = client_for(make_user(role, COUNTY_A)).get("/admin/")
        assert response.status_code == 302, role
    province_admin = make_user(Role.ADMIN, "520000000000")
    assert client_for(province_admin).get("/admin/").status_code == 200


def test_every_api_url_is_an_operation_or_the_signed_in_docs(regions):
    resolver = next(p for p in get_resolver().url_patterns
                    if isinstance(p, URLResolver) and p.namespace == "api")
    operations = {re.sub(r"\{(\w+)\}", r"<\1>", path.removeprefix("/api/v1/"))
                  for path, _m, _op in api_operations()}
    docs = {"openapi.json", "docs"}
    routes = {str(p.pattern) for p in resolver.url_patterns if str(p.pattern)}
    assert routes <= operations | docs, routes - operations - docs
    for route in docs:
        response = Client().get(f"/api/v1/{route}")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert client_for(make_user(Role.VIEWER)).get(f"/api/v1/{route}").status_code == 200


@pytest.mark.django_db
def test_province_wide_data_is_changed_only_at_province_level(regions):
    from fupin.poverty.models import PovertyLine

    line = PovertyLine.objects.get(year=2011)
    url = f"/poverty/lines/{line.pk}/edit/"
    assert client_for(make_user(Role.POVERTY_OFFICE, COUNTY_A)).get(url).status_code == 404
    assert client_for(make_user(Role.POVERTY_OFFICE, "520000000000")).get(url).status_code == 200
    assert client_for(make_user(Role.VIEWER, "520000000000")).get(url).status_code == 403

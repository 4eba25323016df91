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
from fupin.core.masking import mask
from fupin.core.policy import RULES, Role, can, has_personal_data_permission
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
    another county; an export shows personal data only to roles that hold the permission."""
    from fupin.core.views import ObjectListView

    user = make_user(role, COUNTY_A)
    client = client_for(user)
    unmasked = has_personal_data_permission(user)
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
        # field -> (the value as an unmasked export shows it, the same masked)
        personal = {name: (_shown(inside, name), str(mask(getattr(inside, name), kind)))
                    for name, kind in getattr(view.model, "personal_fields", {}).items()
                    if name in view.table_class.base_columns and getattr(inside, name)}
        for fmt in ("csv", "xlsx"):
            rows = export_rows(client, url, fmt)
            if inside_row not in rows:
                failures.append((route, fmt, "in-scope row missing", inside_row))
            if outside_row in rows:
                failures.append((route, fmt, "out-of-scope row exported", outside_row))
            cells = {cell for row in rows for cell in row}
            for name, (shown, masked) in personal.items():
                if (shown in cells) is not unmasked:
                    failures.append((route, fmt, name, "shown" if shown in cells else "masked"))
                if not unmasked and masked not in cells:
                    failures.append((route, fmt, name, "masked value missing", masked))
    assert not failures, failures


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

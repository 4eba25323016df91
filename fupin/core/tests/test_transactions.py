"""Which requests run in a transaction: a writing request's view runs in one (the scope check
rolls back all it wrote), a reading request runs in autocommit and never holds SQLite's write
lock, so one slow page cannot make every other request wait for the lock and fail.

The tests pass on the in-memory test database (shared cache: a second connection meets a held
lock at once) and on a file (`FUPIN_TEST_SQLITE_FILE`: it waits out the busy timeout)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.http import HttpResponse
from django.test import override_settings
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, COUNTY_B, client_for

# serialized_rollback: the flush after each test would otherwise take the rows that data
# migrations seed (the poverty lines) from the tests that run after these on the same worker.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _two_users(request):
    """Writes a user in the writer's county, then one in another county (a ScopeViolation)."""
    User = get_user_model()
    User.objects.create(username="inside", role=Role.VIEWER, region_code=COUNTY_A)
    User.objects.create(username="outside", role=Role.VIEWER, region_code=COUNTY_B)
    return HttpResponse("written")


urlpatterns = [path("two-users/", _two_users)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_post_that_fails_the_scope_check_stores_nothing(regions, make_user):
    client = client_for(make_user(Role.ADMIN, COUNTY_A))
    client.raise_request_exception = False
    response = client.post("/two-users/")
    assert response.status_code == 403
    assert not get_user_model().objects.filter(username__in=["inside", "outside"]).exists()


def test_a_page_reads_without_a_transaction(regions, make_user):
    """No BEGIN while the page is made, so SQLite's write lock stays free for the others."""
    client = client_for(make_user(Role.ADMIN, COUNTY_A))
    seen = []

    def rendered(sender, **kwargs):
        seen.append((connection.in_atomic_block, len(queries.captured_queries)))

    template_rendered.connect(rendered)
    try:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("web:home")).status_code == 200
    finally:
        template_rendered.disconnect(rendered)
    assert seen and not any(atomic for atomic, _count in seen)
    made = queries.captured_queries[:max(count for _atomic, count in seen)]
    assert not [q["sql"] for q in made if q["sql"].upper().startswith("BEGIN")]


def test_another_request_writes_while_a_page_reads(regions, make_user):
    """A write from another thread (its own connection) goes through while the home page is
    reading the region tree."""
    client = client_for(make_user(Role.ADMIN, COUNTY_A))
    outcomes = []

    def write():
        try:
            get_user_model().objects.create(username="meanwhile", role=Role.VIEWER,
                                            region_code=COUNTY_A)
            outcomes.append("written")
        except Exception as exc:  # noqa: BLE001 - the failure is the outcome under test
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    def reading_regions(execute, sql, params, many, context):
        if not outcomes and '"regions_region"' in sql:
            writer = threading.Thread(target=write)
            writer.start()
            writer.join(timeout=30)
            outcomes.append("alive" if writer.is_alive() else "joined")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(reading_regions):
        assert client.get(reverse("web:home")).status_code == 200
    assert outcomes[:2] == ["written", "joined"]

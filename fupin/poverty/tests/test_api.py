"""The declared API of the poverty registry, with the data of its page tests."""

from fupin.core.testing_api import ModelAPITests
from fupin.poverty.tests import test_views as v

API = "/api/v1/poverty/"


class TestHouseholdAPI(ModelAPITests):
    path, views = f"{API}households/", v.TestHouseholdViews


class TestPersonAPI(ModelAPITests):
    path, views = f"{API}persons/", v.TestPersonViews


class TestVillageProfileAPI(ModelAPITests):
    path, views = f"{API}villages/", v.TestVillageProfileViews


class TestIncomeRecordAPI(ModelAPITests):
    path, views, operations = f"{API}incomes/", v.TestIncomeRecordViews, ("list", "detail")
    region_filter = False  # the income list has no filters of its own, on the page either


class TestProcedureAPI(ModelAPITests):
    path, views, operations = f"{API}procedures/", v.TestProcedureViews, ("list", "detail")


class TestCrosscheckLeadAPI(ModelAPITests):
    path, views, operations = f"{API}crosscheck-leads/", v.TestCrosscheckLeadViews, \
        ("list", "detail")


def test_poverty_lines_are_one_list_for_everyone(regions, make_user):
    from decimal import Decimal

    from fupin.core.context import acting_as
    from fupin.core.policy import Role
    from fupin.core.testing_api import token_client
    from fupin.poverty.models import PovertyLine

    # Its own rows, not the migration's seed: a test elsewhere that flushes the database on
    # the same worker would take those away.
    with acting_as(None, label="test"):
        for year, line in ((2011, 2300), (2015, 2855)):
            PovertyLine.objects.get_or_create(year=year, defaults={"poverty_line": Decimal(line)})
    years = sorted(PovertyLine.objects.values_list("year", flat=True))
    for role, region in ((Role.VIEWER, "520000000000"), (Role.TOWNSHIP, "520302001000")):
        lines = token_client(make_user(role, region)).get(f"{API}lines/").json()
        assert [line["year"] for line in lines] == years

"""Regions through the declared API: by code, in scope only, with the page's filters."""

from fupin.core.testing import COUNTY_A, VILLAGE_A
from fupin.core.testing_api import ModelAPITests, token_client
from fupin.regions.models import Region


class TestRegionAPI(ModelAPITests):
    path = "/api/v1/regions/"
    model = Region
    operations = ("list", "detail")
    lookup = "code"
    region_filter = False

    def test_filters_of_the_page_and_the_tree(self, setup):
        def codes(**query):
            return {r["code"] for r in self.api.get(self.path, query).json()["items"]}

        assert codes(level=5, parent="520102001000") == {VILLAGE_A, "520102001002"}
        assert codes(q="520102002") == {"520102002000", "520102002001"}
        assert self.api.get(self.path, {"level": "x"}).status_code == 422
        children = token_client(self.owner).get(f"{self.path}{COUNTY_A}/children").json()
        assert [r["code"] for r in children] == ["520102001000", "520102002000"]

"""The indicators behind the party pages' panels say what fupin.party.rules derives."""

import datetime

from fupin.analytics import indicators as ind
from fupin.core.context import acting_as
from fupin.core.testing import VILLAGE_A, VILLAGE_B
from fupin.party import rules
from fupin.party.models import CadrePosition
from fupin.party.testing import make_cadre, make_committee

VILLAGE_A2 = "520102001002"


def test_cross_member_cadres_match_rules_cross_members(regions):
    start = datetime.date(2024, 1, 1)
    with acting_as(None, label="test"):
        for village, both in ((VILLAGE_A, 2), (VILLAGE_A2, 1), (VILLAGE_B, 0)):
            branch, villagers = make_committee(village, "branch"), make_committee(village,
                                                                                "villagers")
            for i in range(3):
                cadre = make_cadre(village)
                CadrePosition.objects.create(cadre=cadre, committee=branch, post="member",
                                             region_code=village, starts_on=start)
                if i < both:
                    CadrePosition.objects.create(cadre=cadre, committee=villagers,
                                                 post="member", region_code=village,
                                                 starts_on=start)
        # a cross-membership that ended does not count
        ended = make_cadre(VILLAGE_B)
        CadrePosition.objects.create(cadre=ended, committee=branch, post="member",
                                     region_code=VILLAGE_B, starts_on=start)
        CadrePosition.objects.create(cadre=ended, committee=villagers, post="member",
                                     region_code=VILLAGE_B, starts_on=start,
                                     ends_on=datetime.date(2024, 6, 1))
    found = {r[1]: r[4] for r in ind._cross_members(None)}
    derived: dict[str, int] = {}
    for row in rules.cross_members(""):
        derived[row.region_code] = derived.get(row.region_code, 0) + 1
    assert found == derived == {VILLAGE_A: 2, VILLAGE_A2: 1}

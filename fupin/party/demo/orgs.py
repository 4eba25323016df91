"""The `party.orgs` generator: committees, organ branches, village branches and joint branches."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from fupin.core import changelog, demo
from fupin.core.models import ChangeRecord
from fupin.party import choices as c
from fupin.party.demo.calibration import (
    BATCH_OBJECT_ID,
    ENTERPRISES,
    GENERAL_BRANCH_SHARE,
    JOINT_SHARE,
    ORGAN_UNITS,
    ORGANS_PER_COUNTY,
    ORGANS_PER_PREFECTURE,
    Table,
)
from fupin.party.demo.helpers import (
    in_range,
    latest_batch,
    max_id,
    new_ids,
    place_name,
    populations,
)
from fupin.party.models import CoveredRegion, PartyOrg
from fupin.regions.models import Level, Region

ORG_FIELDS = ("region_code", "name", "kind", "basis", "parent", "founded_on", "code")


class OrgCodes:
    """Organization codes as PartyOrg.next_code gives them (the region code and a 3-digit
    number), numbered on from the codes already there."""

    def __init__(self):
        self.last: dict[str, int] = defaultdict(int)
        for code in PartyOrg._base_manager.values_list("code", flat=True).iterator():
            region, number = code[:12], code[12:]
            if number.isdigit():
                self.last[region] = max(self.last[region], int(number))

    def next(self, region_code: str) -> str:
        self.last[region_code] += 1
        return f"{region_code}{self.last[region_code]:03d}"


def org_counts(record: ChangeRecord) -> dict[str, int]:
    rows = in_range(PartyOrg, record, "orgs")
    counts = rows.aggregate(
        orgs=Count("id"), committees=Count("id", filter=Q(kind=c.OrgKind.COMMITTEE)),
        organ_branches=Count("id", filter=Q(basis=c.OrgBasis.ORGAN)),
        joint=Count("id", filter=Q(basis__in=c.OrgBasis.joint())))
    counts["village"] = counts["orgs"] - counts["committees"] - counts["organ_branches"] \
        - counts["joint"]
    return counts


def describe_orgs(counts: dict[str, int]) -> str:
    return (f"{counts['orgs']:,} party organizations ({counts['committees']:,} committees, "
            f"{counts['village']:,} village branches, {counts['joint']:,} joint, "
            f"{counts['organ_branches']:,} organ branches)")


@demo.generator("party.orgs", order=40)
def orgs(ctx: demo.DemoContext) -> str:
    record = latest_batch("party.partyorg")
    if in_range(PartyOrg, record, "orgs").exists():
        return describe_orgs(org_counts(record)) + " exist, nothing added"
    regions = list(Region._base_manager.order_by("code").values_list("code", "name", "level"))
    villages = [(code, name) for code, name, level in regions if level == Level.VILLAGE]
    if not villages:
        return "no villages, nothing added"
    rng = ctx.random("party.orgs")
    names = {code: name for code, name, _level in regions}
    townships = [code for code, _n, level in regions
                 if level == Level.TOWNSHIP and code[:6] + "000000" in names]
    county_codes = sorted({t[:6] + "000000" for t in townships})
    prefectures = [code for code, _n, level in regions if level == Level.PREFECTURE
                   and (any(cc.startswith(code[:4]) for cc in county_codes))]
    written: list[int] = []  # ids (PostgreSQL sequences do not start at max + 1)

    def founded(lo: int, hi: int) -> str:
        return (date(lo, 1, 1) + timedelta(days=rng.randrange((hi - lo + 1) * 365))).isoformat()

    def organs(code: str, count: tuple[int, int], parent: int) -> list[tuple]:
        units = rng.sample(ORGAN_UNITS, rng.randint(*count))
        return [(code, unit.format(names[code]) + "机关党支部", c.OrgKind.BRANCH, c.OrgBasis.ORGAN,
                 parent, founded(1980, 2008)) for unit in units]

    table = Table(PartyOrg, ORG_FIELDS)
    org_codes = OrgCodes()

    def write(rows: list[tuple]) -> dict:
        last = max_id(PartyOrg)
        table.write([(*row, org_codes.next(row[0])) for row in rows])
        ids = new_ids(PartyOrg, last, "region_code", "name")
        written.extend((min(ids.values()), max(ids.values())) if ids else ())
        return ids

    # prefectures, then counties (and prefecture organs), then townships (and county organs)
    level_rows = [(code, f"中共{names[code]}委员会", c.OrgKind.COMMITTEE, c.OrgBasis.PLACE, None,
                   founded(1949, 1956)) for code in prefectures]
    ids = write(level_rows)
    committee_id = {row[0]: ids[(row[0], row[1])] for row in level_rows}
    rows = []
    for code in county_codes:
        parent = committee_id.get(code[:4] + "00000000")
        rows.append((code, f"中共{names[code]}委员会", c.OrgKind.COMMITTEE, c.OrgBasis.PLACE,
                     parent, founded(1949, 1956)))
    county_rows = list(rows)
    for code in prefectures:
        rows += organs(code, ORGANS_PER_PREFECTURE, committee_id[code])
    ids = write(rows)
    committee_id |= {row[0]: ids[(row[0], row[1])] for row in county_rows}
    rows = []
    for code in townships:
        suffix = "工作委员会" if names[code].endswith("街道") else "委员会"
        rows.append((code, f"中共{names[code]}{suffix}", c.OrgKind.COMMITTEE, c.OrgBasis.PLACE,
                     committee_id[code[:6] + "000000"], founded(1950, 1992)))
    township_rows = list(rows)
    for code in county_codes:
        rows += organs(code, ORGANS_PER_COUNTY, committee_id[code])
    ids = write(rows)
    committee_id |= {row[0]: ids[(row[0], row[1])] for row in township_rows}

    # villages: a general branch for the most populous, a branch for the others
    codes = [code for code, _name in villages]
    weight = populations(codes)
    ranked = sorted(range(len(codes)), key=lambda i: (-weight[i], rng.random()))
    general = set(ranked[: round(len(codes) * GENERAL_BRANCH_SHARE)])
    rows = []
    for i, (code, name) in enumerate(villages):
        kind = c.OrgKind.GENERAL_BRANCH if i in general else c.OrgKind.BRANCH
        rows.append((code, place_name(name) + ("党总支" if i in general else "党支部"), kind,
                     c.OrgBasis.PLACE, committee_id[code[:9] + "000"], founded(1950, 1990)))
    joint = joint_groups(rng, villages, round(len(villages) * JOINT_SHARE))
    for basis, group in joint:
        lead = group[0][0]
        places = "、".join(place_name(n) for _c, n in group)
        if basis == c.OrgBasis.JOINT_VILLAGES:
            name = f"{places}联村党总支"
        else:
            town = names[lead[:9] + "000"]
            name = f"{places}与{town[:2]}{rng.choice(ENTERPRISES)}村企联建党总支"
        rows.append((lead, name, c.OrgKind.GENERAL_BRANCH, basis,
                     committee_id[lead[:9] + "000"], founded(2008, 2015)))
    ids = write(rows)
    covered = []
    for (_basis, group), row in zip(joint, rows[len(villages):], strict=True):
        covered += [(ids[(row[0], row[1])], code) for code, _n in group]
    Table(CoveredRegion, ("org", "region_code")).write(covered)
    record = changelog.append(
        action=ChangeRecord.Action.BATCH, model="party.partyorg", object_id=BATCH_OBJECT_ID,
        object_repr="demo party organizations", region_code="",
        extra={"orgs": [min(written), max(written)], "covered_regions": len(covered),
               "scale": ctx.scale, "seed": ctx.seed})
    return describe_orgs(org_counts(record))


def joint_groups(rng, villages: list[tuple[str, str]], wanted: int
                 ) -> list[tuple[str, list[tuple[str, str]]]]:
    """`wanted` groups of 2 or 3 neighbouring villagers' committees (consecutive codes in one
    township), no village in two; (basis, villages)."""
    rural = [i for i, (code, _n) in enumerate(villages) if code[9] == "2"]
    used: set[int] = set()
    groups = []
    for i in rng.sample(rural, len(rural)):
        if len(groups) >= wanted:
            break
        basis = c.OrgBasis.JOINT_VILLAGES if rng.random() < 0.75 else c.OrgBasis.VILLAGE_ENTERPRISE
        size = 2 if basis == c.OrgBasis.VILLAGE_ENTERPRISE or rng.random() < 0.6 else 3
        members = list(range(i, i + size))
        if members[-1] >= len(villages) or any(
                j in used or villages[j][0][:9] != villages[i][0][:9]
                or villages[j][0][9] != "2" for j in members):
            continue
        used.update(members)
        groups.append((basis, [villages[j] for j in members]))
    groups.sort(key=lambda g: g[1][0][0])
    return groups


@dataclass
class Tree:
    """The demo organizations the later generators fill: (id, region code, kind) each."""

    villages: list[tuple[int, str, str]]  # one per village, by code
    organs: list[tuple[int, str, str]]
    joint: list[tuple[int, str, str]]


def load_tree() -> Tree | None:
    rows = in_range(PartyOrg, latest_batch("party.partyorg"), "orgs")
    tree = Tree([], [], [])
    for pk, code, kind, basis in rows.order_by("region_code", "id").values_list(
            "id", "region_code", "kind", "basis"):
        if basis == c.OrgBasis.ORGAN:
            tree.organs.append((pk, code, kind))
        elif basis in c.OrgBasis.joint():
            tree.joint.append((pk, code, kind))
        elif kind != c.OrgKind.COMMITTEE:
            tree.villages.append((pk, code, kind))
    return tree if tree.villages else None

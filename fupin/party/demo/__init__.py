"""Demo data of party building (党建): organizations, members, organization life, the two village
committees and their cadres.

Three generators, after the poverty ones (whose village profiles give the rural population):

- `party.orgs` (40): a committee (党委) per prefecture, per county with townships and per
  township (街道: 党工委), each under the one above (prefectures have no parent); a few organ
  branches (机关党支部) in every prefecture and county, under its committee; a branch for every
  village (the most populous GENERAL_BRANCH_SHARE of villages have a general branch, 党总支)
  under its township committee; and, *in addition* to the village branches, joint general
  branches (村村联建, 村企联建) for about JOINT_SHARE of the villagers' committees, two or three
  neighbouring villages of one township each, listed as CoveredRegion rows, also under the
  township committee (the village branches keep their place and their members).
- `party.members` (50): exactly round(1,000,000 s) members, full or probationary ("members"),
  ORGAN_SHARE of them in organ branches and the rest in village branches; on top of them the
  people on the way in (applicants, activists, development candidates: PIPELINE shares of the
  members). Stage dates respect the minimum durations (activist a year before candidate,
  probation a year before full) and nobody applies before 18. Then posts with duties, responsibility
  zones, commitments of the current year, demonstration households, mobile members (about 3%,
  half under six months with an activity card, half longer) and their service stations in the
  cities where Guizhou's migrants work, care visits to old members, and twelve months of
  organization life (三会一课, themed day) for every branch, SHORT_SHARE of them falling short.
- `party.committees` (60): for every village the branch committee and the villagers' committee
  of the current term, with their cadres and posts: 一肩挑 in ONE_SHOULDER_SHARE of villages,
  cross-membership for other posts in CROSS_SHARE, a college graduate in COLLEGE_SHARE; pay and
  insurance of the current year for secretaries and directors; career records for a handful of
  secretaries; a few closed elections (两推一选) whose votes give exactly the committee.

The members and committees generators share a *committee plan* drawn from the seed and the
village codes alone (`committee_plan`): who sits on each committee, which of them are party
members, which is the college graduate. The members generator writes the member cadres of each
village first in its branch (occupation CADRE_OCCUPATION, secretary first); the committees
generator reads them back and makes them cadres, with the same name and ID number (one person).
At scale 1 every seat the plan gives to a party member has its member row (about 84,000, 9% of
the village members). Below, member cadres are at most MAX_CADRE_SHARE of the village members,
so s times as many as at scale 1 like every other count and the members' own shares (cadres,
mobile, probationary, ...) stay the same: the seats are then filled rank by rank, every
village's secretary before any second seat (every secretary has a member row from about scale
0.2), the more populous villages first, and the cadres left over have no member row. The few
villages with a recorded election have all their seats at any scale. The other village members
are apportioned in proportion to the rural population.

ID numbers never meet the poverty demo's: `poverty.demo.IdNumbers` numbers each (county, birth
year, sex) from 0 upwards; members take that same sequence from its top downwards on even
steps, cadres who are not members on odd steps (`TopDownIds`). A cadre who is a member carries
the member's number.

Rows are written in chunks with the poverty demo's `Table` (COPY on PostgreSQL, executemany on
SQLite), or for the largest tables (meetings, members, committees, cadres, posts) `write_rows`,
which takes whole rows and formats COPY's text itself. About 590,000 meetings and 300,000
committee and cadre rows are written at any scale (the region tree stays whole), so on SQLite
the members and committees generators widen the page cache while they run (`roomy`). No
change-log signals fire: each generator appends one batch change record, whose id is the
members' `batch_id`; the org and committee records name the id ranges they wrote.
A second run finds the rows and adds nothing. Everything is fixed by the seed except that dates
count back from today (the day of the run), as the poverty procedures do, so that "the last
twelve months", "away for six months" and "the current term" stay meaningful.

One module per section: `calibration`, `helpers` (shared by the three generators), `plan` (the
committee plan), and a module per generator (`orgs`, `members`, `committees`). The registry
(`fupin.core.demo`) imports this package, which imports the generator modules and so registers
them; the names other apps' demos and the tests use are imported here.
"""

from fupin.party.demo.calibration import (
    CADRE_OCCUPATION,
    CAREER_SHARE,
    COLLEGE_SHARE,
    CROSS_SHARE,
    GENERAL_BRANCH_SHARE,
    JOINT_SHARE,
    MAX_CADRE_SHARE,
    ONE_SHOULDER_SHARE,
    ORGAN_SHARE,
    ORGAN_UNITS,
    ORGANS_PER_COUNTY,
    ORGANS_PER_PREFECTURE,
    OTHER_PLACES,
    PIPELINE,
    SHORT_SHARE,
    TERM_YEARS,
)
from fupin.party.demo.committees import committees
from fupin.party.demo.helpers import (
    Namer,
    TopDownIds,
    add_years,
    in_range,
    latest_batch,
    max_id,
    month_start,
    new_ids,
    phone,
    place_name,
    roomy,
    today,
)
from fupin.party.demo.members import STAMP, members, write_rows
from fupin.party.demo.orgs import OrgCodes, orgs
from fupin.party.demo.plan import term_start

__all__ = [
    "CADRE_OCCUPATION",
    "CAREER_SHARE",
    "COLLEGE_SHARE",
    "CROSS_SHARE",
    "GENERAL_BRANCH_SHARE",
    "JOINT_SHARE",
    "MAX_CADRE_SHARE",
    "ONE_SHOULDER_SHARE",
    "ORGANS_PER_COUNTY",
    "ORGANS_PER_PREFECTURE",
    "ORGAN_SHARE",
    "ORGAN_UNITS",
    "OTHER_PLACES",
    "PIPELINE",
    "SHORT_SHARE",
    "STAMP",
    "TERM_YEARS",
    "Namer",
    "OrgCodes",
    "TopDownIds",
    "add_years",
    "committees",
    "in_range",
    "latest_batch",
    "max_id",
    "members",
    "month_start",
    "new_ids",
    "orgs",
    "phone",
    "place_name",
    "roomy",
    "term_start",
    "today",
    "write_rows",
]

"""Demo data of the assistance mechanisms (党建促扶贫): work teams, contact points, branch and
household pairing, visits, measures, whole-village plans, industry projects, relocation and
Spring Sunshine.

Four generators, after the poverty (10-30) and party (40-60) ones:

- `assistance.teams` (70): a work team (驻村工作队) in every key village and in
  OTHER_TEAM_SHARE of the other poor villages (s times as many, at least OTHER_TEAM_MIN),
  dispatched by a province, prefecture, county or township unit for a term of two or three
  years around today; three to five members each (first secretary, leader, members), a few
  teams (SMALL_TEAM_SHARE) with two; presence for the last twelve months (20 to 26 days a
  month, a few short, and in SHORT_PRESENCE_SHARE of the teams a member short last month); a
  few work-log entries. Leading cadres' contact points (round(CONTACT_POINTS s)) with their
  visits. Branch pairings (万个支部结对): max(round(10,000 s), the floor), where the floor pairs
  every branch of a key or poor village but a few (BRANCH_GAP_SHARE) once; COMPLETED_SHARE of
  them from earlier terms. Helping branches are the party demo's organ branches and urban
  community branches (城乡共创), and where those run out (at most MAX_PAIRINGS current pairings
  each) organ, public-institution and enterprise branches that this generator adds as PartyOrg
  rows, under the county or prefecture committee, as `party.orgs` writes its organ branches
  (without members or meetings; the batch record names their id range). The poor villages
  are a share of the whole region tree, not scaled, so below scale 1 the floor, not 10,000 s,
  sets the count (about 1,900 at 0.01).
- `assistance.projects` (72): whole-village plans for VILLAGE_PLAN_SHARE of the key villages
  with their funding and projects; enterprises and cooperatives (round(ENTERPRISES s)) with
  industry projects whose benefits link households in need of the village; resettlement sites
  and a relocation for every household the poverty demo marks `relocated`; Spring Sunshine
  envoys (round(ENVOYS s)) living in Guangzhou, Shenzhen, Shanghai, Zhejiang... with their
  contributions to their home villages.
- `assistance.households` (74): every household in need (`rules.helped_statuses()`) gets a
  current helper except a visible few (UNPAIRED_SHARE); helpers are full members (not away, at
  most 70), those of the county's and prefecture's organ branches first, then members of the
  household's village, township, county and prefecture, each with one to five households (a
  few, OVER_LIMIT_SHARE, with six to eight); HELPER_CHANGED_SHARE of the households had an
  earlier helper. At scale 1 that is some 230,000 helpers for 670,000 households, well over
  the published 10,000 (万名党员帮万户), which (s times, at least HELPER_FLOOR) is the floor. Visits by the helper over the past year,
  the latest within 90 days except in STALE_SHARE of the households; visits of work-team
  members to their villages, the latest within 30 days except in a few key villages (whose
  households' latest visits are then 31 to 85 days old too). A plan of one to four measures
  for every household in need but a few (NO_MEASURE_SHARE), their kinds following the
  household's causes of poverty, the older ones done.
- `assistance.helper_user` (910, after `accounts.users`): links the demo user `demo-helper` to
  a member who currently helps two to five households of one village, nearest the village the
  accounts generator chose, and makes that village the user's scope (accounts/demo.py leaves
  a linked helper's village alone on a second run).

Rows are written in chunks as the poverty and party generators write theirs (`Table`,
`write_rows`: COPY on PostgreSQL, executemany on SQLite), so no change-log signals fire: each
generator appends one batch change record naming the id ranges it wrote, which is also how a
second run finds the data and adds nothing. Households are handled a prefecture at a time, so
memory stays bounded at scale 1. Everything is fixed by the seed except that dates count back
from today, as the party demo's do.

One module per section: `calibration`, `names` (the texts drawn from), `helpers` (shared by the
generators), and a module per generator (`teams`, `projects`, `households`, `helper_user`). The
registry (`fupin.core.demo`) imports this package, which imports the generator modules and so
registers them; the names the tests use are imported here.
"""

from fupin.assistance.demo.calibration import (
    BRANCH_PAIRING_FLOOR,
    BRANCH_PAIRINGS,
    COMPLETED_SHARE,
    CONTACT_FLOOR,
    CONTACT_POINTS,
    ENTERPRISE_FLOOR,
    ENTERPRISES,
    ENVOY_FLOOR,
    ENVOYS,
    GAP_MIN,
    HELPER_FLOOR,
    HELPER_USERNAME,
    HELPERS,
    HOUSEHOLDS_BATCH,
    MAX_HELPER_AGE,
    MAX_PAIRINGS,
    OTHER_TEAM_MIN,
    OTHER_TEAM_SHARE,
    PROJECTS_BATCH,
    TEAMS_BATCH,
    UNPAIRED_SHARE,
    VILLAGE_PLAN_MIN,
    VILLAGE_PLAN_SHARE,
)
from fupin.assistance.demo.helper_user import helper_user
from fupin.assistance.demo.households import households
from fupin.assistance.demo.names import CAUSE_FIRST
from fupin.assistance.demo.projects import projects
from fupin.assistance.demo.teams import teams

__all__ = [
    "BRANCH_PAIRINGS",
    "BRANCH_PAIRING_FLOOR",
    "CAUSE_FIRST",
    "COMPLETED_SHARE",
    "CONTACT_FLOOR",
    "CONTACT_POINTS",
    "ENTERPRISES",
    "ENTERPRISE_FLOOR",
    "ENVOYS",
    "ENVOY_FLOOR",
    "GAP_MIN",
    "HELPERS",
    "HELPER_FLOOR",
    "HELPER_USERNAME",
    "HOUSEHOLDS_BATCH",
    "MAX_HELPER_AGE",
    "MAX_PAIRINGS",
    "OTHER_TEAM_MIN",
    "OTHER_TEAM_SHARE",
    "PROJECTS_BATCH",
    "TEAMS_BATCH",
    "UNPAIRED_SHARE",
    "VILLAGE_PLAN_MIN",
    "VILLAGE_PLAN_SHARE",
    "helper_user",
    "households",
    "projects",
    "teams",
]

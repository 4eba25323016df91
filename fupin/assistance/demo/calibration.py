"""The figures the assistance demo is calibrated to (seed-figures.md: "10,000 branches paired and
10,000 members helping"), and the party and poverty demos' tools it borrows.
"""

from __future__ import annotations

from fupin.assistance import choices as c
from fupin.party import demo as party_demo
from fupin.poverty import demo as poverty_demo

Table, Odds, apportion = poverty_demo.Table, poverty_demo.Odds, poverty_demo.apportion
write_rows, STAMP = party_demo.write_rows, party_demo.STAMP
latest_batch, in_range, max_id = party_demo.latest_batch, party_demo.in_range, party_demo.max_id
today, add_years, month_start = party_demo.today, party_demo.add_years, party_demo.month_start
place_name, phone = party_demo.place_name, party_demo.phone
BATCH_OBJECT_ID = "demo"
TEAMS_BATCH, PROJECTS_BATCH, HOUSEHOLDS_BATCH = (
    "assistance.workteam", "assistance.villageplan", "assistance.pairing")
HELPER_USERNAME = "demo-helper"

# --- calibration (seed-figures.md: "10,000 branches paired and 10,000 members helping") --------
BRANCH_PAIRINGS = 10_000
BRANCH_PAIRING_FLOOR = 50
HELPERS = 10_000
HELPER_FLOOR = 50
OTHER_TEAM_SHARE = 0.10  # of the poor villages that are not key villages, at scale 1
OTHER_TEAM_MIN = 5
SMALL_TEAM_SHARE = 0.03  # of the teams: two members only (below the minimum of three)
SHORT_PRESENCE_SHARE = 0.05  # of the teams: a member under 20 days last month
SHORT_MONTH_SHARE = 0.03  # of the other member-months: under 20 days
CONTACT_POINTS, CONTACT_FLOOR = 3_000, 12
BRANCH_GAP_SHARE = 0.005  # of the branches of key and poor villages: no current pairing
COMPLETED_SHARE = 0.12  # of the branch pairings: from an earlier term
MAX_PAIRINGS = {c.HelpingOrgKind.ORGAN: 3, c.HelpingOrgKind.INSTITUTION: 3,
                c.HelpingOrgKind.ENTERPRISE: 3, c.HelpingOrgKind.URBAN: 2}
HELPING_KINDS = Odds({c.HelpingOrgKind.ORGAN: 45, c.HelpingOrgKind.INSTITUTION: 20,
                      c.HelpingOrgKind.ENTERPRISE: 15, c.HelpingOrgKind.URBAN: 20})
VILLAGE_PLAN_SHARE, VILLAGE_PLAN_MIN = 0.10, 3  # of the key villages
ENTERPRISES, ENTERPRISE_FLOOR = 1_500, 6
ENVOYS, ENVOY_FLOOR = 2_000, 10
UNPAIRED_SHARE = 0.005  # of the households in need: no current helper
OVER_LIMIT_SHARE = 0.003  # of the helpers: six to eight households
HELPER_CHANGED_SHARE = 0.05  # of the paired households: an earlier helper
STALE_SHARE = 0.03  # of the households in need: no visit in the last 90 days
QUIET_VILLAGE_SHARE = 0.05  # of the key villages: no visit in the last 30 days
NO_MEASURE_SHARE = 0.015  # of the households in need: no measure
GAP_MIN = 2  # each deliberate gap shows at least this many rows (where there are enough)
MAX_HELPER_AGE = 70
LOADS = Odds({1: 15, 2: 25, 3: 25, 4: 20, 5: 15})
LIGHT_LOADS = Odds({1: 70, 2: 30})  # when there are few households per floor helper
MEAN_LOAD = 2.95
CHUNK = 20_000  # rows per write
UL = c.UnitLevel

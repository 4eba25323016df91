"""Demo data of the poverty registry (建档立卡): village profiles, households, persons, incomes,
procedures in progress.

Calibrated to ../shared/seed-figures.md (year-end 2006). At `--scale s`:

- every village (level 5) has a profile; rural populations sum to round(29,000,000 s);
- round(5,486 s) key villages (重点村), drawn among the villagers' committees (codes 2xx);
- the persons of poor households total round(2,550,000 s), those of low-income households
  round(4,550,000 s), most of the poor in key villages, the rest in other rural villages;
- each household has a 2006 income record under (poor) or between (low income) the 2006 lines,
  which are read from the PovertyLine table, never written here.

Both generators work from one *plan* (`make_plan`): the list of households (status, attribute,
size) of every village, drawn from the seed and the key villages alone. The village generator
sizes each village's population so that its registered persons fit in it; the household
generator, run later, draws the same plan again and fills it in. The plan holds one byte per
household, so even scale 1 (1.9 million households) stays small, and rows are written in chunks
of CHUNK households (`Table`: COPY on PostgreSQL, executemany on SQLite; several times faster
than bulk_create, whose per-value preparation dominated). Like bulk_create this bypasses the
change-log signals, so each generator appends one batch change record; its id is the
`batch_id` of every household and person written, and how a second run knows the demo is there.

One module per section: `calibration`, `plan`, `writing`, and a module per generator
(`villages`, `households`, `in_progress`). The registry (`fupin.core.demo`) imports this package,
which imports the generator modules and so registers them; the names other apps' demos and the
tests use are imported here.
"""

from fupin.poverty.demo.calibration import (
    FEMALE_CHARS,
    HAN_SURNAMES,
    INCOME_YEAR,
    MALE_CHARS,
    SURNAMES,
)
from fupin.poverty.demo.households import (
    DEFAULT_MIX_ODDS,
    MIX_ODDS,
    IdNumbers,
    Odds,
    households,
    luhn,
    money,
)
from fupin.poverty.demo.in_progress import procedures
from fupin.poverty.demo.plan import apportion, cumulative, make_plan
from fupin.poverty.demo.villages import villages
from fupin.poverty.demo.writing import Table

__all__ = [
    "DEFAULT_MIX_ODDS",
    "FEMALE_CHARS",
    "HAN_SURNAMES",
    "INCOME_YEAR",
    "MALE_CHARS",
    "MIX_ODDS",
    "SURNAMES",
    "IdNumbers",
    "Odds",
    "Table",
    "apportion",
    "cumulative",
    "households",
    "luhn",
    "make_plan",
    "money",
    "procedures",
    "villages",
]

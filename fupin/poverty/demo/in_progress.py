"""The `poverty.procedures` generator: procedures in progress (程序). About 3% of the demo
households are put mid-way through identification, exit or return-to-poverty monitoring, a few
monitoring procedures past their 15-day limit so the region pages have something to flag; half
of the monitoring procedures have reached the county's decision, their households monitored.

Rows are written with bulk_create (no signals) and one batch change record, as the household
generator does. Steps follow `workflows.py`: in order, an open procedure's last step never
taken, every wait after a notice respected, the signature and consent recorded, and
every date in the past. Dates count back from today so the deadlines stay meaningful whenever
the demo is loaded; everything else is fixed by the seed.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from fupin.core import changelog, demo
from fupin.core.models import ChangeRecord
from fupin.poverty import workflows as wf
from fupin.poverty.choices import LeadSource, MonitoredGroup, PovertyStatus, ProcedureKind
from fupin.poverty.choices import ProcedureState as State
from fupin.poverty.models import Household, Procedure, ProcedureStep

SHARE = 0.03  # of the demo households, mid-procedure
OVERDUE_SHARE = 0.2  # of the open monitoring procedures, past their limit
# Of the monitoring procedures, those that reached the county's decision: completed, and their
# household monitored, as take_step() leaves it. The others stay open: households under
# assessment, which the dashboard shows beside the monitored ones.
DECIDED_SHARE = 0.5
CHUNK = 2_000
BATCH_OBJECT_ID = "demo"

# status -> (kind, weight): which procedure a household of that status can be in.
KINDS = {
    PovertyStatus.POOR: ((ProcedureKind.EXIT, 55), (ProcedureKind.IDENTIFICATION, 45)),
    PovertyStatus.LOW_INCOME: ((ProcedureKind.MONITORING, 60),
                               (ProcedureKind.IDENTIFICATION, 40)),
    PovertyStatus.EXITED: ((ProcedureKind.MONITORING, 100),),
    PovertyStatus.RELAPSED: ((ProcedureKind.IDENTIFICATION, 100),),
    PovertyStatus.MONITORED: ((ProcedureKind.RISK_REMOVAL, 100),),
}
GROUPS = {PovertyStatus.EXITED: ((MonitoredGroup.UNSTABLE, 80), (MonitoredGroup.HARDSHIP, 20)),
          PovertyStatus.LOW_INCOME: ((MonitoredGroup.MARGINAL, 80),
                                     (MonitoredGroup.HARDSHIP, 20))}
NOTE = "demo"


def already_seeded() -> bool:
    return ChangeRecord._base_manager.filter(
        action=ChangeRecord.Action.BATCH, model="poverty.procedure",
        object_id=BATCH_OBJECT_ID).exists()


def _pick(rng, options):
    kinds, weights = zip(*options, strict=True)
    return rng.choices(kinds, weights=weights)[0]


class Planner:
    def __init__(self, rng, today: datetime.date):
        self.rng = rng
        self.today = today
        # Parameters are read once, not per household.
        self.waits = {(f.kind, s.code): s.wait_days() for f in wf.WORKFLOWS.values()
                      for s in f.steps if s.wait_after}
        self.limits = {f.kind: (f.deadline_for(today) - today).days
                       for f in wf.WORKFLOWS.values() if f.limit_param}

    def steps(self, flow: wf.Workflow, overdue: bool,
              decided: bool = False) -> tuple[datetime.date, list]:
        """(started_on, [(code, offset days from the start, data)]) for an open procedure, or
        for one `decided`: every step taken, within its limit."""
        rng = self.rng
        # Open: never the last step. And never past a criteria check, which the demo's
        # households (2006 incomes under the line) would not pass: their exits stay proposals.
        most = len(flow.steps) - 1
        checks = [i for i, s in enumerate(flow.steps) if s.checks_criteria]
        if checks:
            most = min(most, checks[0])
        taken = len(flow.steps) if decided else rng.randint(1, most)
        offsets: dict[str, int] = {}
        plan = []
        day = 0
        for i, step in enumerate(flow.steps[:taken]):
            if i:
                day += rng.randint(0, 2)
                if step.wait_after:
                    day = max(day, offsets[step.wait_after] + self.waits[(flow.kind, step.code)])
            offsets[step.code] = day
            data = {key: True for key in step.requires}
            plan.append((step.code, day, data))
        span = day
        limit = self.limits.get(flow.kind)
        if decided:  # decided some time ago (gaps of 0-2 days keep it within its limit)
            back = span + rng.randint(0, 120)
        elif limit is None:
            back = span + rng.randint(0, 40)
        elif overdue:
            back = max(span, limit + rng.randint(1, 20))
        else:
            back = span + rng.randint(0, max(0, limit - span))
        started = self.today - datetime.timedelta(days=back)
        return started, plan


def seed(ctx) -> str:
    """Put a deterministic share of the existing households mid-procedure (idempotent)."""
    if already_seeded():
        count = Procedure._base_manager.count()
        return f"{count:,} procedures exist, nothing added"
    rng = ctx.random("poverty.procedures")
    planner = Planner(rng, timezone.localdate())
    counts = {kind: 0 for kind in ProcedureKind.values} | {"overdue": 0, "steps": 0,
                                                           "decided": 0}
    monitored: dict[str, list[int]] = {}  # monitored group -> households decided
    procedures: list[Procedure] = []
    plans: list[list] = []

    def flush():
        if not procedures:
            return
        Procedure._base_manager.bulk_create(procedures, batch_size=1_000)
        if procedures[0].pk is None:
            raise RuntimeError("the database backend did not return primary keys")
        steps = [ProcedureStep(procedure=p, region_code=p.region_code, step=code,
                               taken_on=p.started_on + datetime.timedelta(days=offset),
                               taken_by=None, note=NOTE, data=data)
                 for p, plan in zip(procedures, plans, strict=True)
                 for code, offset, data in plan]
        ProcedureStep._base_manager.bulk_create(steps, batch_size=2_000)
        counts["steps"] += len(steps)
        procedures.clear()
        plans.clear()

    households = (Household._base_manager.order_by("pk")
                  .values_list("pk", "region_code", "status").iterator(chunk_size=5_000))
    with transaction.atomic():
        for pk, region_code, status in households:
            if rng.random() >= SHARE or status not in KINDS:
                continue
            kind = _pick(rng, KINDS[status])
            flow = wf.workflow(kind)
            monitoring = kind == ProcedureKind.MONITORING
            decided = monitoring and rng.random() < DECIDED_SHARE
            overdue = not decided and bool(flow.limit_param) and rng.random() < OVERDUE_SHARE
            started, plan = planner.steps(flow, overdue, decided)
            group = _pick(rng, GROUPS[status]) if monitoring else ""
            done = started + datetime.timedelta(days=plan[-1][1])
            if decided:
                # What take_step() records at the decision, restored when the risk is removed.
                plan[-1][2]["status_before"] = status
                monitored.setdefault(group, []).append(pk)
            procedures.append(Procedure(
                household_id=pk, region_code=region_code, kind=kind,
                state=State.COMPLETED if decided else State.OPEN,
                current_step=plan[-1][0], started_on=started,
                deadline=flow.deadline_for(started), completed_on=done if decided else None,
                lead_source=rng.choice(LeadSource.values) if monitoring else "",
                monitored_group=group))
            plans.append(plan)
            counts[kind] += 1
            counts["overdue"] += overdue
            counts["decided"] += decided
            if len(procedures) >= CHUNK:
                flush()
        flush()
        for group, pks in monitored.items():
            for start in range(0, len(pks), CHUNK):
                Household._base_manager.filter(pk__in=pks[start:start + CHUNK]).update(
                    status=PovertyStatus.MONITORED, monitored_group=group)
        total = sum(counts[k] for k in ProcedureKind.values)
        changelog.append(action=ChangeRecord.Action.BATCH, model="poverty.procedure",
                         object_id=BATCH_OBJECT_ID, object_repr="demo procedures", region_code="",
                         extra=counts | {"procedures": total, "seed": ctx.seed,
                                         "scale": ctx.scale})
    return (f"{total:,} procedures ({counts[ProcedureKind.IDENTIFICATION]:,} "
            f"identification, {counts[ProcedureKind.EXIT]:,} exit, "
            f"{counts[ProcedureKind.MONITORING]:,} monitoring of which {counts['decided']:,} "
            f"decided (households monitored) and {counts['overdue']:,} overdue, "
            f"{counts[ProcedureKind.RISK_REMOVAL]:,} risk removal), {counts['steps']:,} steps")


@demo.generator("poverty.procedures", order=30)
def procedures(ctx: demo.DemoContext) -> str:
    return seed(ctx)

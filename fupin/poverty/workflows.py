"""The procedures as declared workflows (程序): identification (两公示一公告), exit from poverty
(脱贫退出), return-to-poverty monitoring (防返贫监测) and risk removal (风险消除).

Each kind is an ordered list of steps. A step says who may take it (roles, and the region level
the user must sit at or above), how long after an earlier step it may be taken (the notice
periods, read from parameters), what it must record (the household's signature, its written
consent) and whether it posts a public notice. `actions.py` enforces the spec; `notices.py`
prints the notices from it. Nothing here writes to the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from fupin.core import params
from fupin.core.policy import Role, restrict
from fupin.poverty.choices import PovertyStatus, ProcedureKind, ProcedureState
from fupin.poverty.models import IncomeRecord, PovertyLine, Procedure
from fupin.regions.models import Level
from fupin.regions.scope import within

# --- configurable rules (procedures.md) --------------------------------------------------------
NOTICE_DAYS = params.declare(
    "poverty.notice_days", 7,
    _("Days a public notice of the identification and exit procedures stays up before the "
      "next step may be taken (7 in local practice; not confirmed from an official text)."),
    confirmed=False)
MONITORING_NOTICE_DAYS = params.declare(
    "poverty.monitoring_notice_days", 5,
    _("Minimum days of the village notice in return-to-poverty monitoring and risk removal."))
MONITORING_LIMIT_DAYS = params.declare(
    "poverty.monitoring_limit_days", 15,
    _("Days from a monitoring lead (or a risk-removal proposal) to the county's decision."))
MONITORING_LINE_FACTOR = params.declare(
    "poverty.monitoring_line_factor", 1.5,
    _("Monitoring line as a multiple of the poverty line, for years whose poverty line has no "
      "monitoring line of its own (about 1.5 in the national guidance; not confirmed)."),
    confirmed=False)

VILLAGE_ROLES = frozenset({Role.VILLAGE, Role.WORK_TEAM})
TOWNSHIP_ROLES = frozenset({Role.TOWNSHIP})
COUNTY_ROLES = frozenset({Role.POVERTY_OFFICE})
# Leads come from self-reports and visits (village) and from other departments' data alerts,
# which reach the township or the county first.
LEAD_ROLES = VILLAGE_ROLES | TOWNSHIP_ROLES | COUNTY_ROLES

PUBLICITY = "publicity"  # 公示: posted for a period, objections invited
ANNOUNCEMENT = "announcement"  # 公告: the decision made public

REJECTED_STEP = "rejected"  # the step row a rejection records


@dataclass(frozen=True)
class Step:
    code: str
    label: Promise
    roles: frozenset[str]
    level: int  # the lowest level (highest number) a user may sit at: 5 village ... 3 county
    wait_after: str = ""  # the earlier step whose date starts the waiting period
    wait_param: str = ""  # the parameter giving the days
    notice: str = ""  # PUBLICITY or ANNOUNCEMENT: the step posts a public notice
    requires: tuple[str, ...] = ()  # keys of `data` that must be true ("signed", "consent")
    checks_criteria: bool = False  # the kind's criteria must all be met to take the step
    decision: Promise | None = None  # what the notice announces

    def wait_days(self) -> int:
        return int(params.get(self.wait_param)) if self.wait_param else 0

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


class Criterion(NamedTuple):
    label: str
    met: bool
    detail: str


@dataclass(frozen=True)
class Workflow:
    kind: str
    steps: tuple[Step, ...]
    start_statuses: frozenset[str] | None = None  # None: any status
    limit_param: str = ""  # days from start to decision (monitoring, risk removal)
    criteria: Callable[..., list[Criterion]] | None = None
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._index.update({s.code: i for i, s in enumerate(self.steps)})

    @property
    def label(self) -> str:
        return str(ProcedureKind(self.kind).label)

    @property
    def first(self) -> Step:
        return self.steps[0]

    @property
    def last(self) -> Step:
        return self.steps[-1]

    def get(self, code: str) -> Step | None:
        i = self._index.get(code)
        return None if i is None else self.steps[i]

    def index(self, code: str) -> int:
        return self._index.get(code, -1)

    def next_after(self, code: str) -> Step | None:
        """The step expected after `code` ('' before the first)."""
        i = self.index(code) + 1 if code else 0
        return self.steps[i] if i < len(self.steps) else None

    def notice_steps(self) -> list[Step]:
        return [s for s in self.steps if s.notice]

    def deadline_for(self, started_on: datetime.date) -> datetime.date | None:
        if not self.limit_param:
            return None
        return started_on + datetime.timedelta(days=int(params.get(self.limit_param)))


# --- criteria ----------------------------------------------------------------------------------
def _money(value) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def monitoring_line(year: int) -> Decimal | None:
    """The year's monitoring line: its own, else the poverty line times the configured factor."""
    line = PovertyLine.for_year(year)
    if line is None:
        return None
    if line.monitoring_line is not None:
        return line.monitoring_line
    factor = Decimal(str(params.get(MONITORING_LINE_FACTOR)))
    return (line.poverty_line * factor).quantize(Decimal("0.01"))


def _income_criterion(household, year: int, line: Decimal | None, label: str) -> Criterion:
    if line is None:
        return Criterion(label, False, _g("No poverty line is recorded for %(year)s.")
                         % {"year": year})
    record = IncomeRecord._base_manager.filter(household_id=household.pk, year=year).first()
    if record is None:
        return Criterion(label, False, _g("No income is recorded for %(year)s.") % {"year": year})
    met = record.per_capita > line
    detail = _g("%(income)s yuan per person in %(year)s; the line is %(line)s yuan.") % {
        "income": _money(record.per_capita), "year": year, "line": _money(line)}
    return Criterion(label, met, detail)


def _basic_needs(household) -> list[Criterion]:
    rows = []
    for name in household.BASIC_NEEDS:
        met = bool(getattr(household, name))
        rows.append(Criterion(str(household._meta.get_field(name).verbose_name), met,
                              _g("secured") if met else _g("not secured")))
    return rows


def exit_criteria(household, year: int) -> list[Criterion]:
    """一收入两不愁三保障: income per person above the year's poverty line, and every basic need
    (food and clothing, compulsory education, basic medical care, safe housing, safe water)."""
    line = PovertyLine.for_year(year)
    label = _g("Net income per person above the poverty line")
    criteria = [_income_criterion(household, year, line.poverty_line if line else None, label)]
    return criteria + _basic_needs(household)


def risk_removal_criteria(household, year: int) -> list[Criterion]:
    """Risk removed: income per person above the monitoring line and every basic need secure
    (that the risk itself is gone is the appraisal's judgement, recorded in its note)."""
    label = _g("Net income per person above the monitoring line")
    return [_income_criterion(household, year, monitoring_line(year), label)] + \
        _basic_needs(household)


def unmet(criteria: Iterable[Criterion]) -> list[Criterion]:
    return [c for c in criteria if not c.met]


def procedure_criteria(procedure, today: datetime.date | None = None
                       ) -> tuple[int, list[Criterion]] | None:
    """(year, criteria) to show on an exit or risk-removal procedure's page: the year its
    verification assessed, else the current one. None for kinds without criteria."""
    flow = WORKFLOWS.get(procedure.kind)
    if flow is None or flow.criteria is None:
        return None
    year = None
    for data in procedure.steps.order_by("id").values_list("data", flat=True):
        if isinstance(data, dict) and data.get("year"):
            year = int(data["year"])
            break
    year = year or (today or timezone.localdate()).year
    return year, flow.criteria(procedure.household, year)


# --- the four procedures -----------------------------------------------------------------------
_V, _T, _C = Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY

IDENTIFICATION = Workflow(
    kind=ProcedureKind.IDENTIFICATION,
    steps=(
        # 农户申请
        Step("application", _("application by the household"), VILLAGE_ROLES, _V),
        # 村民代表大会民主评议
        Step("village_appraisal", _("democratic appraisal in the village"), VILLAGE_ROLES, _V),
        # 第一次公示 (村内)
        Step("first_notice", _("first public notice"), VILLAGE_ROLES, _V, notice=PUBLICITY,
             decision=_("proposed for identification as a registered poor household, after "
                        "democratic appraisal in the village")),
        # 乡镇审核
        Step("township_check", _("township check"), TOWNSHIP_ROLES, _T,
             wait_after="first_notice", wait_param=NOTICE_DAYS),
        # 第二次公示
        Step("second_notice", _("second public notice"), TOWNSHIP_ROLES, _T, notice=PUBLICITY,
             decision=_("proposed for identification as a registered poor household, checked "
                        "by the township")),
        # 县级审定并公告
        Step("county_approval", _("county approval and announcement"), COUNTY_ROLES, _C,
             wait_after="second_notice", wait_param=NOTICE_DAYS, notice=ANNOUNCEMENT,
             decision=_("identified as a registered poor household")),
    ),
)

EXIT = Workflow(
    kind=ProcedureKind.EXIT,
    start_statuses=frozenset({PovertyStatus.POOR, PovertyStatus.LOW_INCOME,
                              PovertyStatus.RELAPSED}),
    criteria=exit_criteria,
    steps=(
        # 村两委和驻村工作队民主评议后提出
        Step("village_appraisal", _("proposal after democratic appraisal"), VILLAGE_ROLES, _V),
        # 村两委和驻村工作队核实, 农户签字认可
        Step("verification", _("verification, confirmed by the household's signature"),
             VILLAGE_ROLES, _V, requires=("signed",), checks_criteria=True),
        # 村内公示
        Step("village_notice", _("public notice in the village"), VILLAGE_ROLES, _V,
             notice=PUBLICITY, decision=_("proposed to exit from poverty")),
        # 公告退出. The texts do not say who announces; the township or the county does here,
        # so that an exit is never decided by the village that proposed it.
        Step("announcement", _("exit announced"), TOWNSHIP_ROLES | COUNTY_ROLES, _T,
             wait_after="village_notice", wait_param=NOTICE_DAYS, notice=ANNOUNCEMENT,
             checks_criteria=True, decision=_("exited from poverty")),
    ),
)

MONITORING = Workflow(
    kind=ProcedureKind.MONITORING,
    start_statuses=frozenset({PovertyStatus.EXITED, PovertyStatus.LOW_INCOME,
                              PovertyStatus.RELAPSED}),
    limit_param=MONITORING_LIMIT_DAYS,
    steps=(
        # 线索: 农户自主申报、干部走访排查、部门筛查预警
        Step("lead", _("lead received"), LEAD_ROLES, _V),
        # 入户核实 (农户书面授权)
        Step("home_visit", _("home visit with written consent"), VILLAGE_ROLES, _V,
             requires=("consent",)),
        # 村级民主评议
        Step("village_appraisal", _("democratic appraisal in the village"), VILLAGE_ROLES, _V),
        # 村内公示
        Step("village_notice", _("public notice in the village"), VILLAGE_ROLES, _V,
             notice=PUBLICITY, decision=_("proposed for return-to-poverty monitoring")),
        # 乡镇初审
        Step("township_review", _("township review"), TOWNSHIP_ROLES, _T,
             wait_after="village_notice", wait_param=MONITORING_NOTICE_DAYS),
        # 县级确定
        Step("county_decision", _("county decision"), COUNTY_ROLES, _C),
    ),
)

RISK_REMOVAL = Workflow(
    kind=ProcedureKind.RISK_REMOVAL,
    start_statuses=frozenset({PovertyStatus.MONITORED}),
    limit_param=MONITORING_LIMIT_DAYS,
    criteria=risk_removal_criteria,
    steps=(
        # 风险消除申请 / 排查
        Step("proposal", _("proposal to remove the risk"), LEAD_ROLES, _V),
        # 入户核实 (农户书面授权)
        Step("home_visit", _("home visit with written consent"), VILLAGE_ROLES, _V,
             requires=("consent",), checks_criteria=True),
        # 村级民主评议
        Step("village_appraisal", _("democratic appraisal in the village"), VILLAGE_ROLES, _V),
        # 村内公示
        Step("village_notice", _("public notice in the village"), VILLAGE_ROLES, _V,
             notice=PUBLICITY, decision=_("proposed for removal of the risk of returning to "
                                          "poverty")),
        # 乡镇初审
        Step("township_review", _("township review"), TOWNSHIP_ROLES, _T,
             wait_after="village_notice", wait_param=MONITORING_NOTICE_DAYS),
        # 县级确定
        Step("county_decision", _("county decision"), COUNTY_ROLES, _C, checks_criteria=True),
    ),
)

WORKFLOWS: dict[str, Workflow] = {w.kind: w for w in (IDENTIFICATION, EXIT, MONITORING,
                                                      RISK_REMOVAL)}


def workflow(kind: str) -> Workflow | None:
    return WORKFLOWS.get(kind)


def step_label(kind: str, code: str) -> str:
    """The step's label for a page (a rejection, or an unknown code, shown as it is)."""
    if code == REJECTED_STEP:
        return _g("rejected")
    flow = WORKFLOWS.get(kind)
    step = flow.get(code) if flow else None
    return str(step.label) if step else code


def next_step(procedure) -> Step | None:
    """The step an open procedure waits for (None when it is closed)."""
    if procedure.state != ProcedureState.OPEN:
        return None
    flow = WORKFLOWS.get(procedure.kind)
    return flow.next_after(procedure.current_step) if flow else None


# --- the 15-day limit ----------------------------------------------------------------------------
def overdue_procedures(queryset: QuerySet, today: datetime.date) -> QuerySet:
    """Monitoring and risk-removal procedures still open after their deadline.

    Pass a queryset already restricted to the user (and to the region of the page); this adds
    the condition only, so it stays one indexed query (region_code, state, deadline).
    """
    limited = [k for k, w in WORKFLOWS.items() if w.limit_param]
    return queryset.filter(state=ProcedureState.OPEN, kind__in=limited,
                           deadline__lt=today).order_by("deadline", "pk")


def overdue_in_region(user, region_code: str, today: datetime.date | None = None) -> QuerySet:
    """For a region page: the overdue procedures under `region_code` that `user` may see."""
    rows = restrict(Procedure.objects.filter(within(region_code)), user, "view")
    return overdue_procedures(rows.select_related("household"), today or timezone.localdate())


OVERDUE_PANEL_ROWS = 50


def region_panel(region_code: str, user, today: datetime.date | None = None) -> dict | None:
    """Context for the region page's overdue panel (template "poverty/notice_overdue.html"),
    or None when nothing under the region is overdue."""
    today = today or timezone.localdate()
    rows = overdue_in_region(user, region_code, today)
    count = rows.count()
    if not count:
        return None
    shown = list(rows[:OVERDUE_PANEL_ROWS])
    for procedure in shown:
        procedure.current_step_label = step_label(procedure.kind, procedure.current_step)
        procedure.days_late = (today - procedure.deadline).days
    return {"template": "poverty/notice_overdue.html", "overdue_count": count,
            "overdue_procedures": shown, "today": today}


def lazy_region_panel(region_code: str, user) -> dict | None:
    """The region page's overdue panel, loaded by the page after itself (OverduePanelView runs
    region_panel): at a province the overdue list costs more than the rest of the page."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from fupin.core.policy import can

    if not can(user, Procedure, "view"):
        return None
    return {"template": "poverty/_overdue_lazy.html",
            "url": f"{reverse('poverty:overdue_panel')}?{urlencode({'region': region_code})}"}

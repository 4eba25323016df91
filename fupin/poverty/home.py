"""This app's panel on the workbench (我的工作台): the open procedures of a village (village
secretary and work team), overdue first, then by deadline, each linked to its page where the
next step is taken. Bounded by one village: one indexed query (region_code, state, deadline)."""

from __future__ import annotations

import datetime

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from fupin.core.policy import Role, can, restrict, role_of, scope_code
from fupin.poverty.choices import ProcedureState
from fupin.poverty.models import Procedure
from fupin.poverty.workflows import next_step
from fupin.regions.scope import VILLAGE, level_of, within

ROWS = 10
SOON_DAYS = 7  # a deadline within a week is shown as due


def procedures_panel(user) -> dict | None:
    code = scope_code(user)
    if (role_of(user) not in (Role.VILLAGE, Role.WORK_TEAM) or not code or level_of(code) != VILLAGE
            or not can(user, Procedure, "view")):
        return None
    today = timezone.localdate()
    rows = restrict(Procedure.objects.filter(within(code), state=ProcedureState.OPEN), user)
    count = rows.count()
    shown = list(rows.select_related("household")
                 .order_by(F("deadline").asc(nulls_last=True), "started_on", "pk")[:ROWS])
    soon = today + datetime.timedelta(days=SOON_DAYS)
    for procedure in shown:
        step = next_step(procedure)
        procedure.step = str(step.label) if step else ""
        procedure.overdue = procedure.deadline is not None and procedure.deadline < today
        procedure.due = procedure.deadline is not None and today <= procedure.deadline <= soon
        procedure.days_late = (today - procedure.deadline).days if procedure.overdue else 0
    return {"template": "poverty/home/procedures.html", "order": 30, "procedures": shown, "count": count,
            "overdue": rows.filter(deadline__lt=today).count(), "today": today,
            "url": f"{reverse('poverty:procedure_list')}?"
                   f"{urlencode({'region': code, 'state': ProcedureState.OPEN})}"}

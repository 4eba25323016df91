"""This app's panels on the workbench (我的工作台, the home page): a helper's households and who
is due a visit; a work team's presence and log; a village's coverage gaps. Each row links to
the page where it is dealt with. Every query is bounded by one village or one helper's
households, so a panel costs a few indexed queries whatever the size of the province."""

from __future__ import annotations

import datetime

from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from fupin.assistance import models as m
from fupin.assistance import rules
from fupin.core import params
from fupin.core.policy import Role, can, restrict, role_of, scope_code
from fupin.core.views import add_url
from fupin.poverty.models import Household
from fupin.regions.models import Region
from fupin.regions.scope import VILLAGE, level_of

HOME = "/"
HELPER_ROWS = 30  # a helper has a handful of households (the load limit is 5)
GAP_ROWS = 5  # rows shown per gap; the gap page lists the rest
LOG_ROWS = 5


def _visit_url(**query) -> str:
    return f"{reverse('assistance:visit_add')}?{urlencode({**query, 'next': HOME})}"


def helper_panel(user) -> dict | None:
    """A helper's households (the policy narrows a helper to the paired ones), the last visit
    of each, and those due a visit (none within `assistance.household_visit_days`)."""
    if role_of(user) != Role.HELPER:
        return None
    today = timezone.localdate()
    days = int(params.get(rules.HOUSEHOLD_VISIT_DAYS))
    since = today - datetime.timedelta(days=days)
    helped = set(rules.helped_statuses())
    rows = (restrict(Household.objects.all(), user, "view")
            .annotate(last_visit=Max("visits__visited_on"))
            .order_by(F("last_visit").asc(nulls_first=True), "number"))
    households = []
    for household in rows[:HELPER_ROWS]:
        household.due = household.status in helped and (
            household.last_visit is None or household.last_visit < since)
        household.visit_url = _visit_url(household=household.pk)
        households.append(household)
    households.sort(key=lambda h: (not h.due, h.last_visit or datetime.date.min))
    return {"template": "assistance/home/helper.html", "order": 10, "households": households,
            "due": sum(h.due for h in households), "days": days,
            "visit_url": _visit_url() if can(user, m.Visit, "add") else None,
            "visits_url": reverse("assistance:visit_list")}


def _village(user) -> str | None:
    code = scope_code(user)
    return code if code and level_of(code) == VILLAGE else None


def gaps_panel(user) -> dict | None:
    """The coverage gaps of the user's village (village secretary and work team): per gap kind
    the count and the first rows, each linked to where it is fixed."""
    village = _village(user)
    if role_of(user) not in (Role.VILLAGE, Role.WORK_TEAM) or village is None:
        return None
    today = timezone.localdate()
    # Some gaps describe a row by its village's code: people read the name.
    names = dict(restrict(Region.objects.filter(code=village), user)
                 .values_list("code", "name"))
    gaps = []
    for gap in rules.GAPS:
        rows = rules.gap_rows(gap, user, village, today)
        count = rows.count()
        if not count:
            continue
        items = [{"text": names.get(text, text), "link": gap.link(row)}
                 for row in rows.order_by("pk")[:GAP_ROWS] for text in [str(gap.describe(row))]]
        gaps.append({"gap": gap, "count": count, "items": items,
                     "url": f"{reverse('assistance:gaps')}?"
                            f"{urlencode({'region': village, 'gap': gap.key})}"})
    return {"template": "assistance/home/gaps.html", "order": 40, "gaps": gaps,
            "total": sum(g["count"] for g in gaps),
            "url": f"{reverse('assistance:gaps')}?{urlencode({'region': village})}"}


def team_panel(user) -> dict | None:
    """A work team's month: each current member's days in the village this month and last
    (against `assistance.presence_min_days`), and the latest work-log entries."""
    village = _village(user)
    if role_of(user) != Role.WORK_TEAM or village is None:
        return None
    today = timezone.localdate()
    month, last = today.replace(day=1), rules.last_month(today)
    teams = list(restrict(m.WorkTeam.objects.filter(m.WorkTeam.current_q(today)), user)
                 .order_by("-starts_on")[:3])
    minimum = int(params.get(rules.PRESENCE_MIN_DAYS))
    out = []
    for team in teams:
        members = list(restrict(team.members.filter(m.WorkTeamMember.current_q(today)), user)
                       .order_by("name"))
        days = {(p.team_member_id, p.month): p.days for p in
                m.Presence.objects.filter(team_member__in=members, month__in=(month, last))}
        for member in members:
            member.this_month = days.get((member.pk, month))
            member.last_month = days.get((member.pk, last))
            member.short = (member.last_month or 0) < minimum
            member.presence_url = (f"{reverse('assistance:workteammember_presence', args=[member.pk])}"
                                   f"?{urlencode({'next': HOME})}")
        log = list(restrict(team.log.all(), user).order_by("-logged_on", "-pk")[:LOG_ROWS])
        out.append({"team": team, "members": members, "log": log,
                    "log_add": add_url(m.WorkLogEntry, user, team=team.pk, next=HOME),
                    "log_url": f"{reverse('assistance:worklogentry_list')}?"
                               f"{urlencode({'team': team.pk})}"})
    return {"template": "assistance/home/team.html", "order": 10, "teams": out, "minimum": minimum,
            "month": month, "last": last,
            "add_team": add_url(m.WorkTeam, user, region_code=village, next=HOME)}

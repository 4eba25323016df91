"""This app's panel on the workbench (我的工作台): the meetings of organization life (三会一课)
the village's party organizations owe in the current window (this month, this quarter, ...,
`party.meeting_months`), and their shortfalls over the last three complete months, each linked
to the page that records a meeting. Bounded by one village: its few organizations and their
meetings of the last months."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from fupin.core import params
from fupin.core.policy import Role, can, restrict, role_of, scope_code
from fupin.party import choices as c
from fupin.party import rules
from fupin.party.models import OrgMeeting, PartyOrg
from fupin.regions.scope import VILLAGE, level_of, within

HOME = "/"
ORGS = 20  # a village has a branch and a few party groups
KINDS = (c.OrgKind.BRANCH, c.OrgKind.GENERAL_BRANCH, c.OrgKind.GROUP)


def current_window(today: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """The calendar window of `months` months (counted from January) holding `today`."""
    first = datetime.date(today.year, (today.month - 1) // months * months + 1, 1)
    return first, rules.add_months(first, months) - datetime.timedelta(days=1)


def last_three_months(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """What a check of organization life looks at (as the shortfalls page does)."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return rules.add_months(end.replace(day=1), -2), end


def meetings_panel(user) -> dict | None:
    code = scope_code(user)
    if (role_of(user) != Role.VILLAGE or not code or level_of(code) != VILLAGE
            or not can(user, PartyOrg, "view")):
        return None
    today = timezone.localdate()
    orgs = list(restrict(PartyOrg.objects.filter(within(code), kind__in=KINDS,
                                                 dissolved_on__isnull=True), user)
                .order_by("kind", "name")[:ORGS])
    frequency = {k: int(v) for k, v in params.get(rules.MEETING_MONTHS).items()}
    kinds_for = params.get(rules.MEETING_KINDS)
    longest = max(frequency.values(), default=1)
    since = current_window(today, longest)[0]
    held = set(OrgMeeting.objects.filter(org__in=orgs, date__gte=since, date__lte=today)
               .values_list("org_id", "kind", "date"))
    due = []
    for org in orgs:
        for kind in kinds_for.get(org.kind, []):
            start, end = current_window(today, frequency[kind])
            if any(o == org.pk and k == kind and start <= d <= end for o, k, d in held):
                continue
            due.append({"org": org, "code": kind, "kind": c.MeetingKind(kind).label, "by": end,
                        "days_left": (end - today).days,
                        "url": f"{reverse('party:org_meeting', args=[org.pk])}?"
                               f"{urlencode({'next': HOME})}"})
    due.sort(key=lambda d: d["by"])
    start, end = last_three_months(today)
    short = [row for row in rules.meeting_shortfalls(orgs, start, end) if row.short]
    return {"template": "party/home/meetings.html", "order": 20, "due": due, "short": short,
            "start": start, "end": end, "can_record": can(user, OrgMeeting, "add"),
            "shortfalls_url": f"{reverse('party:shortfalls')}?"
                              f"{urlencode({'region': code, 'start': start, 'end': end})}"}

"""Organization life (三会一课)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.party import choices as c
from fupin.party.actions.checks import (
    ActionRefused,
    _acting,
    _d,
    _in_scope,
    _not_future,
    _region_in_scope,
    _require,
)
from fupin.party.models import OrgMeeting, PartyOrg


@transaction.atomic
@_acting
def record_meeting(org: PartyOrg, *, user, kind: str, date: datetime.date, attendance: int,
                   expected: int, topics: str, resolutions: str = "") -> OrgMeeting:
    """Record a meeting of organization life with its attendance, topics and resolutions."""
    _require(user, OrgMeeting, "add")
    _in_scope(org, user, "view")
    _region_in_scope(org.region_code, user)
    if kind not in c.MeetingKind.values:
        raise ActionRefused(_("“%(kind)s” is not a kind of meeting.") % {"kind": kind},
                            code="kind")
    _not_future(date)
    if org.founded_on is not None and date < org.founded_on:
        raise ActionRefused(_("“%(org)s” was founded on %(founded)s, after %(date)s.")
                            % {"org": org, "founded": _d(org.founded_on), "date": _d(date)},
                            code="date_order")
    if org.dissolved_on is not None and date > org.dissolved_on:
        raise ActionRefused(_("“%(org)s” was dissolved on %(date)s.")
                            % {"org": org, "date": _d(org.dissolved_on)}, code="dissolved")
    try:
        attendance, expected = int(attendance), int(expected)
    except (TypeError, ValueError):
        raise ActionRefused(_("Attendance and the members expected are numbers."),
                            code="attendance") from None
    if expected < 1:
        raise ActionRefused(_("At least one member is expected at a meeting."), code="expected")
    if not 0 <= attendance <= expected:
        raise ActionRefused(_("The attendance (%(attendance)s) cannot exceed the members expected "
                              "(%(expected)s).") % {"attendance": attendance,
                                                    "expected": expected}, code="attendance")
    topics = (topics or "").strip()
    if not topics:
        raise ActionRefused(_("Give the meeting's topics."), code="topics")
    return OrgMeeting.objects.create(org=org, region_code=org.region_code, kind=kind, date=date,
                                     attendance=attendance, expected=expected,
                                     topics=topics[:500], resolutions=(resolutions or "").strip())

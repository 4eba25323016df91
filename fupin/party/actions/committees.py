"""Committees and cadres: appointments to posts and their end."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.party import choices as c
from fupin.party import rules
from fupin.party.actions.checks import (
    ActionRefused,
    _acting,
    _d,
    _in_scope,
    _lock,
    _not_future,
    _refresh,
    _require,
)
from fupin.party.models import Cadre, CadrePosition, Committee


def _check_post(committee: Committee, post: str) -> None:
    allowed = rules.POSTS_BY_COMMITTEE[c.CommitteeKind(committee.kind)]
    if post not in allowed:
        raise ActionRefused(_("A %(committee)s has no post “%(post)s”; its posts are: "
                              "%(posts)s.")
                            % {"committee": committee.get_kind_display(), "post": post,
                               "posts": ", ".join(str(p.label) for p in allowed)}, code="post")


@transaction.atomic
@_acting
def appoint(cadre: Cadre, committee: Committee, post: str, *, user,
            starts_on: datetime.date) -> CadrePosition:
    """Give a cadre a post on a committee from `starts_on`. A secretary or a director is one
    person at a time."""
    _require(user, CadrePosition, "add")
    _in_scope(committee, user, "change")
    _in_scope(cadre, user, "view")
    committee = _lock(Committee, committee)
    _check_post(committee, post)
    _not_future(starts_on)
    if starts_on < committee.term_starts_on or (
            committee.term_ends_on is not None and starts_on > committee.term_ends_on):
        raise ActionRefused(_("%(date)s is outside the committee's term.")
                            % {"date": _d(starts_on)}, code="term")
    held = CadrePosition._base_manager.filter(committee=committee, ends_on__isnull=True)
    if held.filter(cadre=cadre).exists():
        raise ActionRefused(_("%(name)s already holds a post on this committee: end it first.")
                            % {"name": cadre.name}, code="held")
    if post in rules.SINGLE_HOLDER_POSTS:
        holder = held.filter(post=post).select_related("cadre").first()
        if holder is not None:
            raise ActionRefused(_("%(name)s is %(post)s of this committee: end that post "
                                  "first.") % {"name": holder.cadre.name,
                                               "post": holder.get_post_display()}, code="occupied")
    return CadrePosition.objects.create(cadre=cadre, committee=committee, post=post,
                                        region_code=committee.region_code, starts_on=starts_on)


@transaction.atomic
@_acting
def end_position(position: CadrePosition, *, user, ends_on: datetime.date) -> CadrePosition:
    """A cadre leaves a post on `ends_on` (the last day held)."""
    _in_scope(position, user, "change")
    locked = _lock(CadrePosition, position)
    if locked.ends_on is not None:
        raise ActionRefused(_("This post already ended on %(date)s.")
                            % {"date": _d(locked.ends_on)}, code="ended")
    _not_future(ends_on)
    if ends_on < locked.starts_on:
        raise ActionRefused(_("The post cannot end on %(date)s, before it started (%(start)s).")
                            % {"date": _d(ends_on), "start": _d(locked.starts_on)},
                            code="date_order")
    locked.ends_on = ends_on
    locked.save(update_fields=["ends_on", "updated_at"])
    _refresh(position)
    return locked

"""The organization tree: creating and moving organizations, the regions a joint one covers."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.party import choices as c
from fupin.party import rules
from fupin.party.actions.checks import (
    COVERED_LEVELS,
    ActionRefused,
    _acting,
    _checked_here,
    _d,
    _in_scope,
    _lock,
    _not_future,
    _refresh,
    _region_in_scope,
    _require,
)
from fupin.party.models import CoveredRegion, PartyOrg
from fupin.regions.models import Region
from fupin.regions.scope import is_within


def _check_parent(org: PartyOrg | None, kind: str, region_code: str,
                  parent: PartyOrg | None) -> None:
    if parent is None:
        return
    parent = PartyOrg._base_manager.get(pk=parent.pk)
    if rules.would_cycle(org, parent):
        raise ActionRefused(_("“%(parent)s” is “%(org)s” itself or below it: an organization "
                              "cannot be its own ancestor.") % {"parent": parent, "org": org},
                            code="cycle")
    if not rules.parent_kind_allowed(parent.kind, kind):
        raise ActionRefused(_("A %(parent_kind)s cannot be the parent of a %(kind)s.")
                            % {"parent_kind": parent.get_kind_display(),
                               "kind": c.OrgKind(kind).label}, code="parent_kind")
    if parent.dissolved_on is not None:
        raise ActionRefused(_("“%(parent)s” was dissolved on %(date)s.")
                            % {"parent": parent, "date": _d(parent.dissolved_on)},
                            code="dissolved")
    if not is_within(region_code, parent.region_code):
        raise ActionRefused(_("An organization in region %(code)s cannot belong to “%(parent)s”, "
                              "whose region does not contain it.")
                            % {"code": region_code, "parent": parent}, code="parent_region")


def _clean_covered(basis: str, codes, user) -> list[str]:
    codes = list(dict.fromkeys(str(code).strip() for code in codes if str(code).strip()))
    if basis not in c.OrgBasis.joint():
        if codes:
            raise ActionRefused(_("Only a joint organization lists the regions it covers."),
                                code="covered_not_joint")
        return []
    if len(codes) < 2:
        raise ActionRefused(_("A joint organization covers at least two regions (villages or "
                              "townships)."), code="covered_too_few")
    levels = dict(Region._base_manager.filter(code__in=codes).values_list("code", "level"))
    for code in codes:
        if code not in levels:
            raise ActionRefused(_("There is no region %(code)s.") % {"code": code},
                                code="covered_unknown")
        if levels[code] not in COVERED_LEVELS:
            raise ActionRefused(_("Region %(code)s is not a village or a township.")
                                % {"code": code}, code="covered_level")
        _region_in_scope(code, user)
    return codes


def _write_covered(org: PartyOrg, codes: list[str], user) -> None:
    with _checked_here(user):
        for row in CoveredRegion.objects.filter(org=org).exclude(region_code__in=codes):
            row.delete()
        have = set(CoveredRegion.objects.filter(org=org).values_list("region_code", flat=True))
        for code in codes:
            if code not in have:
                CoveredRegion.objects.create(org=org, region_code=code)


@transaction.atomic
@_acting
def create_org(*, user, name: str, kind: str, basis: str, region_code: str,
               parent: PartyOrg | None = None, covered_regions=(),
               founded_on: datetime.date | None = None) -> PartyOrg:
    """Set up a party organization under `parent`; a joint one (村村联建 ...) with the regions
    it covers (at least two villages or townships)."""
    _require(user, PartyOrg, "add")
    name = (name or "").strip()
    if not name:
        raise ActionRefused(_("Give the organization's name."), code="name")
    if kind not in c.OrgKind.values:
        raise ActionRefused(_("“%(kind)s” is not a kind of party organization.")
                            % {"kind": kind}, code="kind")
    if basis not in c.OrgBasis.values:
        raise ActionRefused(_("“%(basis)s” is not a way of setting up an organization.")
                            % {"basis": basis}, code="basis")
    if not Region._base_manager.filter(code=region_code).exists():
        raise ActionRefused(_("There is no region %(code)s.") % {"code": region_code},
                            code="region")
    _region_in_scope(region_code, user)
    if founded_on is not None:
        _not_future(founded_on)
    _check_parent(None, kind, region_code, parent)
    codes = _clean_covered(basis, covered_regions, user)
    org = PartyOrg.objects.create(name=name[:100], kind=kind, basis=basis,
                                  region_code=region_code, parent=parent, founded_on=founded_on)
    if codes:
        _write_covered(org, codes, user)
    return org


@transaction.atomic
@_acting
def move_org(org: PartyOrg, *, user, parent: PartyOrg | None) -> PartyOrg:
    """Put `org` under another parent (None: at the top). No cycles, no parent of a lower kind."""
    _in_scope(org, user, "change")
    locked = _lock(PartyOrg, org)
    _check_parent(locked, locked.kind, locked.region_code, parent)
    locked.parent = parent
    locked.save(update_fields=["parent", "updated_at"])
    _refresh(org)
    return locked


@transaction.atomic
@_acting
def set_covered_regions(org: PartyOrg, *, user, codes) -> list[str]:
    """Replace the regions a joint organization covers; it is visible in each of their scopes."""
    _in_scope(org, user, "change")
    locked = _lock(PartyOrg, org)
    cleaned = _clean_covered(locked.basis, codes, user)
    _write_covered(locked, cleaned, user)
    return cleaned

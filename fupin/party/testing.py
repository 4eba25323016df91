"""Sample makers for the generic and access-matrix tests: one record of each party model inside
a given region (see fupin.core.testing.SAMPLES)."""

import datetime
import itertools

from fupin.core.context import acting_as
from fupin.core.idnumber import make as make_id
from fupin.core.testing import sample
from fupin.party import models as m

_seq = itertools.count(1)


def make_org(region_code, **extra):
    n = next(_seq)
    with acting_as(None, label="test"):
        return m.PartyOrg.objects.create(name=extra.pop("name", f"第{n}党支部"),
                                         kind=extra.pop("kind", "branch"),
                                         region_code=region_code, **extra)


def make_member(region_code, org=None, **extra):
    n = next(_seq)
    org = org or make_org(region_code)
    birth = datetime.date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
    sex = extra.pop("sex", "M" if n % 2 else "F")
    with acting_as(None, label="test"):
        return m.PartyMember.objects.create(
            org=org, region_code=org.region_code, name=extra.pop("name", f"党员{n}"),
            id_number=make_id(region_code[:6], birth, n % 500, sex), sex=sex, birth_date=birth,
            stage=extra.pop("stage", "full"), phone=extra.pop("phone", "13700001111"), **extra)


def make_cadre(region_code, **extra):
    n = next(_seq)
    birth = datetime.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    with acting_as(None, label="test"):
        return m.Cadre.objects.create(
            name=extra.pop("name", f"干部{n}"), region_code=region_code,
            id_number=make_id(region_code[:6], birth, (n * 3) % 500, "M"), sex="M",
            birth_date=birth, **extra)


def make_station(region_code, **extra):
    with acting_as(None, label="test"):
        return m.ServiceStation.objects.create(
            region_code=region_code, name=extra.pop("name", "驻广州流动党员服务站"),
            host_unit=extra.pop("host_unit", "省驻广州办事处"),
            location=extra.pop("location", "广州"), **extra)


def member_of(user, region_code):
    """The user's party-member record, made (in `region_code`) and linked on first use."""
    if user.member_id:
        return user.member
    member = make_member(region_code)
    with acting_as(None, label="test"):
        user.member = member
        user.save(update_fields=["member"])
    return member


def make_committee(region_code, kind="branch"):
    with acting_as(None, label="test"):
        return m.Committee.objects.create(kind=kind, region_code=region_code,
                                          term_starts_on=datetime.date(2021, 1, 1))


def _create(model, region_code, **fields):
    with acting_as(None, label="test"):
        return model.objects.create(region_code=region_code, **fields)


D = datetime.date(2025, 5, 1)


@sample("party.partyorg")
def _org(region_code, user):
    return make_org(region_code)


@sample("party.partymember")
def _member(region_code, user):
    return make_member(region_code)


@sample("party.memberpost")
def _post(region_code, user):
    return _create(m.MemberPost, region_code, member=make_member(region_code), post="宣传员",
                   starts_on=D)


@sample("party.responsibilityzone")
def _zone(region_code, user):
    return _create(m.ResponsibilityZone, region_code, member=make_member(region_code),
                   description="一组、二组")


@sample("party.commitment")
def _commitment(region_code, user):
    return _create(m.Commitment, region_code, member=make_member(region_code), year=2025,
                   text="帮助两户发展养殖")


@sample("party.transfer")
def _transfer(region_code, user):
    member = make_member(region_code)
    to_org = make_org(region_code)
    return _create(m.Transfer, region_code, member=member, from_org=member.org, to_org=to_org,
                   to_region_code=region_code, issued_on=D)


@sample("party.servicestation")
def _station(region_code, user):
    return make_station(region_code)


@sample("party.stationservice")
def _station_service(region_code, user):
    return _create(m.StationService, region_code, station=make_station(region_code), date=D,
                   service=f"组织生活第{next(_seq)}次")


@sample("party.mobilemembership")
def _mobile(region_code, user):
    return _create(m.MobileMembership, region_code, member=make_member(region_code),
                   away_since=D, location="广州")


@sample("party.carevisit")
def _care(region_code, user):
    return _create(m.CareVisit, region_code, member=make_member(region_code), date=D,
                   reason="生病", help_given="慰问金")


@sample("party.orgmeeting")
def _meeting(region_code, user):
    return _create(m.OrgMeeting, region_code, org=make_org(region_code), kind="all_member",
                   date=D, attendance=10, expected=12, topics="学习")


@sample("party.committee")
def _committee(region_code, user):
    return make_committee(region_code)


@sample("party.cadre")
def _cadre(region_code, user):
    return make_cadre(region_code)


@sample("party.cadreposition")
def _position(region_code, user):
    return _create(m.CadrePosition, region_code, cadre=make_cadre(region_code),
                   committee=make_committee(region_code), post="secretary", starts_on=D)


@sample("party.cadrecareer")
def _career(region_code, user):
    return _create(m.CadreCareer, region_code, cadre=make_cadre(region_code),
                   move="civil_servant", date=D, new_post="乡镇公务员")


@sample("party.cadrewelfare")
def _welfare(region_code, user):
    return _create(m.CadreWelfare, region_code, cadre=make_cadre(region_code), year=2025,
                   pay=24000)


@sample("party.election")
def _election(region_code, user):
    return _create(m.Election, region_code, org=make_org(region_code))


@sample("party.candidate")
def _candidate(region_code, user):
    election = _election(region_code, user)
    return _create(m.Candidate, region_code, election=election,
                   member=make_member(region_code, org=election.org))

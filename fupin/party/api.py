from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate

from fupin.core.api import masked, one, policy, rows
from fupin.party.models import Cadre, OrgMeeting, PartyMember, PartyOrg
from fupin.regions.scope import is_valid_code, within

router = Router(tags=["party"])


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    basis: str
    region_code: str
    parent_id: int | None
    secretary_id: int | None
    founded_on: date | None
    dissolved_on: date | None
    covered_regions: list[str]

    @staticmethod
    def resolve_covered_regions(obj):
        return [c.region_code for c in obj.covered_regions.all()]


class MemberOut(Schema):
    id: int
    org_id: int
    region_code: str
    name: str
    id_number: str
    sex: str
    birth_date: date
    ethnicity: str
    education: str
    stage: str
    applied_on: date | None
    activist_on: date | None
    candidate_on: date | None
    probationary_on: date | None
    full_on: date | None
    phone: str
    occupation: str
    is_farmer: bool
    is_demo_household: bool

    @staticmethod
    def resolve_id_number(obj, context):
        return masked(context["request"], PartyMember, {"id_number": obj.id_number})["id_number"]

    @staticmethod
    def resolve_phone(obj, context):
        return masked(context["request"], PartyMember, {"phone": obj.phone})["phone"]


class MeetingOut(Schema):
    id: int
    org_id: int
    region_code: str
    kind: str
    date: date
    attendance: int
    expected: int
    topics: str


class CadreOut(Schema):
    id: int
    region_code: str
    name: str
    sex: str
    education: str
    is_college_graduate: bool
    member_id: int | None
    id_number: str

    @staticmethod
    def resolve_id_number(obj, context):
        return masked(context["request"], Cadre, {"id_number": obj.id_number})["id_number"]


def _in_region(qs, region):
    if region:
        qs = qs.filter(within(region)) if is_valid_code(region) else qs.none()
    return qs


@router.get("/orgs/", response=list[OrgOut], openapi_extra=policy("party.partyorg"))
@paginate
def list_orgs(request, region: str | None = None, kind: str | None = None):
    qs = _in_region(rows(request, PartyOrg), region).prefetch_related("covered_regions")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("region_code", "name")


@router.get("/orgs/{org_id}", response=OrgOut, openapi_extra=policy("party.partyorg"))
def get_org(request, org_id: int):
    return one(request, PartyOrg, pk=org_id)


@router.get("/members/", response=list[MemberOut], openapi_extra=policy("party.partymember"))
@paginate
def list_members(request, region: str | None = None, org: int | None = None,
                 stage: str | None = None):
    qs = _in_region(rows(request, PartyMember), region)
    if org is not None:
        qs = qs.filter(org_id=org)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.order_by("region_code", "id")


@router.get("/members/{member_id}", response=MemberOut,
            openapi_extra=policy("party.partymember"))
def get_member(request, member_id: int):
    return one(request, PartyMember, pk=member_id)


@router.get("/meetings/", response=list[MeetingOut], openapi_extra=policy("party.orgmeeting"))
@paginate
def list_meetings(request, region: str | None = None, org: int | None = None):
    qs = _in_region(rows(request, OrgMeeting), region)
    if org is not None:
        qs = qs.filter(org_id=org)
    return qs.order_by("-date")


@router.get("/cadres/", response=list[CadreOut], openapi_extra=policy("party.cadre"))
@paginate
def list_cadres(request, region: str | None = None):
    return _in_region(rows(request, Cadre), region).order_by("region_code", "name")

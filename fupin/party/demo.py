"""Demo data of party building (党建): organizations, members, organization life, the two village
committees and their cadres.

Three generators, after the poverty ones (whose village profiles give the rural population):

- `party.orgs` (40): a committee (党委) per prefecture, per county with townships and per
  township (街道: 党工委), each under the one above (prefectures have no parent); a few organ
  branches (机关党支部) in every prefecture and county, under its committee; a branch for every
  village (the most populous GENERAL_BRANCH_SHARE of villages have a general branch, 党总支)
  under its township committee; and, *in addition* to the village branches, joint general
  branches (村村联建, 村企联建) for about JOINT_SHARE of the villagers' committees, two or three
  neighbouring villages of one township each, listed as CoveredRegion rows, also under the
  township committee (the village branches keep their place and their members).
- `party.members` (50): exactly round(1,000,000 s) members, full or probationary ("members"),
  ORGAN_SHARE of them in organ branches and the rest in village branches; on top of them the
  people on the way in (applicants, activists, development candidates: PIPELINE shares of the
  members). Stage dates respect the minimum durations (activist a year before candidate,
  probation a year before full) and nobody applies before 18. Then posts with duties, responsibility
  zones, commitments of the current year, demonstration households, mobile members (about 3%,
  half under six months with an activity card, half longer) and their service stations in the
  cities where Guizhou's migrants work, care visits to old members, and twelve months of
  organization life (三会一课, themed day) for every branch, SHORT_SHARE of them falling short.
- `party.committees` (60): for every village the branch committee and the villagers' committee
  of the current term, with their cadres and posts: 一肩挑 in ONE_SHOULDER_SHARE of villages,
  cross-membership for other posts in CROSS_SHARE, a college graduate in COLLEGE_SHARE; pay and
  insurance of the current year for secretaries and directors; career records for a handful of
  secretaries; a few closed elections (两推一选) whose votes give exactly the committee.

The members and committees generators share a *committee plan* drawn from the seed and the
village codes alone (`committee_plan`): who sits on each committee, which of them are party
members, which is the college graduate. The members generator writes the member cadres of each
village first in its branch (occupation CADRE_OCCUPATION, secretary first); the committees
generator reads them back and makes them cadres, with the same name and ID number (one person).
At scale 1 every seat the plan gives to a party member has its member row (about 84,000, 9% of
the village members). Below, member cadres are at most MAX_CADRE_SHARE of the village members,
so s times as many as at scale 1 like every other count and the members' own shares (cadres,
mobile, probationary, ...) stay the same: the seats are then filled rank by rank, every
village's secretary before any second seat (every secretary has a member row from about scale
0.2), the more populous villages first, and the cadres left over have no member row. The few
villages with a recorded election have all their seats at any scale. The other village members
are apportioned in proportion to the rural population.

ID numbers never meet the poverty demo's: `poverty.demo.IdNumbers` numbers each (county, birth
year, sex) from 0 upwards; members take that same sequence from its top downwards on even
steps, cadres who are not members on odd steps (`TopDownIds`). A cadre who is a member carries
the member's number.

Rows are written in chunks with the poverty demo's `Table` (COPY on PostgreSQL, executemany on
SQLite), or for the largest tables (meetings, members, committees, cadres, posts) `write_rows`,
which takes whole rows and formats COPY's text itself. About 590,000 meetings and 300,000
committee and cadre rows are written at any scale (the region tree stays whole), so on SQLite
the members and committees generators widen the page cache while they run (`roomy`). No
change-log signals fire: each generator appends one batch change record, whose id is the
members' `batch_id`; the org and committee records name the id ranges they wrote.
A second run finds the rows and adds nothing. Everything is fixed by the seed except that dates
count back from today (the day of the run), as the poverty procedures do, so that "the last
twelve months", "away for six months" and "the current term" stay meaningful.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from fupin.core import changelog, demo, idnumber
from fupin.core.models import ChangeRecord
from fupin.party import choices as c
from fupin.party.models import (
    Cadre,
    CadreCareer,
    CadrePosition,
    CadreWelfare,
    Candidate,
    CareVisit,
    Commitment,
    Committee,
    CoveredRegion,
    Election,
    MemberPost,
    MobileMembership,
    OrgMeeting,
    PartyMember,
    PartyOrg,
    ResponsibilityZone,
    ServiceStation,
    StationService,
)
from fupin.poverty import demo as poverty_demo
from fupin.poverty.choices import Education, Ethnicity
from fupin.poverty.models import VillageProfile
from fupin.regions.models import Level, Region

Table, Odds, apportion, cumulative = (poverty_demo.Table, poverty_demo.Odds,
                                      poverty_demo.apportion, poverty_demo.cumulative)
ED = Education
B, V = c.CommitteeKind.BRANCH, c.CommitteeKind.VILLAGERS
P = c.Post

# --- calibration --------------------------------------------------------------------------------
MEMBERS = 1_000_000  # full + probationary members at scale 1
ORGAN_SHARE = 0.04  # of the members, in organ branches of counties and prefectures
PROBATIONARY_SHARE = 0.035  # of the ordinary members (a year's recruitment)
PIPELINE = {c.Stage.APPLICANT: 0.02, c.Stage.ACTIVIST: 0.015, c.Stage.CANDIDATE: 0.006}
GENERAL_BRANCH_SHARE = 0.12  # of the villages, the most populous: a general branch
JOINT_SHARE = 0.02  # of the villages, in a joint general branch as well
ORGANS_PER_COUNTY = (3, 5)
ORGANS_PER_PREFECTURE = (4, 6)
ONE_SHOULDER_SHARE = 0.40
CROSS_SHARE = 0.50  # villages where other posts are held across the two committees
COLLEGE_SHARE = 0.60
DIRECTOR_MEMBER_SHARE = 0.6  # a director who is not the secretary is a party member
VILLAGERS_MEMBER_SHARE = 0.3  # other villagers' committee cadres
POST_SHARE, ZONE_SHARE, COMMITMENT_SHARE = 0.20, 0.10, 0.30
DEMO_HOUSEHOLD_SHARE = 0.05  # of the village members
MOBILE_SHARE = 0.055  # of the village members aged 20 to 55 who are not cadres (~3% of all)
CARE_SHARE = 0.25  # of the members aged 70 or more, visited in the last year
SHORT_SHARE = 0.15  # of the branches, short of meetings in the last twelve months
CAREER_SHARE = 0.005  # of the village secretaries (at least 3)
ELECTION_SHARE = 0.005  # of the villages at scale 1 (at least 3)
MAX_CADRE_SHARE = 0.1  # of the village members, at most, are cadres (~9% at scale 1)
NOMINEES = 5  # members of an election village besides its member cadres, at least
FIRST_TERM, TERM_YEARS = 2021, 5  # the 2021 simultaneous change of the two committees
CADRE_OCCUPATION = "村干部"
BATCH_OBJECT_ID = "demo"
CHUNK = 10_000  # members per write
SQLITE_CACHE_KIB = 256 * 1024
VILLAGE_CHUNK = 2_000  # villages per write of committees and cadres

# Organ units of a county (or a prefecture): `{}` is the region's name.
ORGAN_UNITS = ("{}委办公室", "{}人民政府办公室", "{}委组织部", "{}扶贫开发办公室", "{}农业局",
               "{}教育局", "{}民政局", "{}财政局", "{}交通运输局", "{}水务局", "{}林业局",
               "{}卫生健康局", "{}人力资源和社会保障局", "{}委宣传部")
ENTERPRISES = ("茶业有限公司", "生态养殖有限公司", "农业开发有限公司", "中药材种植专业合作社",
               "精品水果专业合作社", "蔬菜种植专业合作社")

# Service stations for mobile members: (host region prefix, host, city, where).
STATIONS = (
    ("52", "贵州省人民政府驻广州办事处", "广州", "广东省广州市"),
    ("52", "贵州省人民政府驻深圳办事处", "深圳", "广东省深圳市"),
    ("52", "贵州省人民政府驻上海办事处", "上海", "上海市"),
    ("5203", "遵义市驻东莞流动党员工作委员会", "东莞", "广东省东莞市"),
    ("5206", "铜仁市驻宁波流动党员工作委员会", "宁波", "浙江省宁波市"),
    ("5205", "毕节市驻泉州流动党员工作委员会", "泉州", "福建省泉州市"),
    ("5226", "黔东南州驻温州流动党员工作委员会", "温州", "浙江省温州市"),
    ("5227", "黔南州驻佛山流动党员工作委员会", "佛山", "广东省佛山市"),
    ("5202", "六盘水市驻苏州流动党员工作委员会", "苏州", "江苏省苏州市"),
)
OTHER_PLACES = ("贵州省贵阳市", "贵州省遵义市", "浙江省杭州市", "江苏省昆山市", "福建省厦门市",
                "广东省中山市", "云南省昆明市", "湖南省长沙市")
MOBILE_REASONS = Odds({"外出务工": 75, "经商": 12, "随子女居住": 9, "求学培训": 4})
STATION_SERVICES = ("组织生活", "就业信息推荐", "法律援助", "技能培训", "党费收缴", "困难帮扶",
                    "返乡创业政策宣讲")
MEMBER_POSTS = {  # post: duties
    "政策宣传岗": "宣传党的政策和扶贫开发政策，每季度入户宣讲",
    "产业带头岗": "带头发展特色产业，带动困难户增收",
    "矛盾调解岗": "调解邻里纠纷，及时上报矛盾隐患",
    "环境卫生监督岗": "督促村容村貌整治，组织义务清扫",
    "扶贫帮困岗": "结对帮扶困难群众，定期走访",
    "治安巡逻岗": "参加村治安巡逻，协助做好安全防范",
    "科技示范岗": "示范推广农业实用技术",
    "村务监督岗": "参与村务公开和财务监督",
    "民族团结岗": "宣传民族政策，促进民族团结",
    "远程教育管理岗": "管理远教站点，组织党员群众收看学习",
}
COMMITMENTS = ("帮扶一户困难群众脱贫增收", "带头发展特色种植二十亩", "带动五户群众发展养殖",
               "义务参加村组道路维护", "每月参加一次志愿服务", "带头做好环境卫生整治",
               "宣传惠农政策二十户次", "调解邻里纠纷，做到小事不出组", "带领三户群众学习实用技术",
               "带头移风易俗，不大操大办")
EVIDENCE = ("帮扶户年人均纯收入稳定增长", "已完成种植并挂牌公示", "群众评议满意",
            "村党支部核实并公示")
CARE = (("年老体弱", "送米、油和慰问金"), ("重病慰问", "送慰问金，协助申请医疗救助"),
        ("生活困难", "送慰问金和生活用品"), ("七一走访慰问老党员", "送慰问金和学习资料"),
        ("春节慰问", "送慰问金和年货"))
TOPICS = {
    c.MeetingKind.ALL_MEMBER: ("学习党的路线方针政策", "讨论发展党员工作", "民主评议党员",
                               "研究产业扶贫项目", "讨论村级集体经济发展", "通报党费收缴情况"),
    c.MeetingKind.COMMITTEE: ("研究本月工作安排", "讨论低保和临时救助评议", "研究产业发展项目",
                              "部署防汛抗旱工作", "研究“一事一议”项目", "研究流动党员管理",
                              "研究帮扶措施落实"),
    c.MeetingKind.LECTURE: ("书记讲党课：坚定理想信念", "党课：党章学习", "党课：脱贫攻坚精神",
                            "党课：乡村振兴战略"),
    c.MeetingKind.THEMED_DAY: ("主题党日：重温入党誓词", "主题党日：志愿服务", "主题党日：走访困难群众",
                               "主题党日：环境整治", "主题党日：政策宣讲进农户"),
}
RESOLUTIONS = ("议定事项按程序公开", "会议形成决议，明确责任人和完成时限", "")
JOINT_MEETING_TOPICS = ("联建村协调产业发展", "联建村共建基础设施", "联建村党员互助")

# Members: age bands (lowest, highest, weight).
VILLAGE_AGES = Odds({(23, 30): 8, (31, 40): 14, (41, 50): 22, (51, 60): 22, (61, 70): 18,
                     (71, 85): 16})
ORGAN_AGES = Odds({(23, 30): 15, (31, 40): 30, (41, 50): 30, (51, 60): 25})
PIPELINE_AGES = {c.Stage.APPLICANT: (19, 40), c.Stage.ACTIVIST: (20, 40),
                 c.Stage.CANDIDATE: (21, 45)}
PROBATIONARY_AGES = (22, 45)
VILLAGE_EDUCATION = ((40, Odds({ED.ILLITERATE: 2, ED.PRIMARY: 20, ED.JUNIOR: 50, ED.SENIOR: 22,
                                ED.COLLEGE: 6})),
                     (60, Odds({ED.ILLITERATE: 8, ED.PRIMARY: 45, ED.JUNIOR: 38, ED.SENIOR: 8,
                                ED.COLLEGE: 1})),
                     (200, Odds({ED.ILLITERATE: 30, ED.PRIMARY: 55, ED.JUNIOR: 13,
                                 ED.SENIOR: 2})))
ORGAN_EDUCATION = Odds({ED.COLLEGE: 62, ED.SENIOR: 33, ED.JUNIOR: 5})
VILLAGE_OCCUPATIONS = Odds({"务农": 78, "外出务工": 6, "个体经营": 6, "种养殖大户": 5,
                            "乡村教师": 2, "乡村医生": 1.5, "退休": 1.5})
FARMER_OCCUPATIONS = frozenset({"务农", "外出务工", "种养殖大户", CADRE_OCCUPATION})
ORGAN_OCCUPATIONS = Odds({"公务员": 70, "事业单位人员": 25, "工勤人员": 5})

# Cadres by role: (youngest, oldest, share of men, education odds); college graduates apart.
CADRE_ROLES = {
    "secretary": (35, 60, 0.92, Odds({ED.PRIMARY: 8, ED.JUNIOR: 50, ED.SENIOR: 42})),
    "branch": (28, 60, 0.80, Odds({ED.PRIMARY: 15, ED.JUNIOR: 55, ED.SENIOR: 30})),
    "director": (30, 58, 0.90, Odds({ED.PRIMARY: 12, ED.JUNIOR: 55, ED.SENIOR: 33})),
    "villagers": (25, 55, 0.70, Odds({ED.PRIMARY: 20, ED.JUNIOR: 55, ED.SENIOR: 25})),
    "accountant": (25, 55, 0.60, Odds({ED.JUNIOR: 45, ED.SENIOR: 55})),
    "college": (23, 32, 0.55, Odds({ED.COLLEGE: 1})),
}
PAY = {"one_shoulder": (30_000, 36_000), P.SECRETARY: (24_000, 34_000),
       P.DIRECTOR: (18_000, 30_000)}
CAREER_POSTS = {c.CareerMove.TOWNSHIP_LEADER: "{}党委委员（兼任村党组织书记）",
                c.CareerMove.CIVIL_SERVANT: "{}人民政府公务员（兼任村党组织书记）",
                c.CareerMove.PUBLIC_INSTITUTION: "{}农业服务中心（事业编制，兼任村党组织书记）"}


def roomy(func):
    """On SQLite, a page cache of SQLITE_CACHE_KIB while the generator runs (then the one
    before): the default 2 MiB thrashes on the indexes of half a million meetings, and the
    cache holds only pages actually read."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        if connection.vendor != "sqlite":
            return func(*args, **kwargs)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            before = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
        try:
            return func(*args, **kwargs)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {before}")

    return run


def today() -> date:
    return timezone.localdate()


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def month_start(day: date, back: int) -> date:
    """The first day of the month `back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


# --- shared helpers ------------------------------------------------------------------------------
class TopDownIds:
    """ID numbers that never meet the poverty demo's nor another lane's.

    `poverty.demo.IdNumbers` maps n = 0, 1, 2, ... of each (county prefix, birth year, sex) one
    to one onto numbers, and the poverty generator takes them from 0 upwards. Lane l of `lanes`
    takes n = CAPACITY - 1 - (lanes * m + l) for m = 0, 1, 2, ...: from the top downwards, so
    the two meet only if a key held more than CAPACITY / 2 people between them.

    The mapping is IdNumbers' own (a test holds them together), computed with the check sums
    of the prefix, the date and the order code cached: `idnumber.make` per number cost more
    than anything else in the committees generator."""

    CAPACITY = poverty_demo.IdNumbers.CAPACITY

    def __init__(self, lane: int, lanes: int = 2):
        self.lane, self.lanes = lane, lanes
        self.used: dict[tuple, int] = {}
        self.keys: dict[tuple, tuple[int, date, int]] = {}
        self.dates: dict[date, tuple[str, int]] = {}
        self.orders: dict[tuple[int, str], tuple[str, int]] = {}

    @staticmethod
    def weighted(digits: str, start: int) -> int:
        return sum(int(ch) * w for ch, w in zip(digits, idnumber.WEIGHTS[start:], strict=False))

    def issue(self, prefix: str, year: int, sex: str) -> tuple[str, date]:
        key = (prefix, year, sex)
        m = self.used.get(key, 0)
        self.used[key] = m + 1
        n = self.CAPACITY - 1 - (self.lanes * m + self.lane)
        if n < self.CAPACITY // 2:
            raise ValueError(f"too many demo party members in {prefix}, {year}, {sex}")
        return self.number(prefix, year, sex, n)

    def number(self, prefix: str, year: int, sex: str, n: int) -> tuple[str, date]:
        """The n-th number of the key, as `poverty.demo.IdNumbers` gives it."""
        cached = self.keys.get((prefix, year, sex))
        if cached is None:
            if prefix[:2] not in idnumber.PROVINCE_PREFIXES or len(prefix) != 6:
                raise ValueError(f"{prefix} is not a region prefix")
            cached = (zlib.crc32(f"{prefix}{year}{sex}".encode()), date(year, 1, 1),
                      self.weighted(prefix, 0))
            self.keys[(prefix, year, sex)] = cached
        offset, first, prefix_sum = cached
        birth = first + timedelta(days=(n % 365 * 97 + offset) % 365)
        seq = (n // 365 * 137 + offset // 365) % 500
        day = self.dates.get(birth)
        if day is None:
            text = f"{birth:%Y%m%d}"
            day = self.dates[birth] = (text, self.weighted(text, 6))
        order = self.orders.get((seq, sex))
        if order is None:
            text = f"{seq // 5:02d}{2 * (seq % 5) + (sex == 'M')}"
            order = self.orders[(seq, sex)] = (text, self.weighted(text, 14))
        check = idnumber.CHECK_CHARACTERS[(prefix_sum + day[1] + order[1]) % 11]
        return prefix + day[0] + order[0] + check, birth


class Namer:
    """Names and ethnicity like the poverty demo's: a village is often of one people."""

    def __init__(self, rng):
        self.rng = rng
        self.place: tuple[str, str] = ("", Ethnicity.HAN)

    def ethnicity(self, code: str) -> str:
        mix = poverty_demo.MIX_ODDS.get(code[:4], poverty_demo.DEFAULT_MIX_ODDS)
        if self.place[0] != code:
            self.place = (code, mix(self.rng))
        return self.place[1] if self.rng.random() < 0.8 else mix(self.rng)

    def name(self, ethnicity: str, sex: str) -> str:
        random = self.rng.random
        pool = poverty_demo.SURNAMES.get(ethnicity, HAN) if random() < 0.85 else HAN
        chars = MALE if sex == "M" else FEMALE
        given = chars[int(random() * len(chars))]
        if random() < 0.75:
            given += chars[int(random() * len(chars))]
        return pool[int(random() * len(pool))] + given


HAN, MALE, FEMALE = poverty_demo.HAN_SURNAMES, poverty_demo.MALE_CHARS, poverty_demo.FEMALE_CHARS
PHONE_HEADS = ("139", "138", "137", "135", "158", "159", "150", "151", "187", "182")


def phone(rng) -> str:
    return f"{PHONE_HEADS[int(rng.random() * 10)]}{int(rng.random() * 10**8):08d}"


def batches(model: str):
    return ChangeRecord._base_manager.filter(action=ChangeRecord.Action.BATCH, model=model,
                                             object_id=BATCH_OBJECT_ID)


def latest_batch(model: str) -> ChangeRecord | None:
    return batches(model).order_by("-id").first()


def in_range(model, record: ChangeRecord | None, key: str):
    """The rows of `model` a batch record says it wrote (ids first..last under `key`)."""
    if record is None or not record.extra or key not in record.extra:
        return model._base_manager.none()
    first, last = record.extra[key]
    return model._base_manager.filter(id__gte=first, id__lte=last)


def new_ids(model, last: int, *key_fields: str) -> dict:
    """key -> id of the rows written after id `last`."""
    rows = model._base_manager.filter(id__gt=last).values_list("id", *key_fields)
    if len(key_fields) == 1:
        return {row[1]: row[0] for row in rows}
    return {row[1:]: row[0] for row in rows}


def max_id(model) -> int:
    return model._base_manager.order_by("-id").values_list("id", flat=True).first() or 0


def place_name(name: str) -> str:
    """"桃园村村民委员会" -> "桃园村", "新华路居委会" -> "新华路社区"."""
    for suffix, rural in (("村民委员会", True), ("村委员会", True), ("村委会", True),
                          ("居民委员会", False), ("居民委员", False), ("居委会", False),
                          ("委员会", None)):
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            if rural is True and not base.endswith("村"):
                return base + "村"
            if rural is False and not base.endswith("社区"):
                return base + "社区"
            return base
    return name


def populations(codes: list[str]) -> list[float]:
    """Each village's rural population (poverty demo), 1 where unknown."""
    found = dict(VillageProfile._base_manager.values_list("region_code", "rural_population"))
    return [float(max(1, found.get(code) or 0)) for code in codes]


# --- the committee plan --------------------------------------------------------------------------
class Seat(NamedTuple):
    """A person on a village's two committees: posts held, party member or not, role (for age,
    sex and education), the college graduate, a woman (the women's representative)."""

    posts: tuple[tuple[str, str], ...]
    member: bool
    role: str
    college: bool = False
    female: bool = False
    head: str = ""  # "secretary", "director" or "one_shoulder" (both)


@dataclass
class VillagePlan:
    seats: list[Seat]
    branch_size: int
    one_shoulder: bool
    cross: bool
    college: bool

    @property
    def member_seats(self) -> list[Seat]:
        return [s for s in self.seats if s.member]


def village_plan(rng) -> VillagePlan:
    roll = rng.random()
    b = 3 if roll < 0.5 else 4 if roll < 0.8 else 5
    roll = rng.random()
    v = 3 if roll < 0.45 else 4 if roll < 0.8 else 5
    branch_posts = [P.SECRETARY, P.DEPUTY_SECRETARY if b >= 4 or rng.random() < 0.4
                    else P.MEMBER] + [P.MEMBER] * (b - 2)
    villagers_posts = [P.DEPUTY_DIRECTOR if v >= 4 or rng.random() < 0.5
                       else P.MEMBER] + [P.MEMBER] * (v - 2)  # besides the director
    if rng.random() < 0.5:
        villagers_posts[-1] = P.ACCOUNTANT
    one_shoulder = rng.random() < ONE_SHOULDER_SHARE
    cross = rng.random() < CROSS_SHARE
    crossing = min(1 if rng.random() < 0.7 else 2, b - 1, v - 1) if cross else 0
    seats = [Seat(((B, P.SECRETARY),) + (((V, P.DIRECTOR),) if one_shoulder else ()), True,
                  "secretary", head="one_shoulder" if one_shoulder else P.SECRETARY)]
    for j, post in enumerate(branch_posts[1:]):
        both = ((V, villagers_posts[j]),) if j < crossing else ()
        seats.append(Seat(((B, post),) + both, True, "branch"))
    if not one_shoulder:
        seats.append(Seat(((V, P.DIRECTOR),), rng.random() < DIRECTOR_MEMBER_SHARE, "director",
                          head=P.DIRECTOR))
    rest = villagers_posts[crossing:]
    for j, post in enumerate(rest):
        seats.append(Seat(((V, post),), rng.random() < VILLAGERS_MEMBER_SHARE,
                          "accountant" if post == P.ACCOUNTANT else "villagers",
                          female=j == len(rest) - 1 and rng.random() < 0.8))
    college = rng.random() < COLLEGE_SHARE
    if college:  # one of the cadres other than the secretary (一村一名大学生)
        i = rng.randrange(1, len(seats))
        seats[i] = seats[i]._replace(college=True, role="college", female=False)
    # Member seats first, in plan order (the secretary first): the members generator writes
    # them in this order and the committees generator reads them back in it.
    seats = [s for s in seats if s.member] + [s for s in seats if not s.member]
    return VillagePlan(seats, b, one_shoulder, cross, college)


def committee_plan(ctx: demo.DemoContext, codes: list[str]) -> list[VillagePlan]:
    """Every village's two committees, from the seed and the (ordered) village codes alone
    (kept for the next generator of the same run: the plan is the same)."""
    key = (ctx.seed, zlib.crc32("".join(codes).encode()), len(codes))
    if _plans.get("key") != key:
        rng = ctx.random("party.committees.plan")
        _plans.update(key=key, plans=[village_plan(rng) for _code in codes])
    return _plans["plans"]


_plans: dict = {}


def election_villages(ctx: demo.DemoContext, count: int) -> list[int]:
    """The villages (indices) whose branch committee was elected in a recorded closed election:
    ELECTION_SHARE of the villages at scale 1 (s times as many below), at least 3."""
    wanted = max(3, round(count * ELECTION_SHARE * min(1.0, ctx.scale)))
    return sorted(ctx.random("party.elections").sample(range(count), min(count, wanted)))


def allocate(rng, total: int, need: list[int], weights: list[float],
             showcase: list[int] = ()) -> tuple[list[int], list[int]]:
    """Members per village and how many of them are its member cadres (seats).

    Seats are filled up to MAX_CADRE_SHARE of the members (all of them at scale 1, where they
    are about 9%; s times as many at a small scale s, like every other count), rank by rank:
    every village's secretary before any second seat, and within a rank in a weighted random
    order (Efraimidis-Spirakis keys, the more populous villages first). The `showcase` villages
    (where an election is recorded) have every seat and NOMINEES other members whatever the
    scale. The other members are apportioned in proportion to `weights`."""
    seats = sum(need)
    filled = [0] * len(need)
    floor = [0] * len(need)
    reserved = sum(need[i] + NOMINEES for i in showcase)
    if reserved <= total:
        for i in showcase:
            filled[i], floor[i] = need[i], NOMINEES
    else:
        reserved = 0
    wanted = min(total - reserved, math.floor(total * MAX_CADRE_SHARE) - sum(filled))
    if wanted >= seats - sum(filled):
        filled = list(need)
    elif wanted > 0:
        keys = []
        for i, w in enumerate(weights):
            u = rng.random() ** (1 / w)
            keys.extend((rank, -u, i) for rank in range(filled[i], need[i]))
        keys.sort()
        for _rank, _u, i in keys[:wanted]:
            filled[i] += 1
    extra = apportion(total - sum(filled) - sum(floor), weights)
    return [f + e + m for f, e, m in zip(filled, extra, floor, strict=True)], filled


def term_start(day: date) -> date:
    """The first day of the current term's year (terms from 2021, every five years, elected
    from January to March)."""
    year = FIRST_TERM + TERM_YEARS * max(0, (day.year - FIRST_TERM) // TERM_YEARS)
    if date(year, 3, 31) > day and year > FIRST_TERM:
        year -= TERM_YEARS
    return date(year, 1, 1)


# --- organizations --------------------------------------------------------------------------------
ORG_FIELDS = ("region_code", "name", "kind", "basis", "parent", "founded_on", "code")


class OrgCodes:
    """Organization codes as PartyOrg.next_code gives them (the region code and a 3-digit
    number), numbered on from the codes already there."""

    def __init__(self):
        self.last: dict[str, int] = defaultdict(int)
        for code in PartyOrg._base_manager.values_list("code", flat=True).iterator():
            region, number = code[:12], code[12:]
            if number.isdigit():
                self.last[region] = max(self.last[region], int(number))

    def next(self, region_code: str) -> str:
        self.last[region_code] += 1
        return f"{region_code}{self.last[region_code]:03d}"


def org_counts(record: ChangeRecord) -> dict[str, int]:
    rows = in_range(PartyOrg, record, "orgs")
    counts = rows.aggregate(
        orgs=Count("id"), committees=Count("id", filter=Q(kind=c.OrgKind.COMMITTEE)),
        organ_branches=Count("id", filter=Q(basis=c.OrgBasis.ORGAN)),
        joint=Count("id", filter=Q(basis__in=c.OrgBasis.joint())))
    counts["village"] = counts["orgs"] - counts["committees"] - counts["organ_branches"] \
        - counts["joint"]
    return counts


def describe_orgs(counts: dict[str, int]) -> str:
    return (f"{counts['orgs']:,} party organizations ({counts['committees']:,} committees, "
            f"{counts['village']:,} village branches, {counts['joint']:,} joint, "
            f"{counts['organ_branches']:,} organ branches)")


@demo.generator("party.orgs", order=40)
def orgs(ctx: demo.DemoContext) -> str:
    record = latest_batch("party.partyorg")
    if in_range(PartyOrg, record, "orgs").exists():
        return describe_orgs(org_counts(record)) + " exist, nothing added"
    regions = list(Region._base_manager.order_by("code").values_list("code", "name", "level"))
    villages = [(code, name) for code, name, level in regions if level == Level.VILLAGE]
    if not villages:
        return "no villages, nothing added"
    rng = ctx.random("party.orgs")
    names = {code: name for code, name, _level in regions}
    townships = [code for code, _n, level in regions
                 if level == Level.TOWNSHIP and code[:6] + "000000" in names]
    county_codes = sorted({t[:6] + "000000" for t in townships})
    prefectures = [code for code, _n, level in regions if level == Level.PREFECTURE
                   and (any(cc.startswith(code[:4]) for cc in county_codes))]
    written: list[int] = []  # ids (PostgreSQL sequences do not start at max + 1)

    def founded(lo: int, hi: int) -> str:
        return (date(lo, 1, 1) + timedelta(days=rng.randrange((hi - lo + 1) * 365))).isoformat()

    def organs(code: str, count: tuple[int, int], parent: int) -> list[tuple]:
        units = rng.sample(ORGAN_UNITS, rng.randint(*count))
        return [(code, unit.format(names[code]) + "机关党支部", c.OrgKind.BRANCH, c.OrgBasis.ORGAN,
                 parent, founded(1980, 2008)) for unit in units]

    table = Table(PartyOrg, ORG_FIELDS)
    org_codes = OrgCodes()

    def write(rows: list[tuple]) -> dict:
        last = max_id(PartyOrg)
        table.write([(*row, org_codes.next(row[0])) for row in rows])
        ids = new_ids(PartyOrg, last, "region_code", "name")
        written.extend((min(ids.values()), max(ids.values())) if ids else ())
        return ids

    # prefectures, then counties (and prefecture organs), then townships (and county organs)
    level_rows = [(code, f"中共{names[code]}委员会", c.OrgKind.COMMITTEE, c.OrgBasis.PLACE, None,
                   founded(1949, 1956)) for code in prefectures]
    ids = write(level_rows)
    committee_id = {row[0]: ids[(row[0], row[1])] for row in level_rows}
    rows = []
    for code in county_codes:
        parent = committee_id.get(code[:4] + "00000000")
        rows.append((code, f"中共{names[code]}委员会", c.OrgKind.COMMITTEE, c.OrgBasis.PLACE,
                     parent, founded(1949, 1956)))
    county_rows = list(rows)
    for code in prefectures:
        rows += organs(code, ORGANS_PER_PREFECTURE, committee_id[code])
    ids = write(rows)
    committee_id |= {row[0]: ids[(row[0], row[1])] for row in county_rows}
    rows = []
    for code in townships:
        suffix = "工作委员会" if names[code].endswith("街道") else "委员会"
        rows.append((code, f"中共{names[code]}{suffix}", c.OrgKind.COMMITTEE, c.OrgBasis.PLACE,
                     committee_id[code[:6] + "000000"], founded(1950, 1992)))
    township_rows = list(rows)
    for code in county_codes:
        rows += organs(code, ORGANS_PER_COUNTY, committee_id[code])
    ids = write(rows)
    committee_id |= {row[0]: ids[(row[0], row[1])] for row in township_rows}

    # villages: a general branch for the most populous, a branch for the others
    codes = [code for code, _name in villages]
    weight = populations(codes)
    ranked = sorted(range(len(codes)), key=lambda i: (-weight[i], rng.random()))
    general = set(ranked[: round(len(codes) * GENERAL_BRANCH_SHARE)])
    rows = []
    for i, (code, name) in enumerate(villages):
        kind = c.OrgKind.GENERAL_BRANCH if i in general else c.OrgKind.BRANCH
        rows.append((code, place_name(name) + ("党总支" if i in general else "党支部"), kind,
                     c.OrgBasis.PLACE, committee_id[code[:9] + "000"], founded(1950, 1990)))
    joint = joint_groups(rng, villages, round(len(villages) * JOINT_SHARE))
    for basis, group in joint:
        lead = group[0][0]
        places = "、".join(place_name(n) for _c, n in group)
        if basis == c.OrgBasis.JOINT_VILLAGES:
            name = f"{places}联村党总支"
        else:
            town = names[lead[:9] + "000"]
            name = f"{places}与{town[:2]}{rng.choice(ENTERPRISES)}村企联建党总支"
        rows.append((lead, name, c.OrgKind.GENERAL_BRANCH, basis,
                     committee_id[lead[:9] + "000"], founded(2008, 2015)))
    ids = write(rows)
    covered = []
    for (_basis, group), row in zip(joint, rows[len(villages):], strict=True):
        covered += [(ids[(row[0], row[1])], code) for code, _n in group]
    Table(CoveredRegion, ("org", "region_code")).write(covered)
    record = changelog.append(
        action=ChangeRecord.Action.BATCH, model="party.partyorg", object_id=BATCH_OBJECT_ID,
        object_repr="demo party organizations", region_code="",
        extra={"orgs": [min(written), max(written)], "covered_regions": len(covered),
               "scale": ctx.scale, "seed": ctx.seed})
    return describe_orgs(org_counts(record))


def joint_groups(rng, villages: list[tuple[str, str]], wanted: int
                 ) -> list[tuple[str, list[tuple[str, str]]]]:
    """`wanted` groups of 2 or 3 neighbouring villagers' committees (consecutive codes in one
    township), no village in two; (basis, villages)."""
    rural = [i for i, (code, _n) in enumerate(villages) if code[9] == "2"]
    used: set[int] = set()
    groups = []
    for i in rng.sample(rural, len(rural)):
        if len(groups) >= wanted:
            break
        basis = c.OrgBasis.JOINT_VILLAGES if rng.random() < 0.75 else c.OrgBasis.VILLAGE_ENTERPRISE
        size = 2 if basis == c.OrgBasis.VILLAGE_ENTERPRISE or rng.random() < 0.6 else 3
        members = list(range(i, i + size))
        if members[-1] >= len(villages) or any(
                j in used or villages[j][0][:9] != villages[i][0][:9]
                or villages[j][0][9] != "2" for j in members):
            continue
        used.update(members)
        groups.append((basis, [villages[j] for j in members]))
    groups.sort(key=lambda g: g[1][0][0])
    return groups


@dataclass
class Tree:
    """The demo organizations the later generators fill: (id, region code, kind) each."""

    villages: list[tuple[int, str, str]]  # one per village, by code
    organs: list[tuple[int, str, str]]
    joint: list[tuple[int, str, str]]


def load_tree() -> Tree | None:
    rows = in_range(PartyOrg, latest_batch("party.partyorg"), "orgs")
    tree = Tree([], [], [])
    for pk, code, kind, basis in rows.order_by("region_code", "id").values_list(
            "id", "region_code", "kind", "basis"):
        if basis == c.OrgBasis.ORGAN:
            tree.organs.append((pk, code, kind))
        elif basis in c.OrgBasis.joint():
            tree.joint.append((pk, code, kind))
        elif kind != c.OrgKind.COMMITTEE:
            tree.villages.append((pk, code, kind))
    return tree if tree.villages else None


# --- members -----------------------------------------------------------------------------------------
STAMP = ("created_at", "updated_at")  # written by the caller: see write_rows
MEMBER_FIELDS = ("org", "region_code", "name", "id_number", "sex", "birth_date", "ethnicity",
                 "education", "stage", "applied_on", "activist_on", "candidate_on",
                 "probationary_on", "full_on", "phone", "occupation", "is_farmer",
                 "is_demo_household", "batch_id", *STAMP)
MEETING_FIELDS = ("org", "region_code", "kind", "date", "attendance", "expected", "topics",
                  "resolutions", *STAMP)


def member_batches():
    return batches("party.partymember").values("id")


def member_counts() -> dict[str, int] | None:
    rows = PartyMember._base_manager.filter(batch_id__in=member_batches())
    if not rows.exists():
        return None
    counts = rows.aggregate(**{s: Count("id", filter=Q(stage=s)) for s in c.STAGE_ORDER})
    members = rows.filter(stage__in=(c.Stage.FULL, c.Stage.PROBATIONARY))
    counts["members"] = counts[c.Stage.FULL] + counts[c.Stage.PROBATIONARY]
    counts["pipeline"] = sum(counts[s] for s in PIPELINE)
    counts["mobile"] = MobileMembership._base_manager.filter(member__in=members).count()
    counts["meetings"] = OrgMeeting._base_manager.filter(
        org__in=in_range(PartyOrg, latest_batch("party.partyorg"), "orgs")).count()
    return counts


def describe_members(counts: dict[str, int]) -> str:
    return (f"{counts['members']:,} members ({counts[c.Stage.PROBATIONARY]:,} probationary) and "
            f"{counts['pipeline']:,} on the way in, {counts['mobile']:,} mobile, "
            f"{counts['meetings']:,} meetings")


@demo.generator("party.members", order=50)
@roomy
def members(ctx: demo.DemoContext) -> str:
    found = member_counts()
    if found:
        return describe_members(found) + " exist, nothing added"
    tree = load_tree()
    if tree is None:
        return "no demo party organizations, nothing added (party.orgs runs first)"
    rng = ctx.random("party.members")
    codes = [code for _pk, code, _kind in tree.villages]
    plans = committee_plan(ctx, codes)
    total = ctx.scaled(MEMBERS)
    in_organs = round(total * ORGAN_SHARE) if tree.organs else 0
    showcase = election_villages(ctx, len(plans))
    village_counts, seat_counts = allocate(rng, total - in_organs,
                                           [len(p.member_seats) for p in plans], populations(codes),
                                           showcase)
    organ_counts = apportion(in_organs, [rng.lognormvariate(0, 0.5) for _ in tree.organs])
    counts = village_counts + organ_counts
    pipeline: dict[int, list[str]] = defaultdict(list)  # village, then organ index -> stages
    if sum(counts):
        cum = cumulative(counts)
        for stage, share in PIPELINE.items():
            for i in rng.choices(range(len(counts)), cum_weights=cum,
                                 k=round(total * share)):
                pipeline[i].append(stage)
    record = changelog.append(
        action=ChangeRecord.Action.BATCH, model="party.partymember", object_id=BATCH_OBJECT_ID,
        object_repr="demo party members", region_code="",
        extra={"members": total, "in_villages": total - in_organs, "in_organs": in_organs,
               "member_cadres": sum(seat_counts),
               **{s: sum(v.count(s) for v in pipeline.values()) for s in PIPELINE},
               "scale": ctx.scale, "seed": ctx.seed})
    builder = MemberBuilder(ctx, record.pk, stations(ctx))
    elected = set(showcase)
    for i, (pk, code, _kind) in enumerate(tree.villages):
        builder.village(pk, code, plans[i], seat_counts[i], village_counts[i] - seat_counts[i],
                        pipeline.get(i, []), NOMINEES if i in elected else 0)
        if len(builder.members) >= CHUNK:
            builder.flush()
    prefixes = county_prefixes()
    for j, (pk, code, _kind) in enumerate(tree.organs):
        builder.organ(pk, code, prefixes.get(code[:4], code[:6]) if code[4:6] == "00"
                      else code[:6], organ_counts[j], pipeline.get(len(tree.villages) + j, []))
        if len(builder.members) >= CHUNK:
            builder.flush()
    builder.flush()
    builder.meetings(tree, plans, village_counts, organ_counts)
    set_secretaries(record.pk)
    return describe_members(member_counts())


def set_secretaries(batch_id: int) -> None:
    """A village branch's secretary is its first member cadre (the plan's first seat), an organ
    branch's its first full member; a village whose secretary has no member row keeps none.
    One aggregate and a join (UPDATE ... FROM, SQLite 3.33 or later): a correlated subquery
    per org scanned the whole, never analysed, member table for each on PostgreSQL."""
    qn = connection.ops.quote_name
    org, member = qn(PartyOrg._meta.db_table), qn(PartyMember._meta.db_table)
    sql = (f"UPDATE {org} SET secretary_id = firsts.member_id FROM ("  # noqa: S608
           f"SELECT org_id, MIN(id) AS member_id FROM {member} "
           f"WHERE batch_id = %s AND stage = %s {{}} GROUP BY org_id) firsts "
           f"WHERE {org}.id = firsts.org_id AND {org}.basis = %s AND {org}.secretary_id IS NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql.format("AND occupation = %s"),
                       [batch_id, c.Stage.FULL.value, CADRE_OCCUPATION, c.OrgBasis.PLACE.value])
        cursor.execute(sql.format(""), [batch_id, c.Stage.FULL.value, c.OrgBasis.ORGAN.value])


def county_prefixes() -> dict[str, str]:
    """Prefecture prefix -> its first county's prefix (for the ID numbers of prefecture organ
    staff)."""
    out: dict[str, str] = {}
    for code in Region._base_manager.filter(level=Level.COUNTY).order_by("code").values_list(
            "code", flat=True):
        out.setdefault(code[:4], code[:6])
    return out


def stations(ctx: demo.DemoContext) -> list[tuple[int, str, str]]:
    """The service stations (created once, found again), as (id, city, location)."""
    existing = {loc: (pk, code) for pk, loc, code in ServiceStation._base_manager.values_list(
        "id", "location", "region_code")}
    codes = set(Region._base_manager.filter(level__lte=Level.PREFECTURE).values_list(
        "code", flat=True))
    province = min((code for code in codes if code.endswith("0" * 10)), default=None)
    rows = []
    for host_prefix, host, city, location in STATIONS:
        region = host_prefix.ljust(12, "0")
        if region not in codes:
            region = province
        if region is None or location in existing:
            continue
        short = "贵州省" if host_prefix == "52" else host[: host.index("驻")]
        rows.append((region, f"{short}驻{city}流动党员服务站", host, location))
    Table(ServiceStation, ("region_code", "name", "host_unit", "location")).write(rows)
    found = ServiceStation._base_manager.values_list("id", "location", "region_code")
    by_location = {loc: (pk, code) for pk, loc, code in found}
    return [(by_location[loc][0], by_location[loc][1], loc) for _h, _host, _city, loc in STATIONS
            if loc in by_location]


@dataclass
class Pending:
    """Rows that wait for their member's id: `place` is the member's index in the chunk."""

    posts: list = field(default_factory=list)
    zones: list = field(default_factory=list)
    commitments: list = field(default_factory=list)
    mobile: list = field(default_factory=list)  # (place, contact place or None, values...)
    care: list = field(default_factory=list)
    services: list = field(default_factory=list)


class MemberBuilder:
    def __init__(self, ctx: demo.DemoContext, batch_id: int, station_list):
        self.rng = ctx.random("party.members.people")
        self.life_rng = ctx.random("party.members.life")
        self.meeting_rng = ctx.random("party.members.meetings")
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.batch_id = batch_id
        self.today = today()
        self.year = self.today.year
        self.month_day = self.today.isoformat()[5:]
        self.ids = TopDownIds(lane=0)
        self.namer = Namer(self.rng)
        self.stations = station_list
        self.members: list[tuple] = []
        self.pending = Pending()
        self.last_id = 0
        self.written = 0

    # -- one member
    def member(self, org: int, code: str, prefix: str, stage: str, ages: tuple[int, int],
               sex: str, education: Odds | str, occupation: str, village: bool) -> int:
        """Adds a member row; returns its place in the chunk."""
        rng = self.rng
        ethnicity = self.namer.ethnicity(code)
        age = rng.randint(*ages)
        number, birth = self.ids.issue(prefix, self.year - age, sex)
        if not isinstance(education, str):
            education = education(rng)
        dates = stage_dates(rng, stage, birth, self.today)
        farmer = village and occupation in FARMER_OCCUPATIONS
        demo_household = (village and farmer and stage in (c.Stage.FULL, c.Stage.PROBATIONARY)
                          and 25 <= age <= 70 and rng.random() < DEMO_HOUSEHOLD_SHARE / 0.8)
        self.members.append((
            org, code, self.namer.name(ethnicity, sex), number, sex, birth.isoformat(),
            ethnicity, education, stage, *dates,
            phone(rng) if rng.random() < (0.8 if age < 60 else 0.4) else "", occupation,
            farmer, demo_household, self.batch_id, self.now, self.now))
        return len(self.members) - 1

    def village(self, org: int, code: str, plan: VillagePlan, seats: int, ordinary: int,
                pipeline: list[str], full: int = 0) -> None:
        """The village's member cadres (the plan's first `seats`), its other members (the
        first `full` of them full members: an election village's nominees) and the people on
        the way in."""
        rng, prefix = self.rng, code[:6]
        places = []
        for seat in plan.member_seats[:seats]:
            lo, hi, men, education = CADRE_ROLES[seat.role]
            sex = "F" if seat.female else "M" if rng.random() < men else "F"
            places.append(self.member(org, code, prefix, c.Stage.FULL, (lo, hi), sex, education,
                                      CADRE_OCCUPATION, True))
        cadres = len(places)
        for k in range(ordinary):
            probationary = rng.random() < PROBATIONARY_SHARE and k >= full
            ages = PROBATIONARY_AGES if probationary else VILLAGE_AGES(rng)
            sex = "M" if rng.random() < 0.7 else "F"
            mid = sum(ages) // 2
            education = next(odds for below, odds in VILLAGE_EDUCATION if mid < below)
            occupation = VILLAGE_OCCUPATIONS(rng)
            if occupation == "退休" and mid < 55:
                occupation = "务农"
            places.append(self.member(org, code, prefix,
                                      c.Stage.PROBATIONARY if probationary else c.Stage.FULL,
                                      ages, sex, education, occupation, True))
        for stage in pipeline:
            self.member(org, code, prefix, stage, PIPELINE_AGES[stage],
                        "M" if rng.random() < 0.6 else "F", VILLAGE_EDUCATION[0][1],
                        VILLAGE_OCCUPATIONS(rng), True)
        self.life(code, places, cadres, village=True)

    def organ(self, org: int, code: str, prefix: str, count: int, pipeline: list[str]) -> None:
        rng = self.rng
        places = []
        for k in range(count):
            probationary = k > 0 and rng.random() < PROBATIONARY_SHARE
            ages = PROBATIONARY_AGES if probationary else (35, 58) if k == 0 else ORGAN_AGES(rng)
            places.append(self.member(
                org, code, prefix, c.Stage.PROBATIONARY if probationary else c.Stage.FULL, ages,
                "M" if rng.random() < 0.6 else "F", ORGAN_EDUCATION, ORGAN_OCCUPATIONS(rng),
                False))
        for stage in pipeline:
            self.member(org, code, prefix, stage, PIPELINE_AGES[stage],
                        "M" if rng.random() < 0.5 else "F", ORGAN_EDUCATION,
                        ORGAN_OCCUPATIONS(rng), False)
        self.life(code, places, 0, village=False)

    # -- posts, zones, commitments, mobility, care of a branch's members
    def life(self, code: str, places: list[int], cadres: int, village: bool) -> None:
        rng, pending, day = self.life_rng, self.pending, self.today
        for k, place in enumerate(places):
            born = self.members[place][5]  # ISO date
            age = self.year - int(born[:4]) - (self.month_day < born[5:])
            if rng.random() < POST_SHARE:
                post = rng.choice(tuple(MEMBER_POSTS))
                start = day - timedelta(days=rng.randrange(30, 3 * 365))
                pending.posts.append((place, code, post, MEMBER_POSTS[post], start.isoformat()))
            if village and rng.random() < ZONE_SHARE:
                group = rng.randint(1, 12)
                area = f"第{group}村民组" if rng.random() < 0.6 else f"第{group}、{group + 1}村民组"
                pending.zones.append((place, code, area))
            if rng.random() < COMMITMENT_SHARE:
                status = rng.choices(tuple(c.CommitmentStatus),
                                     weights=(10, 35, 50, 5))[0]
                evidence = rng.choice(EVIDENCE) if status == c.CommitmentStatus.FULFILLED else ""
                pending.commitments.append((place, code, self.year, rng.choice(COMMITMENTS),
                                            status, evidence))
            if village and k >= cadres and 20 <= age <= 55 and rng.random() < MOBILE_SHARE:
                self.mobile(code, place, places[:cadres] or [p for p in places if p != place])
            if age >= 70 and rng.random() < CARE_SHARE:
                for _ in range(1 if rng.random() < 0.7 else 2):
                    reason, help_given = rng.choice(CARE)
                    visit = day - timedelta(days=rng.randrange(1, 365))
                    pending.care.append((place, code, visit.isoformat(), reason, help_given,
                                         f"{rng.randrange(2, 11) * 100}.00"))

    def mobile(self, code: str, place: int, contacts: list[int]) -> None:
        rng, day = self.life_rng, self.today
        short = rng.random() < 0.5
        away = day - timedelta(days=rng.randrange(7, 170) if short else rng.randrange(190, 1100))
        station = None
        if self.stations and rng.random() < 0.7:
            station, _region, location = rng.choice(self.stations)
        else:
            location = rng.choice(OTHER_PLACES)
        roll = rng.random()
        if roll < 0.75:
            last = day - timedelta(days=rng.randrange(0, 26))
        elif roll < 0.9:
            last = day - timedelta(days=rng.randrange(31, 120))
        else:
            last = None
        if last is not None and last < away:
            last = away
        contact = rng.choice(contacts) if contacts else None
        self.pending.mobile.append((place, contact, code, away.isoformat(), location,
                                    MOBILE_REASONS(rng), station, short,
                                    last.isoformat() if last else None))
        if station is not None and rng.random() < 0.4:
            region = next(r for pk, r, _loc in self.stations if pk == station)
            served = away + timedelta(days=rng.randrange(0, max(1, (day - away).days)))
            self.pending.services.append((place, station, region, served.isoformat(),
                                          rng.choice(STATION_SERVICES)))

    def flush(self) -> None:
        if not self.members:
            return
        write_rows(PartyMember, MEMBER_FIELDS, self.members)
        ids = dict(PartyMember._base_manager.filter(batch_id=self.batch_id, id__gt=self.last_id)
                   .values_list("id_number", "id"))
        if len(ids) != len(self.members):
            raise RuntimeError(f"wrote {len(self.members)} members, read {len(ids)} back")
        place = [ids[row[3]] for row in self.members]
        self.last_id = max(place)
        self.written += len(self.members)
        p = self.pending
        Table(MemberPost, ("member", "region_code", "post", "duties", "starts_on")).write(
            [(place[r[0]], *r[1:]) for r in p.posts])
        Table(ResponsibilityZone, ("member", "region_code", "description")).write(
            [(place[r[0]], *r[1:]) for r in p.zones])
        Table(Commitment, ("member", "region_code", "year", "text", "status", "evidence")).write(
            [(place[r[0]], *r[1:]) for r in p.commitments])
        Table(MobileMembership, ("member", "contact", "region_code", "away_since", "location",
                                 "reason", "station", "has_activity_card", "last_contact_on")
              ).write([(place[r[0]], None if r[1] is None else place[r[1]], *r[2:])
                       for r in p.mobile])
        Table(CareVisit, ("member", "region_code", "date", "reason", "help_given", "amount")
              ).write([(place[r[0]], *r[1:]) for r in p.care])
        Table(StationService, ("member", "station", "region_code", "date", "service")).write(
            [(place[r[0]], *r[1:]) for r in p.services])
        self.members, self.pending = [], Pending()

    # -- organization life of the last twelve complete months
    def meetings(self, tree: Tree, plans: list[VillagePlan], village_counts: list[int],
                 organ_counts: list[int]) -> None:
        """Every branch holds each required meeting in each month or quarter of the last twelve
        complete months, but SHORT_SHARE of them miss one to three (never in the first window,
        which a "last twelve months" view may not count whole). Joint general branches hold
        their committee meeting monthly. About 590,000 rows whatever the scale: the hot loop
        draws with random() alone and builds whole rows for `write_rows`."""
        rng = self.meeting_rng
        random = rng.random
        months = [month_start(self.today, back) for back in range(12, 0, -1)]
        this_quarter = date(self.today.year, (self.today.month - 1) // 3 * 3 + 1, 1)
        quarters = [month_start(this_quarter, 3 * back) for back in range(4, 0, -1)]

        def days(windows: list[date], months_long: int) -> list[list[str]]:
            return [[(start + timedelta(days=d)).isoformat()
                     for d in range((month_start(start, -months_long) - start).days)]
                    for start in windows]

        K = c.MeetingKind
        calendar = {K.ALL_MEMBER: days(quarters, 3), K.COMMITTEE: days(months, 1),
                    K.LECTURE: days(quarters, 3), K.THEMED_DAY: days(months, 1)}
        branch_kinds = tuple(calendar)
        orgs = ([(pk, code, max(village_counts[i], plans[i].branch_size), plans[i].branch_size,
                  branch_kinds) for i, (pk, code, _kind) in enumerate(tree.villages)]
                + [(pk, code, max(organ_counts[j], 3), 3, branch_kinds)
                   for j, (pk, code, _kind) in enumerate(tree.organs)]
                + [(pk, code, 5, 5, (K.COMMITTEE,)) for pk, code, _kind in tree.joint])
        now = self.now
        kind_text = {kind: str(kind) for kind in calendar}
        topics = {kind: TOPICS[kind] for kind in calendar}
        resolutions = {kind: RESOLUTIONS if kind in (K.ALL_MEMBER, K.COMMITTEE) else ("",)
                       for kind in calendar}
        rows: list[tuple] = []
        for n, (pk, code, members, committee, kinds) in enumerate(orgs):
            skip: set[tuple[str, int]] = set()
            if random() < SHORT_SHARE:
                for kind in rng.sample(kinds, min(len(kinds), 1 if random() < 0.7 else 2)):
                    count = len(calendar[kind])
                    for w in rng.sample(range(1, count), rng.randint(1, min(3, count - 1))):
                        skip.add((kind, w))
            for kind in kinds:
                expected = committee if kind == K.COMMITTEE else members
                said = JOINT_MEETING_TOPICS if len(kinds) == 1 else topics[kind]
                decided = resolutions[kind]
                text = kind_text[kind]
                for w, window in enumerate(calendar[kind]):
                    if skip and (kind, w) in skip:
                        continue
                    rows.append((pk, code, text, window[int(random() * len(window))],
                                 expected - int(expected * random() * 0.25), expected,
                                 said[int(random() * len(said))],
                                 decided[int(random() * len(decided))], now, now))
            if len(rows) >= 50_000 or n == len(orgs) - 1:
                write_rows(OrgMeeting, MEETING_FIELDS, rows)
                rows = []


def copy_text(rows: list[tuple]) -> str | None:
    """The rows in COPY's text format, built in one go: psycopg's pure-Python write_row cost
    more than the server. None if a value would need escaping (no text made here does): then
    write_row does it."""
    text = "".join(["\t".join(["\\N" if v is None else "t" if v is True else "f" if v is False
                                else str(v) for v in row]) + "\n" for row in rows])
    if text.count("\\") != text.count("\\N") or "\r" in text or text.count("\n") != len(rows) \
            or text.count("\t") != len(rows) * (len(rows[0]) - 1):
        return None
    return text


def write_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Like `poverty.demo.Table.write` for rows that hold every column written, timestamps
    included (STAMP, the time of the run, adapted); the columns not named are left NULL. For
    the largest tables, where Table's copy of every row to append its constants shows."""
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(name).column) for name in fields)
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            text = copy_text(rows)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                if text is None:
                    for row in rows:
                        copy.write_row(row)
                else:
                    copy.write(text)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                               rows)


def stage_dates(rng, stage: str, birth: date, day: date) -> tuple:
    """applied_on, activist_on, candidate_on, probationary_on, full_on (ISO text or None): in
    order, none in the future, applied at 18 or later, an activist at least a year before being
    a candidate, a probationary member a year before being full."""
    adult = add_years(birth, 18)

    def gaps(minimal: bool) -> tuple[int, int, int, int]:
        if minimal:
            return 30, 366, 60, 365
        return (rng.randint(30, 365), rng.randint(366, 900), rng.randint(60, 300),
                365 + (rng.randint(0, 45) if rng.random() < 0.3 else 0))

    order = c.STAGE_ORDER.index(stage)
    for minimal in (False, True):
        g = gaps(minimal)
        if stage == c.Stage.FULL:
            span = sum(g)
            room = (day - adult).days - span
            if room < 0:
                continue
            back = int(rng.expovariate(1 / 3000))
            applied = adult + timedelta(days=back if back <= room else rng.randint(0, room))
        else:
            anchor = day - timedelta(days=rng.randint(0, 30) if minimal else {
                c.Stage.APPLICANT: rng.randint(0, 365), c.Stage.ACTIVIST: rng.randint(0, 700),
                c.Stage.CANDIDATE: rng.randint(0, 300),
                c.Stage.PROBATIONARY: rng.randint(1, 364)}[stage])
            applied = anchor - timedelta(days=sum(g[:order]))
            if applied < adult:
                continue
        dates, current = [applied], applied
        for k in range(order):
            current = current + timedelta(days=g[k])
            dates.append(current)
        return tuple(d.isoformat() for d in dates) + (None,) * (4 - order)
    raise ValueError(f"born {birth}: too young to be at the stage {stage}")


# --- the two committees and their cadres -----------------------------------------------------------
COMMITTEE_FIELDS = ("region_code", "kind", "org", "term_starts_on", "term_ends_on", *STAMP)
CADRE_FIELDS = ("region_code", "name", "id_number", "sex", "birth_date", "education",
                "is_college_graduate", "member", "phone", *STAMP)
POSITION_FIELDS = ("cadre", "committee", "region_code", "post", "starts_on", *STAMP)
WELFARE_FIELDS = ("cadre", "region_code", "year", "pay", "pension_insurance",
                  "medical_insurance", "severance")
CAREER_FIELDS = ("cadre", "region_code", "move", "date", "new_post")
ELECTION_FIELDS = ("region_code", "committee_kind", "org", "state", "seats", "members_eligible",
                   "members_present", "public_voters", "held_on", "result_committee")
CANDIDATE_FIELDS = ("election", "region_code", "member", "member_votes", "public_votes",
                    "shortlisted", "ballot_votes", "elected", "post")


def committee_counts(record: ChangeRecord) -> dict[str, int]:
    committees = in_range(Committee, record, "committees")
    cadres = in_range(Cadre, record, "cadres")
    return {"committees": committees.count(), "cadres": cadres.count(),
            "member_cadres": cadres.filter(member__isnull=False).count(),
            "positions": CadrePosition._base_manager.filter(committee__in=committees).count(),
            "elections": Election._base_manager.filter(result_committee__in=committees).count()}


def describe_committees(counts: dict[str, int]) -> str:
    return (f"{counts['committees']:,} committees, {counts['cadres']:,} cadres "
            f"({counts['member_cadres']:,} party members), {counts['positions']:,} posts, "
            f"{counts['elections']:,} elections")


@demo.generator("party.committees", order=60)
@roomy
def committees(ctx: demo.DemoContext) -> str:
    record = latest_batch("party.committee")
    if in_range(Committee, record, "committees").exists():
        return describe_committees(committee_counts(record)) + " exist, nothing added"
    tree = load_tree()
    if tree is None:
        return "no demo party organizations, nothing added (party.orgs runs first)"
    codes = [code for _pk, code, _kind in tree.villages]
    plans = committee_plan(ctx, codes)
    org_range = in_range(PartyOrg, latest_batch("party.partyorg"), "orgs")
    seat_members: dict[int, list[tuple]] = defaultdict(list)
    for row in PartyMember._base_manager.filter(
            batch_id__in=member_batches(), org__in=org_range.values("id"),
            occupation=CADRE_OCCUPATION).order_by("org_id", "id").values_list(
            "org_id", "id", "name", "sex", "birth_date", "id_number", "education", "phone"):
        seat_members[row[0]].append(row[1:])
    full_members = dict(PartyMember._base_manager.filter(
        batch_id__in=member_batches(), org__in=org_range.values("id"), stage=c.Stage.FULL)
        .values("org").annotate(n=Count("id")).values_list("org", "n"))
    builder = CadreBuilder(ctx, tree, plans, seat_members, full_members)
    for start in range(0, len(codes), VILLAGE_CHUNK):
        builder.chunk(range(start, min(start + VILLAGE_CHUNK, len(codes))))
    builder.elections()
    record = changelog.append(
        action=ChangeRecord.Action.BATCH, model="party.committee", object_id=BATCH_OBJECT_ID,
        object_repr="demo village committees", region_code="",
        extra={"committees": builder.ranges["committees"], "cadres": builder.ranges["cadres"],
               "one_shoulder_villages": sum(p.one_shoulder for p in plans),
               "college_graduate_villages": sum(p.college for p in plans),
               "careers": builder.careers, "elections": builder.election_count,
               "scale": ctx.scale, "seed": ctx.seed})
    return describe_committees(committee_counts(record))


class CadreBuilder:
    def __init__(self, ctx, tree: Tree, plans: list[VillagePlan], seat_members, full_members):
        self.rng = ctx.random("party.committees")
        self.today = today()
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.tree, self.plans = tree, plans
        self.seat_members = seat_members
        self.ids = TopDownIds(lane=1)
        self.namer = Namer(self.rng)
        self.base_term = term_start(self.today)
        self.townships = dict(Region._base_manager.filter(level=Level.TOWNSHIP).values_list(
            "code", "name"))
        self.ranges: dict[str, list[int]] = {}
        self.careers = 0
        self.election_count = 0
        count = len(plans)
        wanted = max(3, round(count * CAREER_SHARE))
        self.career_villages = set(self.rng.sample(range(count), min(count, wanted)))
        # the election villages where every seat of the branch committee is a member row and
        # the branch has enough other full members to nominate (all, unless at a tiny scale)
        self.election_villages = {
            i for i in election_villages(ctx, count)
            if len(seat_members.get(tree.villages[i][0], ())) >= plans[i].branch_size
            and full_members.get(tree.villages[i][0], 0)
            - len(seat_members[tree.villages[i][0]]) >= 3}
        self.election_data: list[tuple] = []

    def span(self, key: str, first: int, last: int) -> None:
        lo, hi = self.ranges.get(key, [first, last])
        self.ranges[key] = [min(lo, first), max(hi, last)]

    def chunk(self, indices: range) -> None:
        rng, now = self.rng, self.now
        committees, starts = [], {}
        for i in indices:
            pk, code, _kind = self.tree.villages[i]
            start = min(self.today, self.base_term + timedelta(days=rng.randrange(0, 80)))
            end = add_years(start, TERM_YEARS) - timedelta(days=1)
            starts[code] = start
            committees.append((code, B, pk, start.isoformat(), end.isoformat(), now, now))
            committees.append((code, V, None, start.isoformat(), end.isoformat(), now, now))
        last = max_id(Committee)
        write_rows(Committee, COMMITTEE_FIELDS, committees)
        committee_ids = new_ids(Committee, last, "region_code", "kind")
        self.span("committees", min(committee_ids.values()), max(committee_ids.values()))

        cadres, seats_of = [], []  # seats_of: (village index, seat, cadre row index)
        for i in indices:
            pk, code, _kind = self.tree.villages[i]
            members = self.seat_members.get(pk, [])
            for k, seat in enumerate(self.plans[i].seats):
                if seat.member and k < len(members):
                    member_id, name, sex, birth, number, education, tel = members[k]
                    cadres.append((code, name, number, sex, birth.isoformat(), education,
                                   seat.college, member_id, tel, now, now))
                else:
                    cadres.append(self.person(code, seat))
                seats_of.append((i, seat, len(cadres) - 1))
        last = max_id(Cadre)
        write_rows(Cadre, CADRE_FIELDS, cadres)
        cadre_ids = new_ids(Cadre, last, "id_number")
        if len(cadre_ids) != len(cadres):
            raise RuntimeError(f"wrote {len(cadres)} cadres, read {len(cadre_ids)} back")
        self.span("cadres", min(cadre_ids.values()), max(cadre_ids.values()))

        positions, welfare, careers = [], [], []
        year = self.today.year
        for i, seat, row in seats_of:
            code = self.tree.villages[i][1]
            cadre = cadre_ids[cadres[row][2]]
            start = starts[code].isoformat()
            for kind, post in seat.posts:
                positions.append((cadre, committee_ids[(code, kind)], code, post, start, now, now))
            if not seat.head:
                continue
            pay = rng.randrange(*PAY[seat.head]) // 100 * 100
            welfare.append((cadre, code, year, f"{pay}.00", rng.random() < 0.85,
                            rng.random() < 0.95, "0.00"))
            if seat.head == P.DIRECTOR:
                continue
            if i in self.career_villages:
                move = rng.choices(tuple(CAREER_POSTS), weights=(50, 20, 30))[0]
                town = self.townships.get(code[:9] + "000", "")
                when = starts[code] + timedelta(
                    days=rng.randrange(0, max(1, (self.today - starts[code]).days)))
                careers.append((cadre, code, move, when.isoformat(),
                                CAREER_POSTS[move].format(town)))
            if i in self.election_villages:
                branch_seats = [(cadres[r][7], s.posts[0][1]) for j, s, r in seats_of
                                if j == i and s.posts[0][0] == B]  # a branch post comes first
                self.election_data.append((i, code, committee_ids[(code, B)], starts[code],
                                           branch_seats))
        write_rows(CadrePosition, POSITION_FIELDS, positions)
        Table(CadreWelfare, WELFARE_FIELDS).write(welfare)
        Table(CadreCareer, CAREER_FIELDS).write(careers)
        self.careers += len(careers)

    def person(self, code: str, seat: Seat) -> tuple:
        """A cadre who is not a party member (or, at small scales, has no member row)."""
        rng = self.rng
        lo, hi, men, education = CADRE_ROLES[seat.role]
        sex = "F" if seat.female else "M" if rng.random() < men else "F"
        year = self.today.year - lo - int(rng.random() * (hi - lo + 1))
        number, birth = self.ids.issue(code[:6], year, sex)
        name = self.namer.name(self.namer.ethnicity(code), sex)
        return (code, name, number, sex, birth.isoformat(), education(rng), seat.college, None,
                phone(rng) if rng.random() < 0.95 else "", self.now, self.now)

    def elections(self) -> None:
        """Closed elections (两推一选) of the branch committees of a few villages: the seats'
        holders are nominated with a few other full members, recommended, shortlisted and
        elected by the rules' own arithmetic."""
        from fupin.party import rules

        if not self.election_data:
            return
        rng = self.rng
        orgs = [self.tree.villages[i][0] for i, *_rest in self.election_data]
        others: dict[int, list[int]] = defaultdict(list)
        for org, pk in PartyMember._base_manager.filter(
                org__in=orgs, stage=c.Stage.FULL).exclude(occupation=CADRE_OCCUPATION).order_by(
                "org_id", "id").values_list("org_id", "id"):
            others[org].append(pk)
        eligible_of = dict(PartyMember._base_manager.filter(org__in=orgs, stage=c.Stage.FULL)
                           .values("org").annotate(n=Count("id")).values_list("org", "n"))
        elections, plans = [], []
        for i, code, committee, start, seats in self.election_data:
            org = self.tree.villages[i][0]
            b = len(seats)
            eligible = eligible_of[org]
            if not rules.quorum_met(eligible, eligible):
                continue
            quorum = eligible  # the fewest present that make a quorum
            while quorum > 1 and rules.quorum_met(quorum - 1, eligible):
                quorum -= 1
            present = rng.randint(quorum, eligible)
            public = rng.randint(60, 300)
            size = rules.shortlist_size(b)
            extra = rng.sample(others[org], min(len(others[org]), size - b + rng.randint(1, 2)))
            shortlisted = [m for m, _post in seats] + extra[: size - b]
            nominees = shortlisted + extra[size - b:]
            min_members, min_public = rules.recommendation_minimums(eligible, public)
            need_m, need_p = math.ceil(min_members), math.ceil(min_public)
            votes = {}
            for m in nominees:
                if m in shortlisted:
                    votes[m] = (rng.randint(need_m, eligible), rng.randint(need_p, public))
                elif rng.random() < 0.5:
                    votes[m] = (rng.randint(0, need_m - 1), rng.randint(0, public))
                else:
                    votes[m] = (rng.randint(need_m, eligible), rng.randint(0, need_p - 1))
            picked = rules.pick_shortlist(votes, b, eligible, public).picked
            needed = math.floor(rules.majority_votes(present))
            ballots = {m: (rng.randint(needed + 1, present) if m in dict(seats)
                           else rng.randint(0, needed)) for m in picked}
            result = rules.pick_elected(ballots, present, b)
            if sorted(picked) != sorted(shortlisted) or sorted(result.elected) != sorted(
                    dict(seats)) or not rules.quorum_met(present, eligible):
                raise RuntimeError(f"demo election in {code} does not add up")
            elections.append((code, B, org, c.ElectionState.CLOSED, b, eligible, present, public,
                              (start - timedelta(days=rng.randint(0, 10))).isoformat(),
                              committee))
            posts = dict(seats)
            plans.append((code, committee, [
                (code, m, votes[m][0], votes[m][1], m in picked, ballots.get(m, 0),
                 m in result.elected, posts.get(m, "") if m in result.elected else "")
                for m in nominees]))
        last = max_id(Election)
        Table(Election, ELECTION_FIELDS).write(elections)
        ids = new_ids(Election, last, "result_committee")
        Table(Candidate, CANDIDATE_FIELDS).write(
            [(ids[committee], *row) for _code, committee, rows in plans for row in rows])
        self.election_count = len(elections)

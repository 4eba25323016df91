"""Demo data of the assistance mechanisms (党建促扶贫): work teams, contact points, branch and
household pairing, visits, measures, whole-village plans, industry projects, relocation and
Spring Sunshine.

Four generators, after the poverty (10-30) and party (40-60) ones:

- `assistance.teams` (70): a work team (驻村工作队) in every key village and in
  OTHER_TEAM_SHARE of the other poor villages (s times as many, at least OTHER_TEAM_MIN),
  dispatched by a province, prefecture, county or township unit for a term of two or three
  years around today; three to five members each (first secretary, leader, members), a few
  teams (SMALL_TEAM_SHARE) with two; presence for the last twelve months (20 to 26 days a
  month, a few short, and in SHORT_PRESENCE_SHARE of the teams a member short last month); a
  few work-log entries. Leading cadres' contact points (round(CONTACT_POINTS s)) with their
  visits. Branch pairings (万个支部结对): max(round(10,000 s), the floor), where the floor pairs
  every branch of a key or poor village but a few (BRANCH_GAP_SHARE) once; COMPLETED_SHARE of
  them from earlier terms. Helping branches are the party demo's organ branches and urban
  community branches (城乡共创), and where those run out (at most MAX_PAIRINGS current pairings
  each) organ, public-institution and enterprise branches that this generator adds as PartyOrg
  rows, under the county or prefecture committee, as `party.orgs` writes its organ branches
  (without members or meetings; the batch record names their id range). The poor villages
  are a share of the whole region tree, not scaled, so below scale 1 the floor, not 10,000 s,
  sets the count (about 1,900 at 0.01).
- `assistance.projects` (72): whole-village plans for VILLAGE_PLAN_SHARE of the key villages
  with their funding and projects; enterprises and cooperatives (round(ENTERPRISES s)) with
  industry projects whose benefits link households in need of the village; resettlement sites
  and a relocation for every household the poverty demo marks `relocated`; Spring Sunshine
  envoys (round(ENVOYS s)) living in Guangzhou, Shenzhen, Shanghai, Zhejiang... with their
  contributions to their home villages.
- `assistance.households` (74): every household in need (`rules.helped_statuses()`) gets a
  current helper except a visible few (UNPAIRED_SHARE); helpers are full members (not away, at
  most 70), those of the county's and prefecture's organ branches first, then members of the
  household's village, township, county and prefecture, each with one to five households (a
  few, OVER_LIMIT_SHARE, with six to eight); HELPER_CHANGED_SHARE of the households had an
  earlier helper. At scale 1 that is some 230,000 helpers for 670,000 households, well over
  the published 10,000 (万名党员帮万户), which (s times, at least HELPER_FLOOR) is the floor. Visits by the helper over the past year,
  the latest within 90 days except in STALE_SHARE of the households; visits of work-team
  members to their villages, the latest within 30 days except in a few key villages (whose
  households' latest visits are then 31 to 85 days old too). A plan of one to four measures
  for every household in need but a few (NO_MEASURE_SHARE), their kinds following the
  household's causes of poverty, the older ones done.
- `assistance.helper_user` (910, after `accounts.users`): links the demo user `demo-helper` to
  a member who currently helps two to five households of one village, nearest the village the
  accounts generator chose, and makes that village the user's scope (accounts/demo.py leaves
  a linked helper's village alone on a second run).

Rows are written in chunks as the poverty and party generators write theirs (`Table`,
`write_rows`: COPY on PostgreSQL, executemany on SQLite), so no change-log signals fire: each
generator appends one batch change record naming the id ranges it wrote, which is also how a
second run finds the data and adds nothing. Households are handled a prefecture at a time, so
memory stays bounded at scale 1. Everything is fixed by the seed except that dates count back
from today, as the party demo's do.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from fupin.assistance import choices as c
from fupin.assistance import rules
from fupin.assistance.models import (
    BranchPairing,
    ChunhuiContribution,
    ChunhuiEnvoy,
    ContactPoint,
    ContactVisit,
    Enterprise,
    IndustryBenefit,
    IndustryProject,
    Measure,
    Pairing,
    PlanFunding,
    PlanProject,
    Presence,
    Relocation,
    ResettlementSite,
    VillagePlan,
    Visit,
    WorkLogEntry,
    WorkTeam,
    WorkTeamMember,
)
from fupin.core import changelog, demo
from fupin.core.models import ChangeRecord
from fupin.party import choices as pc
from fupin.party import demo as party_demo
from fupin.party.models import MobileMembership, PartyMember, PartyOrg
from fupin.poverty import demo as poverty_demo
from fupin.poverty.choices import Ethnicity, HouseholdAttribute, PovertyCause
from fupin.poverty.models import Household, VillageProfile
from fupin.regions.models import Level, Region
from fupin.regions.scope import pad, within

Table, Odds, apportion = poverty_demo.Table, poverty_demo.Odds, poverty_demo.apportion
write_rows, STAMP = party_demo.write_rows, party_demo.STAMP
latest_batch, in_range, max_id = party_demo.latest_batch, party_demo.in_range, party_demo.max_id
today, add_years, month_start = party_demo.today, party_demo.add_years, party_demo.month_start
place_name, phone = party_demo.place_name, party_demo.phone
BATCH_OBJECT_ID = "demo"
TEAMS_BATCH, PROJECTS_BATCH, HOUSEHOLDS_BATCH = (
    "assistance.workteam", "assistance.villageplan", "assistance.pairing")
HELPER_USERNAME = "demo-helper"

# --- calibration (seed-figures.md: "10,000 branches paired and 10,000 members helping") --------
BRANCH_PAIRINGS = 10_000
BRANCH_PAIRING_FLOOR = 50
HELPERS = 10_000
HELPER_FLOOR = 50
OTHER_TEAM_SHARE = 0.10  # of the poor villages that are not key villages, at scale 1
OTHER_TEAM_MIN = 5
SMALL_TEAM_SHARE = 0.03  # of the teams: two members only (below the minimum of three)
SHORT_PRESENCE_SHARE = 0.05  # of the teams: a member under 20 days last month
SHORT_MONTH_SHARE = 0.03  # of the other member-months: under 20 days
CONTACT_POINTS, CONTACT_FLOOR = 3_000, 12
BRANCH_GAP_SHARE = 0.005  # of the branches of key and poor villages: no current pairing
COMPLETED_SHARE = 0.12  # of the branch pairings: from an earlier term
MAX_PAIRINGS = {c.HelpingOrgKind.ORGAN: 3, c.HelpingOrgKind.INSTITUTION: 3,
                c.HelpingOrgKind.ENTERPRISE: 3, c.HelpingOrgKind.URBAN: 2}
HELPING_KINDS = Odds({c.HelpingOrgKind.ORGAN: 45, c.HelpingOrgKind.INSTITUTION: 20,
                      c.HelpingOrgKind.ENTERPRISE: 15, c.HelpingOrgKind.URBAN: 20})
VILLAGE_PLAN_SHARE, VILLAGE_PLAN_MIN = 0.10, 3  # of the key villages
ENTERPRISES, ENTERPRISE_FLOOR = 1_500, 6
ENVOYS, ENVOY_FLOOR = 2_000, 10
UNPAIRED_SHARE = 0.005  # of the households in need: no current helper
OVER_LIMIT_SHARE = 0.003  # of the helpers: six to eight households
HELPER_CHANGED_SHARE = 0.05  # of the paired households: an earlier helper
STALE_SHARE = 0.03  # of the households in need: no visit in the last 90 days
QUIET_VILLAGE_SHARE = 0.05  # of the key villages: no visit in the last 30 days
NO_MEASURE_SHARE = 0.015  # of the households in need: no measure
GAP_MIN = 2  # each deliberate gap shows at least this many rows (where there are enough)
MAX_HELPER_AGE = 70
LOADS = Odds({1: 15, 2: 25, 3: 25, 4: 20, 5: 15})
LIGHT_LOADS = Odds({1: 70, 2: 30})  # when there are few households per floor helper
MEAN_LOAD = 2.95
CHUNK = 20_000  # rows per write
UL = c.UnitLevel

# --- names ---------------------------------------------------------------------------------------
PROVINCE_UNITS = ("省委组织部", "省委宣传部", "省发展和改革委员会", "省财政厅", "省交通运输厅", "省水利厅",
                  "省农业厅", "省教育厅", "省卫生厅", "省民政厅", "省扶贫开发办公室", "省林业厅",
                  "省国土资源厅", "省人民医院", "省农业科学院", "贵州大学", "省总工会", "省广播电视局",
                  "省地方税务局", "省供销合作社")
CITY_UNITS = ("{}委组织部", "{}财政局", "{}交通运输局", "{}水务局", "{}农业局", "{}教育局", "{}卫生局",
              "{}民政局", "{}扶贫开发办公室", "{}人民医院", "{}林业局", "{}国土资源局",
              "{}发展和改革局", "{}住房和城乡建设局")
COUNTY_UNITS = ("{}委办公室", "{}人民政府办公室", "{}委组织部", "{}扶贫开发办公室", "{}农业局",
                "{}教育局", "{}民政局", "{}财政局", "{}交通运输局", "{}水务局", "{}林业局",
                "{}卫生局", "{}人民医院", "{}中医院", "{}农村信用合作联社", "{}供电局",
                "{}国土资源局", "{}畜牧局")
TOWNSHIP_UNITS = ("{}人民政府", "{}党委", "{}农业服务中心", "{}财政所", "{}卫生院")
TEAM_UNITS_BY_LEVEL = {UL.PROVINCE: PROVINCE_UNITS, UL.PREFECTURE: CITY_UNITS,
                       UL.COUNTY: COUNTY_UNITS, UL.TOWNSHIP: TOWNSHIP_UNITS}
TEAM_LEVELS = Odds({UL.PROVINCE: 15, UL.PREFECTURE: 25, UL.COUNTY: 45, UL.TOWNSHIP: 15})
TEAM_SIZES = Odds({3: 40, 4: 35, 5: 25})
WORK_LOG = ("召开村两委联席会议，研究本月帮扶工作", "走访贫困户，核实家庭收入情况", "协调县交通局，推进通组公路硬化",
            "组织党员群众收看远程教育节目", "指导合作社制定分红方案", "参加村党支部主题党日活动",
            "调解邻里土地纠纷", "宣讲扶贫小额信贷政策", "督查危房改造施工进度和质量",
            "联系企业到村开展招聘，登记务工意愿", "协助村里完善贫困户档案资料", "组织村民代表会议讨论“一事一议”项目")

# Helping branches added where the party demo's run out: `{}` is the county's or prefecture's
# name; the organ units follow the party demo's (party_demo.ORGAN_UNITS) with more of them.
EXTRA_ORGAN_UNITS = ("{}发展和改革局", "{}公安局", "{}司法局", "{}商务局", "{}统计局", "{}审计局",
                     "{}住房和城乡建设局", "{}国土资源局", "{}环境保护局", "{}文化广电局", "{}工商局",
                     "{}安全生产监督管理局", "{}人民法院", "{}人民检察院", "{}总工会", "{}团委", "{}妇联",
                     "{}科学技术协会", "{}档案局", "{}气象局", "{}供销合作社", "{}地方税务局",
                     "{}移民开发局", "{}人大常委会办公室", "{}政协办公室", "{}纪委", "{}委统战部",
                     "{}委政法委", "{}畜牧局", "{}粮食局")
INSTITUTION_UNITS = ("{}人民医院", "{}中医院", "{}妇幼保健院", "{}疾病预防控制中心", "{}第一中学",
                     "{}第二中学", "{}民族中学", "{}职业技术学校", "{}农业技术推广中心",
                     "{}畜牧兽医站", "{}林业科技推广站", "{}广播电视台", "{}水利工程管理站",
                     "{}农村经济经营管理站", "{}就业服务中心")
ENTERPRISE_UNITS = ("{}供电局", "{}农村信用合作联社", "{}烟草公司", "{}邮政局", "{}自来水公司",
                    "中国移动{}分公司", "中国电信{}分公司", "中国农业银行{}支行", "{}电力公司",
                    "{}交通建设投资有限公司", "{}城市建设投资有限公司", "{}农业发展投资有限公司",
                    "{}茶业集团有限公司")
NEW_BRANCH_UNITS = {c.HelpingOrgKind.ORGAN: party_demo.ORGAN_UNITS + EXTRA_ORGAN_UNITS,
                    c.HelpingOrgKind.INSTITUTION: INSTITUTION_UNITS,
                    c.HelpingOrgKind.ENTERPRISE: ENTERPRISE_UNITS}
ORDINALS = ("", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十")
NEW_BRANCH_BASIS = {c.HelpingOrgKind.ORGAN: pc.OrgBasis.ORGAN,
                    c.HelpingOrgKind.INSTITUTION: pc.OrgBasis.ORGAN,  # 事业单位: no basis of its own
                    c.HelpingOrgKind.ENTERPRISE: pc.OrgBasis.ENTERPRISE}
AGREED_ACTIONS = ("帮助理清发展思路，制定村级发展规划", "每季度到村开展一次联合主题党日",
                  "协调项目资金，帮助修建通组公路", "资助贫困学生完成学业", "帮助发展村集体经济",
                  "培训村党员和致富带头人", "帮助建设村级活动场所", "协调解决人畜饮水困难",
                  "引进产业项目，带动群众增收", "开展结对共建，互派党员交流")

CONTACT_POSTS = {  # {w}: the province, prefecture or county; {h}: 省, 市, 州, 县 or 区
    UL.PROVINCE: ("{w}副省长", "{w}委常委、组织部部长", "{w}委常委、宣传部部长", "{w}人大常委会副主任",
                  "{w}政协副主席", "{w}委副书记"),
    UL.PREFECTURE: ("{w}委书记", "{w}人民政府{h}长", "{w}委副书记", "{w}委常委、组织部部长",
                    "{w}委常委、常务副{h}长", "{w}人大常委会主任", "{w}政协主席", "{w}副{h}长"),
    UL.COUNTY: ("{w}委书记", "{w}人民政府{h}长", "{w}委副书记", "{w}委常委、组织部部长",
                "{w}委常委、常务副{h}长", "{w}委常委、宣传部部长", "{w}人大常委会主任", "{w}政协主席",
                "{w}副{h}长", "{w}委常委、纪委书记"),
}
CONTACT_LEVELS = Odds({UL.PROVINCE: 5, UL.PREFECTURE: 20, UL.COUNTY: 75})
PROBLEMS = (("通组公路未硬化，雨天出行难", "协调交通部门列入年度计划，已开工"),
            ("部分群众饮水困难", "协调水利部门建设蓄水池两个"),
            ("村级活动场所破旧", "协调资金二十万元新建活动场所"),
            ("产业发展缺资金", "协调信用社发放小额贷款"),
            ("村党支部班子年龄偏大", "指导发展年轻党员，培养后备干部"),
            ("留守儿童缺人照看", "协调建立留守儿童之家"),
            ("茶叶销售渠道窄", "联系企业签订收购订单"),
            ("危房改造进度慢", "督促乡镇加快进度，明确完成时限"),
            ("群众看病远", "协调卫生部门设立村卫生室"))

HOME_FINDINGS = {
    PovertyCause.ILLNESS: ("户主慢性病需长期服药，医疗支出大", "家中有重病人，正在县医院治疗"),
    PovertyCause.DISABILITY: ("家中有残疾人，生活自理困难", "残疾人证已办理，需落实补贴"),
    PovertyCause.SCHOOLING: ("子女在读高中，学费生活费负担重", "孩子考上大学，学费尚缺"),
    PovertyCause.DISASTER: ("去年遭受冰雹灾害，庄稼减产", "房屋受山洪损坏，需要维修"),
    PovertyCause.LAND: ("人均耕地不足半亩，且为坡地", "土地贫瘠，产量低"),
    PovertyCause.WATER: ("饮水需到两公里外挑水", "旱季缺水，灌溉困难"),
    PovertyCause.SKILLS: ("劳动力缺乏技术，只能打零工", "想外出务工但没有技能"),
    PovertyCause.LABOUR: ("家中只有老人，缺乏劳动力", "主要劳动力年老体弱"),
    PovertyCause.FUNDS: ("想发展养殖但缺少启动资金", "种植茶叶缺资金购买茶苗"),
    PovertyCause.TRANSPORT: ("组里不通公路，农产品运不出去", "离集镇远，出行不便"),
    PovertyCause.MOTIVATION: ("户主发展意愿不强", "对脱贫信心不足，需要鼓劲"),
}
DEFAULT_FINDINGS = ("了解家庭生产生活情况，收入有所增加", "宣讲扶贫政策，群众表示满意")
PHONE_FINDINGS = ("电话了解近况，家中生产生活正常", "电话询问外出务工收入情况", "电话提醒按时参加培训",
                  "电话了解病人治疗和报销进度")
HELP_GIVEN = ("宣讲扶贫惠民政策", "送去米、油等慰问品", "协助申请医疗救助", "帮助联系务工岗位",
              "协调解决种苗和化肥", "帮助办理小额信贷", "帮助填写补助申请材料", "")
FOLLOW_UP = ("下月再次走访，跟进落实情况", "协调乡镇解决", "督促落实产业扶持资金", "")
VILLAGE_FINDINGS = ("召开村两委会议，研究产业发展", "走访贫困户，了解生产生活情况", "督促危房改造进度",
                    "检查通组公路建设", "组织党员集中学习", "查看合作社生产经营情况", "核实贫困户档案资料")
VILLAGE_HELP = ("协调项目资金", "协调解决施工用地", "指导完善村级发展规划", "")

M = c.MeasureKind
CAUSE_MEASURES = {
    PovertyCause.ILLNESS: Odds({M.HEALTH: 5, M.DIBAO: 2, M.PUBLIC_JOB: 1, M.DIVIDEND: 1}),
    PovertyCause.DISABILITY: Odds({M.HEALTH: 3, M.DIBAO: 3, M.PUBLIC_JOB: 2, M.DIVIDEND: 1}),
    PovertyCause.SCHOOLING: Odds({M.EDUCATION: 5, M.LOAN: 1, M.EMPLOYMENT: 1}),
    PovertyCause.DISASTER: Odds({M.HOUSING: 3, M.INDUSTRY: 2, M.RELOCATION: 1, M.OTHER: 1}),
    PovertyCause.LAND: Odds({M.EMPLOYMENT: 3, M.INDUSTRY: 2, M.DIVIDEND: 1}),
    PovertyCause.WATER: Odds({M.OTHER: 3, M.INDUSTRY: 2}),
    PovertyCause.SKILLS: Odds({M.TRAINING: 4, M.EMPLOYMENT: 3, M.INDUSTRY: 1}),
    PovertyCause.LABOUR: Odds({M.DIBAO: 3, M.DIVIDEND: 2, M.PUBLIC_JOB: 2}),
    PovertyCause.FUNDS: Odds({M.LOAN: 3, M.INDUSTRY: 3, M.DIVIDEND: 1}),
    PovertyCause.TRANSPORT: Odds({M.OTHER: 2, M.INDUSTRY: 2, M.EMPLOYMENT: 1}),
    PovertyCause.MOTIVATION: Odds({M.TRAINING: 2, M.EMPLOYMENT: 2, M.PUBLIC_JOB: 2, M.INDUSTRY: 1}),
}
# The first kind a cause calls for (the plan always has it).
CAUSE_FIRST = {PovertyCause.ILLNESS: M.HEALTH, PovertyCause.DISABILITY: M.HEALTH,
               PovertyCause.SCHOOLING: M.EDUCATION, PovertyCause.DISASTER: M.HOUSING,
               PovertyCause.LAND: M.EMPLOYMENT, PovertyCause.WATER: M.OTHER,
               PovertyCause.SKILLS: M.TRAINING, PovertyCause.LABOUR: M.DIBAO,
               PovertyCause.FUNDS: M.LOAN, PovertyCause.TRANSPORT: M.INDUSTRY,
               PovertyCause.MOTIVATION: M.TRAINING}
MEASURE_TEXT = {  # kind: ((yuan from, to), descriptions, effects)
    M.INDUSTRY: ((2_000, 10_000), ("扶持发展生猪养殖，提供仔猪和饲料", "发放茶苗，扶持种植茶叶三亩",
                                   "扶持种植中药材", "扶持发展肉牛养殖", "扶持种植精品水果"),
                 ("年增收约三千元", "已出栏，增收明显", "长势良好")),
    M.EMPLOYMENT: ((500, 3_000), ("推荐到广东务工，落实交通补贴", "安排到县城扶贫车间就业",
                                  "介绍到本地企业务工"), ("已稳定就业", "月工资约两千五百元")),
    M.EDUCATION: ((1_000, 5_000), ("落实“两免一补”和寄宿生生活补助", "申请“雨露计划”职业教育补助",
                                   "发放助学金"), ("子女顺利入学", "学费已解决")),
    M.HEALTH: ((1_000, 20_000), ("办理慢性病门诊卡，落实新农合报销", "申请大病医疗救助",
                                 "落实家庭医生签约服务"), ("医疗费用负担减轻", "报销比例提高")),
    M.HOUSING: ((15_000, 40_000), ("实施危房改造", "落实农村危房改造补助"), ("已搬入新房", "住房安全有保障")),
    M.RELOCATION: ((40_000, 80_000), ("易地扶贫搬迁到安置点",), ("已搬迁入住", "搬迁后有人就业")),
    M.DIBAO: ((1_500, 5_000), ("纳入农村低保", "提高低保档次"), ("按月发放", "基本生活有保障")),
    M.LOAN: ((10_000, 50_000), ("申请扶贫小额信贷", "贴息贷款发展产业"), ("贷款已发放", "按期还款")),
    M.DIVIDEND: ((300, 1_500), ("扶贫资金入股合作社，按年分红",), ("已领取分红",)),
    M.PUBLIC_JOB: ((3_600, 9_600), ("安排护林员公益岗位", "安排保洁员公益岗位", "安排护路员公益岗位"),
                   ("每月领取工资",)),
    M.TRAINING: ((500, 2_000), ("参加实用技术培训", "参加“阳光工程”劳动力转移培训", "参加厨师技能培训",
                                "参加电焊技能培训"), ("取得培训合格证", "培训后已就业")),
    M.OTHER: ((500, 3_000), ("协调解决饮水问题，接通自来水", "修通入户路", "协调解决生产用电"),
              ("已解决", "群众满意")),
}
MEASURE_COUNTS = Odds({1: 25, 2: 35, 3: 25, 4: 15})
VISIT_COUNTS = Odds({2: 20, 3: 30, 4: 25, 5: 15, 6: 10})

PRODUCTS = ("茶叶", "生猪", "中药材", "精品水果", "蔬菜", "食用菌", "肉牛", "刺梨", "辣椒", "核桃",
            "油茶", "蜂蜜", "土鸡", "薏仁米")
ENTERPRISE_KINDS = Odds({c.EnterpriseKind.COOPERATIVE: 55, c.EnterpriseKind.ENTERPRISE: 20,
                         c.EnterpriseKind.ASSOCIATION: 15, c.EnterpriseKind.BROKER: 10})
BENEFIT_KINDS = {
    c.EnterpriseKind.COOPERATIVE: Odds({c.BenefitKind.DIVIDEND: 45, c.BenefitKind.WAGES: 20,
                                        c.BenefitKind.CONTRACT: 20, c.BenefitKind.INPUTS: 15}),
    c.EnterpriseKind.ENTERPRISE: Odds({c.BenefitKind.WAGES: 35, c.BenefitKind.LAND_RENT: 25,
                                       c.BenefitKind.CONTRACT: 25, c.BenefitKind.DIVIDEND: 15}),
    c.EnterpriseKind.ASSOCIATION: Odds({c.BenefitKind.INPUTS: 60, c.BenefitKind.CONTRACT: 40}),
    c.EnterpriseKind.BROKER: Odds({c.BenefitKind.CONTRACT: 80, c.BenefitKind.INPUTS: 20}),
}
PLAN_PROJECTS = ("通组公路硬化", "人畜饮水工程", "农村危房改造", "村级活动场所建设", "产业基地建设",
                 "沼气池建设", "小型水利设施", "村寨环境整治", "农田改造", "电网改造")
PLAN_FUNDS = {c.FundSource.FISCAL: (500_000, 1_500_000), c.FundSource.SECTOR: (200_000, 1_000_000),
              c.FundSource.PAIRING: (50_000, 300_000), c.FundSource.CREDIT: (100_000, 500_000),
              c.FundSource.SELF: (20_000, 150_000), c.FundSource.SOCIAL: (10_000, 200_000)}
SITE_NAMES = {c.SiteKind.TOWN: ("{}移民新村安置点", "{}易地扶贫搬迁安置小区"),
              c.SiteKind.CENTRAL_VILLAGE: ("{}中心村安置点",),
              c.SiteKind.INDUSTRIAL: ("{}工业园区安置点",),
              c.SiteKind.DISPERSED: ("{}分散安置点",)}
SITE_KINDS = Odds({c.SiteKind.TOWN: 55, c.SiteKind.CENTRAL_VILLAGE: 25, c.SiteKind.INDUSTRIAL: 10,
                   c.SiteKind.DISPERSED: 10})
RELOCATION_FOLLOW_UP = ("安排公益岗位一个", "介绍到园区企业务工", "开展就业技能培训", "落实子女就近入学",
                        "办理社区医疗服务", "")
ENVOY_PLACES = Odds({"广东省广州市": 18, "广东省深圳市": 16, "广东省东莞市": 12, "上海市": 10,
                     "浙江省杭州市": 8, "浙江省宁波市": 7, "浙江省温州市": 6, "福建省厦门市": 5,
                     "江苏省苏州市": 6, "北京市": 5, "贵州省贵阳市": 7})
ENVOY_OCCUPATIONS = ("企业主", "个体工商户", "企业管理人员", "务工人员", "工程师", "教师", "律师",
                     "医生", "公务员")
CONTRIBUTIONS = {  # kind: ((value from, to) or None, descriptions)
    c.ContributionKind.MONEY: ((5_000, 200_000), ("捐资修建通组公路", "捐资助学", "捐资修建村文化广场",
                                                 "捐资慰问困难群众")),
    c.ContributionKind.PROJECT: ((100_000, 2_000_000), ("引进茶叶加工项目", "引进服装加工扶贫车间",
                                                       "引进生态养殖项目")),
    c.ContributionKind.INFORMATION: (None, ("提供农产品销售信息", "提供外出务工岗位信息",
                                            "提供市场行情和技术信息")),
    c.ContributionKind.JOBS: (None, ("介绍村民到广东务工", "介绍村民到企业就业", "吸纳村民到本企业务工")),
}
CONTRIBUTION_KINDS = Odds({c.ContributionKind.MONEY: 45, c.ContributionKind.PROJECT: 15,
                           c.ContributionKind.INFORMATION: 20, c.ContributionKind.JOBS: 20})


# --- shared helpers ------------------------------------------------------------------------------
def money(rng, lo: int, hi: int, step: int = 100) -> str:
    """A whole amount of yuan from lo to hi, in steps of `step`, as decimal text (random()
    alone: randrange costs several times more, and the hot loops draw millions)."""
    first = lo // step
    return f"{(first + int(rng.random() * (hi // step - first + 1))) * step}.00"


def pick(rng, options):
    return options[int(rng.random() * len(options))]


def day_between(rng, start: date, end: date) -> date:
    if end <= start:
        return end
    return start + timedelta(days=int(rng.random() * ((end - start).days + 1)))


def few(rng, population: int, share: float, minimum: int = GAP_MIN) -> set[int]:
    """Indices of a deliberate few: share of `population`, at least `minimum` (of what there
    is), drawn without replacement."""
    k = min(population, max(minimum, round(population * share)))
    return set(rng.sample(range(population), k))


def short_name(name: str) -> str:
    """A prefecture's short form: "黔东南苗族侗族自治州" -> "黔东南州"; a city stays."""
    if name.endswith("自治州"):
        cut = min((name.find(p) for p in ("苗族", "布依族", "侗族", "彝族", "土家族") if p in name),
                  default=len(name) - 3)
        return name[:cut] + "州"
    return name


def unit_name(org_name: str) -> str:
    """"余庆县教育局机关党支部" (or 机关第二党支部) -> "余庆县教育局"; a village's branch keeps
    its name."""
    match = re.search(r"机关(第.)?党支部$", org_name)
    return org_name[: match.start()] if match else org_name


class Spans:
    """The id range each model's rows of one generator run take (ids only grow)."""

    def __init__(self, *models):
        self.start = {m: max_id(m) for m in models}

    def ranges(self) -> dict[str, list[int]]:
        out = {}
        for model, start in self.start.items():
            last = max_id(model)
            if last > start:
                out[model._meta.model_name] = [start + 1, last]
        return out


def record_batch(model: str, what: str, ctx: demo.DemoContext, extra: dict) -> ChangeRecord:
    return changelog.append(action=ChangeRecord.Action.BATCH, model=model,
                            object_id=BATCH_OBJECT_ID, object_repr=f"demo {what}", region_code="",
                            extra=extra | {"scale": ctx.scale, "seed": ctx.seed})


def written(model, record: ChangeRecord | None):
    return in_range(model, record, model._meta.model_name)


def read_ids(model, last: int, expected: int) -> list[int]:
    """Ids of the rows written after id `last`, in the order written (COPY and executemany
    take ids from the sequence in row order)."""
    ids = list(model._base_manager.filter(id__gt=last).order_by("id").values_list("id", flat=True))
    if len(ids) != expected:
        raise RuntimeError(f"wrote {expected} {model._meta.model_name} rows, read {len(ids)} back")
    return ids


class Places:
    """Region names, and the villages in need (key and poor) with their counties."""

    def __init__(self):
        self.names = dict(Region._base_manager.values_list("code", "name"))
        profiles = VillageProfile._base_manager.filter(
            Q(is_key_village=True) | Q(is_poor_village=True)).order_by("region_code")
        self.needy = list(profiles.values_list("region_code", "is_key_village"))
        self.key = [code for code, key in self.needy if key]
        self.townships = defaultdict(list)  # county prefix -> township codes
        for code in sorted(self.names):
            if code[9:] == "000" and code[6:9] != "000":
                self.townships[code[:6]].append(code)

    def village(self, code: str) -> str:
        return place_name(self.names.get(code, code))

    def county(self, code: str) -> str:
        return self.names.get(code[:6] + "000000", "")

    def prefecture(self, code: str) -> str:
        return short_name(self.names.get(code[:4] + "00000000", ""))

    def township(self, code: str) -> str:
        return self.names.get(code[:9] + "000", "")

    def province(self, code: str) -> str:
        return self.names.get(code[:2] + "0" * 10, "")


# --- work teams, contact points, branch pairings ------------------------------------------------
def team_counts(record: ChangeRecord) -> dict[str, int]:
    teams = written(WorkTeam, record)
    return {"teams": teams.count(),
            "team_members": WorkTeamMember._base_manager.filter(team__in=teams).count(),
            "contact_points": written(ContactPoint, record).count(),
            "branch_pairings": written(BranchPairing, record).count(),
            "helping_orgs": in_range(PartyOrg, record, "helping_orgs").count()}


def describe_teams(counts: dict[str, int]) -> str:
    return (f"{counts['teams']:,} work teams ({counts['team_members']:,} members), "
            f"{counts['contact_points']:,} contact points, {counts['branch_pairings']:,} branch "
            f"pairings ({counts['helping_orgs']:,} helping branches added)")


@demo.generator("assistance.teams", order=70)
def teams(ctx: demo.DemoContext) -> str:
    record = latest_batch(TEAMS_BATCH)
    if written(WorkTeam, record).exists():
        return describe_teams(team_counts(record)) + " exist, nothing added"
    places = Places()
    if not places.needy:
        return "no key or poor villages, nothing added (poverty.villages runs first)"
    if not PartyOrg._base_manager.exists():
        return "no party organizations, nothing added (party.orgs runs first)"
    spans = Spans(WorkTeam, WorkTeamMember, Presence, WorkLogEntry, ContactPoint, ContactVisit,
                  BranchPairing)
    team_stats = TeamBuilder(ctx, places).build()
    contact_points(ctx, places)
    pairing_stats = BranchPairings(ctx, places).build()
    record = record_batch(TEAMS_BATCH, "work teams, contact points and branch pairings", ctx,
                          {**spans.ranges(), **team_stats, **pairing_stats})
    return describe_teams(team_counts(record))


class TeamBuilder:
    def __init__(self, ctx: demo.DemoContext, places: Places):
        self.rng = ctx.random("assistance.teams")
        self.ctx, self.places = ctx, places
        self.today = today()
        self.namer = party_demo.Namer(self.rng)

    def unit(self, level: str, code: str) -> str:
        template = pick(self.rng, TEAM_UNITS_BY_LEVEL[level])
        p = self.places
        region = {UL.PROVINCE: "", UL.PREFECTURE: p.prefecture(code), UL.COUNTY: p.county(code),
                  UL.TOWNSHIP: p.township(code)}[level]
        return template.format(region) if "{}" in template else template

    def build(self) -> dict:
        rng, day, places = self.rng, self.today, self.places
        others = [code for code, key in places.needy if not key]
        wanted = round(OTHER_TEAM_SHARE * len(others) * min(1.0, self.ctx.scale))
        chosen = set(places.key) | set(rng.sample(others, min(len(others),
                                                              max(OTHER_TEAM_MIN, wanted))))
        codes = sorted(chosen)
        small = few(rng, len(codes), SMALL_TEAM_SHARE)
        short = few(rng, len(codes), SHORT_PRESENCE_SHARE)
        teams, plans = [], []
        for i, code in enumerate(codes):
            level = TEAM_LEVELS(rng)
            unit = self.unit(level, code)
            start = day - timedelta(days=rng.randint(45, 700))
            end = add_years(start, 2 if rng.random() < 0.6 else 3)
            teams.append((code, f"{unit}驻{places.village(code)}工作队"[:100], unit, level,
                          start.isoformat(), end.isoformat()))
            plans.append((code, unit, start, end, 2 if i in small else TEAM_SIZES(rng), i in short))
        last = max_id(WorkTeam)
        Table(WorkTeam, ("region_code", "name", "dispatching_unit", "unit_level", "starts_on",
                         "ends_on")).write(teams)
        team_ids = read_ids(WorkTeam, last, len(teams))

        members, member_plans = [], []
        roles = [c.WorkTeamRole.FIRST_SECRETARY, c.WorkTeamRole.LEADER]
        for team, (code, unit, start, end, size, is_short) in zip(team_ids, plans, strict=True):
            short_one = rng.randrange(size) if is_short else -1
            township = places.township(code) + "人民政府"
            for k in range(size):
                role = roles[k] if k < 2 else c.WorkTeamRole.MEMBER
                sex = "M" if rng.random() < 0.75 else "F"
                name = self.namer.name(self.namer.ethnicity(code), sex)
                own = unit if k < 2 or rng.random() < 0.6 else township
                members.append((team, code, name, role, own, phone(rng), start.isoformat(),
                                end.isoformat()))
                member_plans.append((code, start, k == short_one))
        last = max_id(WorkTeamMember)
        Table(WorkTeamMember, ("team", "region_code", "name", "role", "unit", "phone",
                               "starts_on", "ends_on")).write(members)
        member_ids = read_ids(WorkTeamMember, last, len(members))

        last_month = month_start(day, 1)
        months = [month_start(day, back) for back in range(12, 0, -1)]
        presence = []
        for pk, (code, start, short_last) in zip(member_ids, member_plans, strict=True):
            for month in months:
                month_end = month_start(month, -1) - timedelta(days=1)
                if start > month_end:
                    continue
                if month == last_month and short_last:
                    days = rng.randint(8, 18)
                elif month != last_month and rng.random() < SHORT_MONTH_SHARE:
                    days = rng.randint(10, 19)
                else:
                    days = rng.randint(20, 26)
                if start > month:  # arrived during the month
                    days = min(days, (month_end - start).days + 1)
                presence.append((pk, code, month.isoformat(), days))
        Table(Presence, ("team_member", "region_code", "month", "days")).write(presence)

        log = []
        for team, (code, _unit, start, _end, _size, _short) in zip(team_ids, plans, strict=True):
            since = max(start, day - timedelta(days=365))
            for entry in sorted(rng.sample(range(len(WORK_LOG)), rng.randint(3, 6))):
                log.append((team, code, day_between(rng, since, day).isoformat(), WORK_LOG[entry]))
        Table(WorkLogEntry, ("team", "region_code", "logged_on", "text")).write(log)
        return {"teams_in_key_villages": len(places.key), "small_teams": len(small),
                "teams_short_last_month": len(short), "presence": len(presence)}


def contact_points(ctx: demo.DemoContext, places: Places) -> None:
    """Leading cadres of counties, prefectures and the province, each following a township or
    a village in need (key villages three times as likely), with their visits."""
    rng = ctx.random("assistance.contacts")
    namer = party_demo.Namer(rng)
    day = today()
    weights = poverty_demo.cumulative(3 if key else 1 for _code, key in places.needy)
    rows, visits = [], []
    for _ in range(ctx.scaled(CONTACT_POINTS, CONTACT_FLOOR)):
        village = rng.choices(places.needy, cum_weights=weights)[0][0]
        code = village if rng.random() < 0.6 else village[:9] + "000"
        level = CONTACT_LEVELS(rng)
        where = {UL.PROVINCE: places.province(code), UL.PREFECTURE: places.prefecture(code),
                 UL.COUNTY: places.county(code)}[level]
        head = where[-1:] if where[-1:] in ("省", "市", "州", "县", "区") else "县"
        post = pick(rng, CONTACT_POSTS[level]).format(w=where, h=head)
        name = namer.name(Ethnicity.HAN, "M" if rng.random() < 0.85 else "F")
        start = day - timedelta(days=rng.randint(60, 1800))
        ended = rng.random() < 0.1 and (day - start).days > 400
        end = day - timedelta(days=rng.randint(10, 200)) if ended else None
        rows.append((code, name, post[:100], level, start.isoformat(),
                     end.isoformat() if end else None))
        visits.append((code, start, end or day))
    last = max_id(ContactPoint)
    Table(ContactPoint, ("region_code", "cadre_name", "post", "level", "starts_on",
                         "ends_on")).write(rows)
    ids = read_ids(ContactPoint, last, len(rows))
    visit_rows = []
    for pk, (code, start, end) in zip(ids, visits, strict=True):
        since = max(start, end - timedelta(days=365))
        for _ in range(rng.randint(2, 6)):
            raised, solved = pick(rng, PROBLEMS)
            visit_rows.append((pk, code, day_between(rng, since, end).isoformat(), raised,
                               solved if rng.random() < 0.7 else ""))
    Table(ContactVisit, ("contact_point", "region_code", "visited_on", "problems_raised",
                         "problems_solved")).write(visit_rows)


class OrgCodes:
    """Organization codes as PartyOrg.next_code gives them (the region code and a number of
    three digits or more), numbered on from those there."""

    def __init__(self):
        self.last: dict[str, int] = defaultdict(int)
        for code in PartyOrg._base_manager.exclude(code__isnull=True).values_list(
                "code", flat=True).iterator():
            if code[12:].isdigit():
                self.last[code[:12]] = max(self.last[code[:12]], int(code[12:]))

    def next(self, region_code: str) -> str:
        self.last[region_code] += 1
        return f"{region_code}{self.last[region_code]:03d}"


@dataclass
class Helping:
    """A helping branch: an existing org (pk) or one to add (key = (region code, name))."""

    pk: int | None
    region_code: str
    kind: str
    key: tuple[str, str] | None = None
    load: int = 0


@dataclass
class HelpingPools:
    """Helping branches by (kind, region code) of the county, prefecture or, for urban
    communities, the prefecture prefix."""

    pools: dict = field(default_factory=lambda: defaultdict(list))

    def free(self, kind: str, code: str) -> list[Helping]:
        return [h for h in self.pools.get((kind, code), ()) if h.load < MAX_PAIRINGS[kind]]


class BranchPairings:
    def __init__(self, ctx: demo.DemoContext, places: Places):
        self.rng = ctx.random("assistance.branch_pairings")
        self.ctx, self.places = ctx, places
        self.today = today()
        self.pools = HelpingPools()
        self.new: list[Helping] = []
        self.names: set[tuple[str, str]] = set()
        self.committees: dict[str, int] = {}
        self.unit_order: dict[tuple, list[tuple[str, str]]] = {}
        self.unit_rounds: dict[tuple, int] = {}

    def load_orgs(self) -> list[tuple[int, str, bool]]:
        """Fill the pools; return the branches of key and poor villages (id, code, key)."""
        needy = dict(self.places.needy)
        village_orgs = []
        for pk, code, name, kind, basis in PartyOrg._base_manager.filter(
                dissolved_on__isnull=True).order_by("region_code", "id").values_list(
                "id", "region_code", "name", "kind", "basis"):
            self.names.add((code, name))
            if basis == pc.OrgBasis.ORGAN and code[6:] == "000000":
                self.pools.pools[(c.HelpingOrgKind.ORGAN, code)].append(
                    Helping(pk, code, c.HelpingOrgKind.ORGAN))
            elif kind == pc.OrgKind.COMMITTEE and basis == pc.OrgBasis.PLACE:
                self.committees[code] = pk
            elif basis == pc.OrgBasis.PLACE and code[9:] != "000" and code[9] == "0":
                self.pools.pools[(c.HelpingOrgKind.URBAN, code[:4])].append(
                    Helping(pk, code, c.HelpingOrgKind.URBAN))
            if code in needy and kind in (pc.OrgKind.BRANCH, pc.OrgKind.GENERAL_BRANCH,
                                          pc.OrgKind.COMMITTEE):
                village_orgs.append((pk, code, needy[code]))
        return village_orgs

    def add_branch(self, kind: str, code: str) -> Helping | None:
        """A new helping branch of `kind` at the county or prefecture `code`, named after a
        unit that has none there yet; once every unit has one, their second branches
        (第二党支部), and so on up to the tenth (None after that)."""
        order = self.unit_order.get((kind, code))
        if order is None:
            order = self.unit_order[(kind, code)] = []
        region = self.places.names.get(code, "")
        if code[4:6] == "00":
            region = short_name(region)
        prefix = "机关" if kind == c.HelpingOrgKind.ORGAN else ""
        while True:
            if not order:
                rounds = self.unit_rounds.get((kind, code), 0)
                if rounds >= len(ORDINALS):
                    return None
                self.unit_rounds[(kind, code)] = rounds + 1
                units = list(NEW_BRANCH_UNITS[kind])
                self.rng.shuffle(units)
                order.extend((unit, ORDINALS[rounds]) for unit in units)
            unit, ordinal = order.pop()
            name = f"{unit.format(region)}{prefix}{ordinal}党支部"
            if (code, name) in self.names:
                continue
            self.names.add((code, name))
            helping = Helping(None, code, kind, key=(code, name))
            self.pools.pools[(kind, code)].append(helping)
            self.new.append(helping)
            return helping

    def helper_for(self, village: str, current: bool) -> Helping:
        rng = self.rng
        kind = HELPING_KINDS(rng)
        county, prefecture = village[:6] + "000000", village[:4] + "00000000"
        if kind == c.HelpingOrgKind.URBAN:
            options = self.pools.free(kind, village[:4]) if current else \
                self.pools.pools.get((kind, village[:4]), [])
            if options:
                return pick(rng, options)
            kind = c.HelpingOrgKind.ORGAN
        up = rng.random() < (0.3 if kind == c.HelpingOrgKind.ORGAN else 0.2)
        for code in ((prefecture, county) if up else (county, prefecture)):
            if code not in self.places.names:
                continue
            options = self.pools.free(kind, code) if current else \
                self.pools.pools.get((kind, code), [])
            if options:
                return pick(rng, options)
            added = self.add_branch(kind, code)
            if added is not None:
                return added
        for other in c.HelpingOrgKind:  # every unit name there is taken: any kind
            if other == c.HelpingOrgKind.URBAN:
                continue
            added = self.add_branch(other, county) or self.add_branch(other, prefecture)
            if added is not None:
                return added
        raise RuntimeError(f"no helping branch left for {village}")

    def build(self) -> dict:
        rng, day = self.rng, self.today
        village_orgs = self.load_orgs()
        gaps = few(rng, len(village_orgs), BRANCH_GAP_SHARE)
        covered = [org for i, org in enumerate(village_orgs) if i not in gaps]
        floor = max(BRANCH_PAIRING_FLOOR, math.ceil(len(covered) / (1 - COMPLETED_SHARE)))
        total = max(self.ctx.scaled(BRANCH_PAIRINGS), floor)
        completed = round(total * COMPLETED_SHARE)
        active = total - completed
        # every covered branch once, then key villages' branches again (round robin), then any
        targets = list(covered)
        extra = [org for org in covered if org[2]] or covered
        while covered and len(targets) < active:
            order = list(extra)
            rng.shuffle(order)
            targets.extend(order[: active - len(targets)])
            extra = covered
        planned = []  # (village org, helping, current)
        for org in targets:
            helping = self.helper_for(org[1], current=True)
            helping.load += 1
            planned.append((org, helping, True))
        for _ in range(completed if covered else 0):
            org = pick(rng, covered)
            planned.append((org, self.helper_for(org[1], current=False), False))

        added = self.write_branches()
        rows = []
        for (pk, code, _key), helping, current in planned:
            helping_id = helping.pk if helping.pk is not None else added[helping.key]
            if current:
                start = day - timedelta(days=rng.randint(30, 900))
                end, state = None, c.PairingState.ACTIVE
                months = max(1, (day - start).days // 30)
                given = money(rng, 2_000 * months, 12_000 * months)
                materials = money(rng, 500 * months, 4_000 * months)
            else:
                start = day - timedelta(days=rng.randint(1_000, 2_400))
                early = rng.random() < 0.1
                end = min(add_years(start, 1 if early else rng.choice((2, 3))),
                          day - timedelta(days=rng.randint(30, 200)))
                state = c.PairingState.ENDED if early else c.PairingState.COMPLETED
                given = money(rng, 30_000, 300_000)
                materials = money(rng, 5_000, 80_000)
            actions = "；".join(rng.sample(AGREED_ACTIONS, 3))
            rows.append((code, helping_id, helping.kind, helping.region_code, pk, actions, given,
                         materials, state, start.isoformat(), end.isoformat() if end else None))
        Table(BranchPairing, ("region_code", "helping_org", "helping_kind", "helping_region_code",
                              "village_org", "agreed_actions", "money", "materials_value",
                              "state", "starts_on", "ends_on")).write(rows)
        return {"branch_pairings": len(rows), "active_branch_pairings": active if covered else 0,
                "needy_branches": len(village_orgs), "needy_branches_unpaired": len(gaps),
                "helping_orgs": self.helping_range}

    def write_branches(self) -> dict[tuple[str, str], int]:
        """Write the added helping branches (under the committee of their county or
        prefecture, as party.orgs writes its organ branches); (region, name) -> id."""
        self.helping_range = None
        if not self.new:
            return {}
        rng = self.rng
        rows = []
        for h in sorted(self.new, key=lambda h: h.key):
            basis = NEW_BRANCH_BASIS[h.kind]
            founded = date(1980, 1, 1) + timedelta(days=rng.randrange(29 * 365))
            rows.append((h.region_code, h.key[1], pc.OrgKind.BRANCH, basis,
                         self.committees.get(h.region_code), founded.isoformat()))
        fields = ("region_code", "name", "kind", "basis", "parent", "founded_on")
        if any(f.name == "code" for f in PartyOrg._meta.fields):  # 组织代码, as party.orgs gives
            codes = getattr(party_demo, "OrgCodes", OrgCodes)()  # the party demo's, once it has one
            rows = [(*row, codes.next(row[0])) for row in rows]
            fields += ("code",)
        last = max_id(PartyOrg)
        Table(PartyOrg, fields).write(rows)
        ids = party_demo.new_ids(PartyOrg, last, "region_code", "name")
        if len(ids) != len(rows):
            raise RuntimeError(f"wrote {len(rows)} helping branches, read {len(ids)} back")
        self.helping_range = [min(ids.values()), max(ids.values())]
        return ids


# --- plans, industry, relocation, Spring Sunshine -----------------------------------------------
def project_counts(record: ChangeRecord) -> dict[str, int]:
    return {"plans": written(VillagePlan, record).count(),
            "enterprises": written(Enterprise, record).count(),
            "projects": written(IndustryProject, record).count(),
            "benefits": written(IndustryBenefit, record).count(),
            "sites": written(ResettlementSite, record).count(),
            "relocations": written(Relocation, record).count(),
            "envoys": written(ChunhuiEnvoy, record).count(),
            "contributions": written(ChunhuiContribution, record).count()}


def describe_projects(counts: dict[str, int]) -> str:
    return (f"{counts['plans']:,} whole-village plans, {counts['enterprises']:,} enterprises "
            f"with {counts['projects']:,} industry projects ({counts['benefits']:,} household "
            f"benefits), {counts['sites']:,} resettlement sites ({counts['relocations']:,} "
            f"relocations), {counts['envoys']:,} Spring Sunshine envoys "
            f"({counts['contributions']:,} contributions)")


@demo.generator("assistance.projects", order=72)
def projects(ctx: demo.DemoContext) -> str:
    record = latest_batch(PROJECTS_BATCH)
    if written(VillagePlan, record).exists() or written(Enterprise, record).exists():
        return describe_projects(project_counts(record)) + " exist, nothing added"
    places = Places()
    if not places.needy:
        return "no key or poor villages, nothing added (poverty.villages runs first)"
    if not Household._base_manager.exists():
        return "no households, nothing added (poverty.households runs first)"
    spans = Spans(VillagePlan, PlanFunding, PlanProject, Enterprise, IndustryProject,
                  IndustryBenefit, ResettlementSite, Relocation, ChunhuiEnvoy, ChunhuiContribution)
    village_plans(ctx, places)
    industry(ctx, places)
    relocation(ctx, places)
    envoys(ctx, places)
    record = record_batch(PROJECTS_BATCH, "plans, industry, relocation and Spring Sunshine", ctx,
                          spans.ranges())
    return describe_projects(project_counts(record))


def village_plans(ctx: demo.DemoContext, places: Places) -> None:
    rng = ctx.random("assistance.plans")
    day = today()
    if not places.key:
        return
    count = min(len(places.key), max(VILLAGE_PLAN_MIN, round(len(places.key) * VILLAGE_PLAN_SHARE)))
    codes = sorted(rng.sample(places.key, count))
    plans, details = [], []
    for code in codes:
        first = day.year - rng.randint(0, 3)
        last = first + 2
        if last < day.year:
            state, progress = c.PlanState.ACCEPTED, 100
            accepted = day_between(rng, date(last, 10, 1), min(day, date(last + 1, 3, 31)))
        elif first < day.year or day.month > 3:
            state, progress, accepted = c.PlanState.UNDER_WAY, rng.randint(15, 85), None
        else:
            state, progress, accepted = c.PlanState.PLANNED, 0, None
        plans.append((code, f"{places.village(code)}整村推进规划（{first}—{last}年）", first, last,
                      state, progress, accepted.isoformat() if accepted else None))
        details.append((code, first, state, progress))
    last_id = max_id(VillagePlan)
    Table(VillagePlan, ("region_code", "name", "starts_year", "ends_year", "state", "progress",
                        "accepted_on")).write(plans)
    ids = read_ids(VillagePlan, last_id, len(plans))
    funding, projects_ = [], []
    for pk, (code, first, state, progress) in zip(ids, details, strict=True):
        sources = [c.FundSource.FISCAL, *rng.sample(list(PLAN_FUNDS)[1:], rng.randint(2, 4))]
        total = 0
        for source in sources:
            lo, hi = PLAN_FUNDS[source]
            amount = rng.randrange(lo // 1_000, hi // 1_000 + 1) * 1_000
            total += amount
            funding.append((pk, code, source, f"{amount}.00"))
        names = rng.sample(PLAN_PROJECTS, rng.randint(3, 6))
        shares = apportion(total // 1_000, [rng.uniform(0.5, 2) for _ in names])
        for n, (name, share) in enumerate(zip(names, shares, strict=True)):
            if state == c.PlanState.ACCEPTED or (state == c.PlanState.UNDER_WAY
                                                 and n < len(names) * progress / 100):
                pstate = c.MeasureState.DONE
                done = day_between(rng, date(first, 3, 1), day)
            elif state == c.PlanState.UNDER_WAY and n < len(names) * progress / 100 + 1:
                pstate, done = c.MeasureState.UNDER_WAY, None
            else:
                pstate, done = c.MeasureState.PLANNED, None
            projects_.append((pk, code, f"{name}项目", f"{share * 1_000}.00", pstate,
                              done.isoformat() if done else None))
    Table(PlanFunding, ("plan", "region_code", "source", "amount")).write(funding)
    Table(PlanProject, ("plan", "region_code", "name", "investment", "state", "done_on")).write(
        projects_)


def helped_households():
    return Household._base_manager.filter(status__in=rules.helped_statuses())


def industry(ctx: demo.DemoContext, places: Places) -> None:
    """Enterprises and cooperatives of villages in need (leading enterprises of their county),
    each with one or two projects run in a village; their benefits link the village's
    households in need (or the township's, where the village has few)."""
    rng = ctx.random("assistance.industry")
    day = today()
    helped = dict(helped_households().order_by().values("region_code").annotate(
        n=Count("id")).values_list("region_code", "n"))
    weights = poverty_demo.cumulative(helped.get(code, 0) + 0.5 for code, _key in places.needy)
    namer = party_demo.Namer(rng)
    enterprises, plans = [], []
    for _ in range(ctx.scaled(ENTERPRISES, ENTERPRISE_FLOOR)):
        village = rng.choices(places.needy, cum_weights=weights)[0][0]
        kind = ENTERPRISE_KINDS(rng)
        product = pick(rng, PRODUCTS)
        if kind == c.EnterpriseKind.ENTERPRISE:
            code = village[:6] + "000000"
            name = (f"{places.county(village)[:2]}{product}"
                    f"{pick(rng, ('产业', '农业开发', '生态农业'))}有限公司")
        elif kind == c.EnterpriseKind.COOPERATIVE:
            code, name = village, f"{places.village(village)}{product}专业合作社"
        elif kind == c.EnterpriseKind.ASSOCIATION:
            code, name = village, f"{places.township(village)}{product}产业协会"
        else:
            code = village
            name = f"{places.village(village)}农村经纪人{namer.name(Ethnicity.HAN, 'M')}"
        enterprises.append((code, name[:100], kind, f"{product}种植养殖及销售"))
        plans.append((village, kind, product))
    last = max_id(Enterprise)
    Table(Enterprise, ("region_code", "name", "kind", "business")).write(enterprises)
    ids = read_ids(Enterprise, last, len(enterprises))
    project_rows, project_plans = [], []
    for pk, row, (village, kind, product) in zip(ids, enterprises, plans, strict=True):
        for what in rng.sample(("基地建设", "产业扶贫", "加工厂建设", "扩大种养殖规模"),
                               1 if rng.random() < 0.6 else 2):
            year = day.year - rng.randint(0, 3)
            project_rows.append((village, f"{places.village(village)}{product}{what}项目（{year}年）"[:100],
                                 pk, year, money(rng, 100_000, 2_000_000, 10_000),
                                 f"由{row[1]}实施，带动贫困户发展{product}产业"))
            project_plans.append((village, kind))
    last = max_id(IndustryProject)
    Table(IndustryProject, ("region_code", "name", "enterprise", "year", "funds",
                            "description")).write(project_rows)
    project_ids = read_ids(IndustryProject, last, len(project_rows))
    benefits = []
    for pk, (village, kind) in zip(project_ids, project_plans, strict=True):
        candidates = list(helped_households().filter(region_code=village).order_by(
            "number").values_list("id", "region_code"))
        if len(candidates) < 5:
            candidates += list(helped_households().filter(within(village[:9] + "000")).exclude(
                region_code=village).order_by("region_code", "number").values_list(
                "id", "region_code")[:200])
        linked = rng.sample(candidates, min(len(candidates), rng.randint(5, 40)))
        for household, code in sorted(linked):
            benefit = BENEFIT_KINDS[kind](rng)
            amount = money(rng, 300, 3_000) if benefit != c.BenefitKind.INPUTS else None
            benefits.append((pk, household, code, benefit, amount))
    Table(IndustryBenefit, ("project", "household", "region_code", "kind", "amount")).write(
        benefits)


def relocation(ctx: demo.DemoContext, places: Places) -> None:
    """A relocation for every household marked relocated, to one of one to three sites of its
    county (a township's town site, a central village, an industrial park, dispersed)."""
    rng = ctx.random("assistance.relocation")
    day = today()
    by_county = defaultdict(list)
    for row in Household._base_manager.filter(relocated=True).order_by(
            "region_code", "number").values_list("id", "region_code", "members_count"):
        by_county[row[1][:6]].append(row)
    sites, site_plans = [], []
    for county in sorted(by_county):
        households = by_county[county]
        townships = places.townships.get(county) or [households[0][1][:9] + "000"]
        count = 1 + (len(households) > 30) + (len(households) > 150)
        for k in range(count):
            kind = c.SiteKind.TOWN if k == 0 else SITE_KINDS(rng)
            if kind in (c.SiteKind.CENTRAL_VILLAGE, c.SiteKind.DISPERSED):
                code = pick(rng, households)[1]
                where = places.village(code)
            else:
                code = pick(rng, townships)
                where = places.names.get(code, "")
            name = pick(rng, SITE_NAMES[kind]).format(where)
            built = day - timedelta(days=rng.randint(400, 1_500))
            site_plans.append((county, code, built))
            sites.append([code, name[:100], kind, 0, built.isoformat()])
    # capacity: what the site takes, and some room
    assigned = defaultdict(list)
    index_of = defaultdict(list)
    for i, (county, _code, _built) in enumerate(site_plans):
        index_of[county].append(i)
    for county, households in sorted(by_county.items()):
        for row in households:
            assigned[pick(rng, index_of[county])].append(row)
    for i, site in enumerate(sites):
        site[3] = max(10, math.ceil(len(assigned[i]) * rng.uniform(1.1, 1.5) / 10) * 10)
    last = max_id(ResettlementSite)
    Table(ResettlementSite, ("region_code", "name", "kind", "capacity", "built_on")).write(
        [tuple(s) for s in sites])
    ids = read_ids(ResettlementSite, last, len(sites))
    rows = []
    for i, pk in enumerate(ids):
        _county, site_code, built = site_plans[i]
        for household, code, size in assigned[i]:
            moved = day_between(rng, built, day - timedelta(days=10))
            area = min(125.0, max(1, size) * 20 + rng.randint(0, 10))
            rows.append((household, code, pk, site_code, moved.isoformat(), f"{area:.1f}",
                         rng.randint(0, min(2, size)), pick(rng, RELOCATION_FOLLOW_UP)))
    Table(Relocation, ("household", "region_code", "site", "site_region_code", "moved_on",
                       "housing_area", "employed", "follow_up")).write(rows)


def envoys(ctx: demo.DemoContext, places: Places) -> None:
    rng = ctx.random("assistance.envoys")
    namer = party_demo.Namer(rng)
    day = today()
    villages = [code for code, _key in places.needy]
    rows = []
    for _ in range(ctx.scaled(ENVOYS, ENVOY_FLOOR)):
        code = pick(rng, villages)
        rows.append((code, namer.name(namer.ethnicity(code), "M" if rng.random() < 0.7 else "F"),
                     ENVOY_PLACES(rng), pick(rng, ENVOY_OCCUPATIONS),
                     phone(rng) if rng.random() < 0.8 else ""))
    last = max_id(ChunhuiEnvoy)
    Table(ChunhuiEnvoy, ("region_code", "name", "lives_in", "occupation", "phone")).write(rows)
    ids = read_ids(ChunhuiEnvoy, last, len(rows))
    contributions = []
    for pk, row in zip(ids, rows, strict=True):
        for _ in range(rng.randint(1, 3)):
            kind = CONTRIBUTION_KINDS(rng)
            span, texts = CONTRIBUTIONS[kind]
            value = money(rng, *span) if span else "0.00"
            given = day - timedelta(days=rng.randint(10, 1_100))
            contributions.append((pk, row[0], kind, given.isoformat(), value, pick(rng, texts)))
    Table(ChunhuiContribution, ("envoy", "region_code", "kind", "given_on", "value",
                                "description")).write(contributions)


# --- household pairings, visits, measures -------------------------------------------------------
PAIRING_FIELDS = ("household", "helper", "region_code", "starts_on", "ends_on", "helper_unit",
                  "unit_level", "end_reason", *STAMP)
VISIT_FIELDS = ("household", "visitor", "visitor_name", "kind", "visited_on", "findings",
                "help_given", "follow_up", "region_code", *STAMP)
MEASURE_FIELDS = ("household", "region_code", "kind", "category", "year", "state", "amount",
                  "done_on", "project", "description", "effect", *STAMP)


def household_counts(record: ChangeRecord) -> dict[str, int]:
    pairings = written(Pairing, record)
    current = pairings.filter(ends_on__isnull=True)
    return {"pairings": pairings.count(), "current": current.count(),
            "helpers": current.values("helper").distinct().count(),
            "visits": written(Visit, record).count(),
            "measures": written(Measure, record).count()}


def describe_households(counts: dict[str, int]) -> str:
    return (f"{counts['current']:,} households paired with {counts['helpers']:,} helpers "
            f"({counts['pairings'] - counts['current']:,} earlier pairings), "
            f"{counts['visits']:,} visits, {counts['measures']:,} measures")


@demo.generator("assistance.households", order=74)
@party_demo.roomy
def households(ctx: demo.DemoContext) -> str:
    record = latest_batch(HOUSEHOLDS_BATCH)
    if written(Pairing, record).exists():
        return describe_households(household_counts(record)) + " exist, nothing added"
    total = helped_households().count()
    if not total:
        return "no households in need, nothing added (poverty.households runs first)"
    if not PartyMember._base_manager.filter(stage=pc.Stage.FULL).exists():
        return "no party members, nothing added (party.members runs first)"
    spans = Spans(Pairing, Visit, Measure)
    builder = HouseholdBuilder(ctx, total)
    prefixes = sorted({code[:4] for code in Region._base_manager.filter(
        level=Level.PREFECTURE).values_list("code", flat=True)})
    for prefix in prefixes:
        builder.prefecture(prefix)
    builder.overflow()
    builder.village_visits()
    builder.flush()
    record = record_batch(HOUSEHOLDS_BATCH, "household pairings, visits and measures", ctx,
                          {**spans.ranges(), **builder.stats})
    return describe_households(household_counts(record))


@dataclass
class Helper:
    pk: int
    name: str
    unit: str
    level: str
    code: str  # the member's region: an organ's county or prefecture, or a village


class HouseholdBuilder:
    """Pairs households with helpers a prefecture at a time and writes the pairings, visits
    and measures in chunks. The deliberate few (unpaired, not visited, without a measure, over
    the load limit) are drawn up front by their place in the order households are taken."""

    def __init__(self, ctx: demo.DemoContext, total: int):
        self.rng = ctx.random("assistance.pairings")
        self.visit_rng = ctx.random("assistance.visits")
        self.measure_rng = ctx.random("assistance.measures")
        self.today = today()
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.year = self.today.year
        rng = self.rng
        self.unpaired = few(rng, total, UNPAIRED_SHARE)
        self.stale = few(rng, total, STALE_SHARE)
        self.no_measure = few(rng, total, NO_MEASURE_SHARE)
        paired = total - len(self.unpaired)
        light = paired < max(ctx.scaled(HELPERS), HELPER_FLOOR) * MEAN_LOAD
        self.loads = LIGHT_LOADS if light else LOADS
        expected = paired / (1.3 if light else MEAN_LOAD)  # helpers, about
        self.over = few(rng, max(1, int(expected * 0.8)), OVER_LIMIT_SHARE)
        self.key = set(VillageProfile._base_manager.filter(is_key_village=True).values_list(
            "region_code", flat=True))
        key = sorted(self.key)
        self.quiet = {key[i] for i in few(self.visit_rng, len(key), QUIET_VILLAGE_SHARE)}
        self.benefits = self.load_benefits()
        self.index = 0  # place of the next household in the order taken
        self.helper_count = 0
        self.pending_over = 0
        self.used: set[int] = set()
        self.recent: dict[str, list[int]] = defaultdict(list)  # county -> latest helpers
        self.leftover: list[tuple] = []
        self.pairings, self.visits, self.measures = [], [], []
        self.units: dict[str, str] = {}
        self.stats: dict[str, int] = defaultdict(int)
        self.stats["quiet_key_villages"] = len(self.quiet)

    @staticmethod
    def load_benefits() -> dict[int, tuple[int, str, int]]:
        """household -> (project, benefit kind, project year) of its first industry benefit."""
        out: dict[int, tuple[int, str, int]] = {}
        for household, project, kind, year in IndustryBenefit._base_manager.order_by(
                "household_id", "project_id").values_list(
                "household_id", "project_id", "kind", "project__year"):
            out.setdefault(household, (project, kind, year))
        return out

    # -- helpers
    def members(self, prefix: str) -> list[Helper]:
        """Full members of the prefecture who can help: organ and village branch members,
        not away (mobile), aged 20 to MAX_HELPER_AGE."""
        away = MobileMembership._base_manager.filter(member=OuterRef("pk"),
                                                     returned_on__isnull=True)
        rows = PartyMember._base_manager.filter(
            within(pad(prefix)), stage=pc.Stage.FULL, left_on__isnull=True,
            birth_date__gt=add_years(self.today, -MAX_HELPER_AGE),
            birth_date__lte=add_years(self.today, -20)).exclude(Exists(away)).order_by(
            "region_code", "id").values_list("id", "name", "region_code", "org__basis",
                                             "org__kind", "org__name")
        out = []
        for pk, name, code, basis, kind, org_name in rows:
            if basis == pc.OrgBasis.ORGAN:
                level = UL.PREFECTURE if code[4:6] == "00" else UL.COUNTY
            elif basis == pc.OrgBasis.PLACE and kind != pc.OrgKind.COMMITTEE and code[9:] != "000":
                level = UL.VILLAGE
            else:
                continue
            unit = self.units.setdefault(org_name, unit_name(org_name))
            out.append(Helper(pk, name, unit, level, code))
        return out

    def next_load(self, available: int) -> int:
        """Households for the next helper, `available` being those left to take: one of
        the over-limit few gets six to eight (or, with fewer left, the next helper who can)."""
        n = self.helper_count
        self.helper_count += 1
        self.pending_over += n in self.over
        if self.pending_over and available >= 6:
            self.pending_over -= 1
            return self.rng.randint(6, min(8, available))
        return self.loads(self.rng)

    def take(self, pool: list[Helper]) -> Helper | None:
        while pool:
            helper = pool.pop()
            if helper.pk not in self.used:
                self.used.add(helper.pk)
                return helper
        return None

    # -- a prefecture
    def prefecture(self, prefix: str) -> None:
        rng = self.rng
        rows = list(helped_households().filter(within(pad(prefix))).order_by(
            "region_code", "number").values_list(
            "id", "region_code", "main_cause", "secondary_causes", "attribute", "relocated",
            "housing_safe"))
        if not rows:
            return
        organs = defaultdict(list)  # county prefix ("" for the prefecture) -> organ members
        villages = defaultdict(list)  # village code -> its members
        for h in self.members(prefix):
            if h.level == UL.VILLAGE:
                villages[h.code].append(h)
            else:
                organs[h.code[:6] if h.level == UL.COUNTY else ""].append(h)
        townships, counties = defaultdict(list), defaultdict(list)
        for code in sorted(villages):
            townships[code[:9]].extend(villages[code])
            counties[code[:6]].extend(villages[code])
        everyone = [h for code in sorted(villages) for h in villages[code]]
        for group in (*organs.values(), *villages.values(), *townships.values(),
                      *counties.values(), everyone):
            rng.shuffle(group)
        by_county = defaultdict(list)
        for row in rows:
            by_county[row[1][:6]].append(row)
        # the prefecture's organ members, shared among its counties by their households
        county_codes = sorted(by_county)
        shares = apportion(len(organs[""]), [len(by_county[cc]) for cc in county_codes])
        start = 0
        for cc, share in zip(county_codes, shares, strict=True):
            organs[cc] = organs[cc] + organs[""][start:start + share]
            start += share
        pools = (villages, townships, counties)
        for cc in county_codes:
            self.county(by_county[cc], organs[cc], pools, everyone)

    def county(self, rows: list[tuple], organ_helpers: list[Helper], pools: tuple,
               everyone: list[Helper]) -> None:
        """Organ members first, and the key villages' households first; then members of the
        household's village, township, county and prefecture."""
        queue = []
        for row in rows:  # the order households are taken: by village, by number
            place = self.index
            self.index += 1
            if place in self.unpaired:
                self.household(row, place, None)
            else:
                queue.append((row, place))
        queue.sort(key=lambda item: (item[0][1] not in self.key, item[0][1]))
        i = 0
        for helper in organ_helpers:
            if i >= len(queue):
                break
            self.used.add(helper.pk)
            load = self.next_load(len(queue) - i)
            for row, place in queue[i:i + load]:
                self.household(row, place, helper)
            i += load
        rest = queue[i:]
        villages, townships, counties = pools
        j = 0
        while j < len(rest):
            code = rest[j][0][1]
            helper = (self.take(villages.get(code, [])) or self.take(townships.get(code[:9], []))
                      or self.take(counties.get(code[:6], [])) or self.take(everyone))
            if helper is None:
                self.leftover.extend(rest[j:])
                return
            load = self.next_load(len(rest) - j)
            group = rest[j:j + load]
            if load <= 5:  # a village member helps households of one village
                group = [item for item in group if item[0][1] == code]
            for row, place in group:
                self.household(row, place, helper)
            j += len(group)

    def overflow(self) -> None:
        """Households left without a helper in their prefecture (only at tiny scales, where
        members are few): members of other prefectures who help nobody yet."""
        pending, self.leftover = self.leftover, []
        if not pending:
            return
        j = 0
        for prefix in sorted({code[:4] for code in Region._base_manager.filter(
                level=Level.PREFECTURE).values_list("code", flat=True)}):
            for helper in self.members(prefix):
                if j >= len(pending):
                    break
                if helper.pk in self.used:
                    continue
                self.used.add(helper.pk)
                load = self.next_load(len(pending) - j)
                for row, place in pending[j:j + load]:
                    self.household(row, place, helper)
                    self.stats["helped_from_another_prefecture"] += 1
                j += load
        for row, place in pending[j:]:
            self.stats["unpaired_for_want_of_members"] += 1
            self.household(row, place, None)

    # -- one household
    def household(self, row: tuple, place: int, helper: Helper | None) -> None:
        """The household's pairings (an earlier one, the current one), visits and measures."""
        rng, day = self.rng, self.today
        pk, code = row[0], row[1]
        recent = self.recent[code[:6]]
        if helper is None:
            self.stats["unpaired"] += 1
            if recent and rng.random() < 0.5:  # the helper left, nobody has taken over yet
                start = day - timedelta(days=rng.randint(400, 1_200))
                end = day - timedelta(days=rng.randint(20, 200))
                self.pairings.append((pk, pick(rng, recent), code, start.isoformat(),
                                      end.isoformat(), "", "", c.PairingEndReason.OTHER, self.now,
                                      self.now))
        else:
            earlier = [m for m in recent if m != helper.pk]
            if earlier and rng.random() < HELPER_CHANGED_SHARE:
                start = day - timedelta(days=rng.randint(30, 300))
                first = start - timedelta(days=rng.randint(300, 900))
                self.pairings.append((pk, pick(rng, earlier), code, first.isoformat(),
                                      (start - timedelta(days=1)).isoformat(), "", "",
                                      c.PairingEndReason.HELPER_CHANGED, self.now, self.now))
                self.stats["helper_changed"] += 1
            else:
                start = day - timedelta(days=rng.randint(100, 1_000))
            self.pairings.append((pk, helper.pk, code, start.isoformat(), None, helper.unit,
                                  helper.level, "", self.now, self.now))
            if not recent or recent[-1] != helper.pk:
                recent.append(helper.pk)
                if len(recent) > 40:
                    del recent[:20]
            self.visit(row, place, helper, start)
        if place in self.no_measure:
            self.stats["without_measure"] += 1
        else:
            self.plan(row)
        if len(self.pairings) + len(self.visits) + len(self.measures) >= CHUNK:
            self.flush()

    def visit(self, row: tuple, place: int, helper: Helper, start: date) -> None:
        """Two to six visits (home, or by phone) over the past year, since the pairing
        started; the latest within 90 days, except for the stale few."""
        rng, day = self.visit_rng, self.today
        pk, code, cause = row[0], row[1], row[2]
        since = max(start, day - timedelta(days=365))
        if place in self.stale:
            if (day - since).days < 95:
                return  # paired recently, not visited yet
            latest = day - timedelta(days=rng.randint(95, min(300, (day - since).days)))
        elif code in self.quiet:
            latest = day - timedelta(days=rng.randint(31, 85))
        else:
            latest = day - timedelta(days=rng.randint(0, 85))
        latest = max(latest, since)
        dates = [latest] + [day_between(rng, since, latest) for _ in range(VISIT_COUNTS(rng) - 1)]
        findings = HOME_FINDINGS.get(cause, DEFAULT_FINDINGS)
        for when in sorted(dates):
            if rng.random() < 0.3:
                kind, said, given = c.VisitKind.PHONE, pick(rng, PHONE_FINDINGS), ""
            else:
                kind = c.VisitKind.HOME
                said = pick(rng, findings) if rng.random() < 0.6 else pick(rng, DEFAULT_FINDINGS)
                given = pick(rng, HELP_GIVEN)
            self.visits.append((pk, helper.pk, helper.name, kind, when.isoformat(), said, given,
                                pick(rng, FOLLOW_UP), code, self.now, self.now))

    def plan(self, row: tuple) -> None:
        """One to four measures, their kinds following the causes of poverty (and the
        household's relocation, unsafe house, subsistence allowance, industry benefit); last
        year's mostly done, this year's done, under way or planned."""
        rng, day = self.measure_rng, self.today
        pk, code, cause, secondary, attribute, relocated, housing_safe = row
        kinds = [CAUSE_FIRST.get(cause, M.INDUSTRY)]
        if relocated:
            kinds.append(M.RELOCATION)
        elif not housing_safe:
            kinds.append(M.HOUSING)
        if attribute in (HouseholdAttribute.DIBAO, HouseholdAttribute.SUPPORT):
            kinds.append(M.DIBAO)
        for other in secondary or ():
            if other in CAUSE_MEASURES:
                kinds.append(CAUSE_MEASURES[other](rng))
        benefit = self.benefits.get(pk)
        linked = None
        if benefit is not None:
            linked = M.DIVIDEND if benefit[1] == c.BenefitKind.DIVIDEND else M.INDUSTRY
            kinds.insert(1, linked)
        kinds = list(dict.fromkeys(kinds))
        wanted = max(MEASURE_COUNTS(rng), min(4, len(kinds)))
        odds = CAUSE_MEASURES.get(cause)
        for _ in range(8):
            if len(kinds) >= wanted or odds is None:
                break
            kind = odds(rng)
            if kind not in kinds:
                kinds.append(kind)
        for kind in kinds[:4]:
            (lo, hi), descriptions, effects = MEASURE_TEXT[kind]
            project = benefit[0] if kind == linked else None
            if kind == M.RELOCATION and relocated:
                year, state = self.year - rng.randint(0, 2), c.MeasureState.DONE
            else:
                year = self.year - (rng.random() < 0.4)
                roll = rng.random()
                if year < self.year:
                    state = (c.MeasureState.DONE if roll < 0.7 else c.MeasureState.UNDER_WAY
                             if roll < 0.95 else c.MeasureState.CANCELLED)
                else:
                    state = (c.MeasureState.DONE if roll < 0.3 else c.MeasureState.UNDER_WAY
                             if roll < 0.6 else c.MeasureState.PLANNED if roll < 0.97
                             else c.MeasureState.CANCELLED)
            if project is not None:
                year = min(self.year, max(year, benefit[2]))
                if state in (c.MeasureState.CANCELLED, c.MeasureState.PLANNED):
                    state = c.MeasureState.UNDER_WAY
            if kind == kinds[0] and state == c.MeasureState.CANCELLED:
                state = c.MeasureState.UNDER_WAY  # the plan keeps a measure that stands
            done = None
            if state == c.MeasureState.DONE:
                done = day_between(rng, date(year, 1, 1), min(day, date(year, 12, 31)))
            planned = state == c.MeasureState.PLANNED
            amount = money(rng, lo, hi) if not planned or rng.random() < 0.5 else None
            self.measures.append((pk, code, kind, M.category_of(kind), year, state, amount,
                                  done.isoformat() if done else None, project,
                                  pick(rng, descriptions),
                                  pick(rng, effects) if done else "", self.now, self.now))

    # -- villages visited by their work teams
    def village_visits(self) -> None:
        """Two to four visits a month by members of the village's current team over the past
        year, one in the last 20 days in every key village but the quiet few (where the
        latest is more than 30 days old)."""
        rng, day = self.visit_rng, self.today
        members = defaultdict(list)
        for code, name, starts_on in WorkTeamMember._base_manager.filter(
                WorkTeamMember.current_q(day)).order_by("region_code", "id").values_list(
                "region_code", "name", "starts_on"):
            members[code].append((name, starts_on))
        for code in sorted(members):
            team = members[code]
            start = max(min(s for _n, s in team), day - timedelta(days=365))
            latest = day - timedelta(days=31) if code in self.quiet else day
            months = max(1, (latest - start).days // 30)
            dates = [day_between(rng, start, latest) for _ in range(months * rng.randint(2, 4))]
            if code in self.key and code not in self.quiet and start <= day - timedelta(days=20):
                dates.append(day - timedelta(days=rng.randint(0, 20)))
            for when in sorted(dates):
                self.visits.append((None, None, pick(rng, team)[0], c.VisitKind.VILLAGE,
                                    when.isoformat(), pick(rng, VILLAGE_FINDINGS),
                                    pick(rng, VILLAGE_HELP), pick(rng, FOLLOW_UP), code, self.now,
                                    self.now))
            self.stats["village_visits"] += len(dates)
            if len(self.visits) >= CHUNK:
                self.flush()

    def flush(self) -> None:
        write_rows(Pairing, PAIRING_FIELDS, self.pairings)
        write_rows(Visit, VISIT_FIELDS, self.visits)
        write_rows(Measure, MEASURE_FIELDS, self.measures)
        self.pairings, self.visits, self.measures = [], [], []


# --- the demo helper's member record ------------------------------------------------------------
@demo.generator("assistance.helper_user", order=910)
def helper_user(ctx: demo.DemoContext) -> str:
    """Link `demo-helper` (accounts.users, 900) to a member who currently helps two to five
    households of one village, the nearest to the user's village, and make that village the
    user's scope."""
    from fupin.accounts.models import User

    user = User.objects.filter(username=HELPER_USERNAME).first()
    if user is None:
        return f"no user {HELPER_USERNAME}, nothing linked (accounts.users runs first)"
    day = today()
    current = Pairing._base_manager.filter(Pairing.current_q(day))
    if user.member_id is not None:
        mine = current.filter(helper_id=user.member_id)
        if mine.exists() and not mine.exclude(region_code=user.region_code).exists():
            return (f"{HELPER_USERNAME} helps {mine.count()} households in {user.region_code}, "
                    "nothing changed")
    code = user.region_code or ""
    free = current.exclude(helper__user__isnull=False)  # not another user's member record
    found = None
    for prefix in (code, code[:9], code[:6], code[:4], ""):
        rows = free.filter(within(pad(prefix)) if prefix else Q()).values("helper").annotate(
            n=Count("id"), villages=Count("region_code", distinct=True),
            village=Min("region_code")).filter(n__gte=2, n__lte=5, villages=1)
        # three or more households if there is such a helper this near, else two
        found = (rows.filter(n__gte=3).order_by("village", "helper").first()
                 or rows.order_by("village", "helper").first())
        if found is not None:
            break
    if found is None:
        return f"no member helps two to five households of one village, {HELPER_USERNAME} not linked"
    user.member = PartyMember._base_manager.get(pk=found["helper"])
    user.region_code = found["village"]
    user.save(update_fields=["member", "region_code"])
    region = Region.objects.filter(code=user.region_code).first()
    if region is not None and HELPER_USERNAME in ctx.users:
        ctx.users[HELPER_USERNAME] = (ctx.users[HELPER_USERNAME][0], region)
    return (f"{HELPER_USERNAME} is {user.member.name}, helper of {found['n']} households in "
            f"{user.region_code}")

"""The names and texts the assistance demo draws from: units, posts, findings, measures."""

from __future__ import annotations

from fupin.assistance import choices as c
from fupin.assistance.demo.calibration import UL, Odds
from fupin.party import choices as pc
from fupin.party import demo as party_demo
from fupin.poverty.choices import PovertyCause

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

"""The figures the party demo is calibrated to (scale 1), the names and texts it draws from, and
the poverty demo's tools it borrows.
"""

from __future__ import annotations

from fupin.party import choices as c
from fupin.poverty import demo as poverty_demo
from fupin.poverty.choices import Education

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

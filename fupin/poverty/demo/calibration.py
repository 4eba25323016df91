"""The figures the poverty demo is calibrated to (seed-figures.md, scale 1), and the odds it draws
from.
"""

from __future__ import annotations

from fupin.poverty import choices as c

RURAL_POPULATION = 29_000_000
POOR_PERSONS = 2_550_000
LOW_INCOME_PERSONS = 4_550_000
KEY_VILLAGES = 5_486
RURAL_INCOME_PER_CAPITA = 1_985  # yuan, the villages' figures weighted by rural population
# A village's net income per capita relative to the province's, by kind (key villages poorer,
# urban communities' farmers richer), before a lognormal spread.
INCOME_FACTOR = {"key": 0.7, "rural": 1.0, "urban": 1.5, "other": 1.2}
# The figures are year-end 2006: incomes are of 2006, under that year's lines, and ages are
# counted in 2006 (birth year = 2006 - age).
INCOME_YEAR = 2006

# Shares of each status's persons living in key villages ("concentrated in key villages").
KEY_SHARE = {c.PovertyStatus.POOR: 0.65, c.PovertyStatus.LOW_INCOME: 0.45}
# A village's rural population is at least its registered persons times this (so at most
# 1/1.6 = 62.5% of a village is registered, however small the scale).
POPULATION_PER_REGISTERED = 1.6
PERSONS_PER_HOUSEHOLD = 3.5  # VillageProfile.households ~ population / 3.5
CHUNK = 5_000  # households per bulk write
BATCH_OBJECT_ID = "demo"

STATUSES = (c.PovertyStatus.POOR, c.PovertyStatus.LOW_INCOME)
ATTRIBUTES = (c.HouseholdAttribute.ORDINARY, c.HouseholdAttribute.DIBAO,
              c.HouseholdAttribute.SUPPORT)
ATTRIBUTE_WEIGHTS = {c.PovertyStatus.POOR: (78, 17, 5), c.PovertyStatus.LOW_INCOME: (86, 12, 2)}
# Household size 1..7 by attribute: support (五保) households are one or two old people.
SIZE_WEIGHTS = {
    c.HouseholdAttribute.ORDINARY: (5, 12, 18, 26, 21, 12, 6),
    c.HouseholdAttribute.DIBAO: (14, 20, 20, 22, 14, 7, 3),
    c.HouseholdAttribute.SUPPORT: (72, 24, 4, 0, 0, 0, 0),
}

# Villages by the 10th digit of their code: 2xx villagers' committees, 0xx (and 1xx) residents'
# committees; key villages are rural; urban communities have a small rural population.
RURAL, URBAN, OTHER = "rural", "urban", "other"
POPULATION_WEIGHT = {RURAL: 1.0, URBAN: 0.35, OTHER: 0.6}


def village_kind(code: str) -> str:
    return {"2": RURAL, "0": URBAN}.get(code[9], OTHER)


# Key villages are drawn with these weights by prefecture (the poorer mountain prefectures
# hold more of them), halved in city districts (区).
PREFECTURE_KEY_WEIGHT = {"5201": 0.3, "5202": 1.2, "5203": 0.8, "5204": 1.1, "5205": 1.4,
                         "5206": 1.3, "5222": 1.3, "5223": 1.3, "5224": 1.4, "5226": 1.4,
                         "5227": 1.2}

E = c.Ethnicity
# Ethnic mix of the rural population by prefecture (approximately the 2000/2010 censuses).
ETHNICITY_MIX = {
    "5201": {E.HAN: 80, E.BUYEI: 8, E.MIAO: 7, E.HUI: 1, E.YI: 1, E.DONG: 1, E.TUJIA: 1,
             E.BAI: 1},
    "5202": {E.HAN: 70, E.YI: 10, E.MIAO: 9, E.BUYEI: 6, E.HUI: 2, E.BAI: 2, E.GELAO: 1},
    "5203": {E.HAN: 86, E.GELAO: 6, E.MIAO: 4, E.TUJIA: 3, E.YI: 1},
    "5204": {E.HAN: 60, E.BUYEI: 20, E.MIAO: 14, E.GELAO: 2, E.HUI: 1, E.YI: 1, E.SHUI: 1,
             E.DONG: 1},
    "5205": {E.HAN: 72, E.YI: 11, E.MIAO: 11, E.HUI: 2, E.BAI: 2, E.BUYEI: 1, E.GELAO: 1},
    "5206": {E.TUJIA: 38, E.HAN: 30, E.MIAO: 16, E.DONG: 13, E.GELAO: 2, E.YI: 1},
    "5223": {E.HAN: 58, E.BUYEI: 30, E.MIAO: 8, E.YI: 2, E.HUI: 1, E.GELAO: 1},
    "5226": {E.MIAO: 43, E.DONG: 30, E.HAN: 19, E.BUYEI: 2, E.SHUI: 2, E.YAO: 2, E.TUJIA: 1,
             E.ZHUANG: 1},
    "5227": {E.HAN: 42, E.BUYEI: 32, E.MIAO: 13, E.SHUI: 8, E.YAO: 2, E.MULAO: 2, E.MAONAN: 1},
}
ETHNICITY_MIX["5222"] = ETHNICITY_MIX["5206"]  # the older codes of Tongren and Bijie
ETHNICITY_MIX["5224"] = ETHNICITY_MIX["5205"]
DEFAULT_MIX = {E.HAN: 62, E.MIAO: 12, E.BUYEI: 8, E.TUJIA: 5, E.DONG: 5, E.YI: 3, E.GELAO: 2,
               E.SHUI: 1, E.HUI: 1, E.BAI: 1}

HAN_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
                "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
                "薛段雷侯龙史陶黎贺顾毛郝龚邵万严覃武戴莫孔向汤")
SURNAMES = {
    E.MIAO: "杨吴龙王石张潘李陈罗麻欧邰刘熊", E.DONG: "杨吴石龙潘陆粟欧姚王",
    E.BUYEI: "韦王罗黄陆岑杨班卢梁莫", E.TUJIA: "田杨彭向冉张李吴龙",
    E.YI: "安陇禄李王杨张苏龙", E.SHUI: "蒙韦潘吴陆杨", E.GELAO: "王李陈邹张杨罗",
    E.HUI: "马丁白李王", E.BAI: "杨张李赵王段", E.YAO: "盘赵邓李", E.MULAO: "罗吴谢",
    E.MAONAN: "谭覃卢", E.ZHUANG: "韦黄覃莫",
}
MALE_CHARS = "明国华建军文平志伟强永德海成林光祥福寿金贵荣富兴发忠勇东昌学正云生友全春才宏"
FEMALE_CHARS = "秀英兰芳珍凤玉梅丽桂琴花燕红霞翠云美娟莲菊香群妹艳"

CAUSE_WEIGHTS = {
    c.PovertyCause.ILLNESS: 26, c.PovertyCause.FUNDS: 20, c.PovertyCause.SKILLS: 18,
    c.PovertyCause.LABOUR: 8, c.PovertyCause.DISABILITY: 6, c.PovertyCause.SCHOOLING: 6,
    c.PovertyCause.TRANSPORT: 5, c.PovertyCause.DISASTER: 3, c.PovertyCause.LAND: 3,
    c.PovertyCause.WATER: 3, c.PovertyCause.MOTIVATION: 2,
}
HOUSING_WEIGHTS = {  # structure: (weight for poor, for low income, probability it is safe)
    c.HousingStructure.EARTH: (18, 10, 0.35), c.HousingStructure.WOOD: (30, 26, 0.6),
    c.HousingStructure.BRICK_WOOD: (28, 30, 0.8),
    c.HousingStructure.BRICK_CONCRETE: (18, 26, 0.97),
    c.HousingStructure.CONCRETE: (4, 6, 0.99), c.HousingStructure.OTHER: (2, 2, 0.5),
}
# Infrastructure of villages in 2006: probability by kind (key villages are less equipped).
INFRASTRUCTURE = {  # flag: (key village, other rural village, urban community)
    "has_road": (0.25, 0.45, 0.95), "has_electricity": (0.92, 0.97, 1.0),
    "has_safe_water": (0.35, 0.55, 0.95), "has_broadband": (0.03, 0.10, 0.6),
    "has_clinic": (0.55, 0.70, 0.8), "has_school": (0.45, 0.55, 0.5),
}
IDENTIFICATION_YEARS = ((2014, 2015, 2016), (80, 11, 9))

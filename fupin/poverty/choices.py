"""Enumerations of the poverty registry (建档立卡). Labels are English msgids; the Chinese
labels officials know are the zh-Hans translations. `ALIASES` lists the other forms officials
write in their sheets (一般贫困户 for 一般, 因病致贫 for 因病), used by the importer."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HouseholdAttribute(models.TextChoices):
    ORDINARY = "ordinary", _("ordinary poor household")  # 一般贫困户
    DIBAO = "dibao", _("subsistence-allowance poor household")  # 低保贫困户
    SUPPORT = "support", _("extreme-poverty support household")  # 特困供养(五保)贫困户


class IdentificationStandard(models.TextChoices):
    NATIONAL = "national", _("national standard")
    PROVINCIAL = "provincial", _("provincial standard")


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("poor")
    LOW_INCOME = "low_income", _("low income")
    EXITED = "exited", _("exited from poverty")
    MONITORED = "monitored", _("under monitoring")
    RELAPSED = "relapsed", _("fell back into poverty")
    REMOVED = "removed", _("removed from the registry")


class MonitoredGroup(models.TextChoices):
    UNSTABLE = "unstable", _("unstable exited household")  # 脱贫不稳定户
    MARGINAL = "marginal", _("marginal household at risk")  # 边缘易致贫户
    HARDSHIP = "hardship", _("household in sudden severe hardship")  # 突发严重困难户


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("illness")  # 因病
    DISABILITY = "disability", _("disability")  # 因残
    SCHOOLING = "schooling", _("schooling costs")  # 因学
    DISASTER = "disaster", _("disaster")  # 因灾
    LAND = "land", _("lack of land")  # 缺土地
    WATER = "water", _("lack of water")  # 缺水
    SKILLS = "skills", _("lack of skills")  # 缺技术
    LABOUR = "labour", _("lack of labour")  # 缺劳力
    FUNDS = "funds", _("lack of funds")  # 缺资金
    TRANSPORT = "transport", _("poor transport")  # 交通条件落后
    MOTIVATION = "motivation", _("lack of own drive")  # 自身发展动力不足


class HousingStructure(models.TextChoices):
    CONCRETE = "concrete", _("reinforced concrete")
    BRICK_CONCRETE = "brick_concrete", _("brick and concrete")
    BRICK_WOOD = "brick_wood", _("brick and wood")
    WOOD = "wood", _("wood")
    EARTH = "earth", _("earth")
    OTHER = "other", _("other")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Relation(models.TextChoices):
    """Relation to the head of household (GB/T 4761 family-relation names)."""

    HEAD = "head", _("head of household")  # 户主
    SPOUSE = "spouse", _("spouse")  # 配偶
    SON = "son", _("son")  # 子
    DAUGHTER = "daughter", _("daughter")  # 女
    SON_IN_LAW = "son_in_law", _("son-in-law")  # 女婿
    DAUGHTER_IN_LAW = "daughter_in_law", _("daughter-in-law")  # 儿媳
    GRANDCHILD = "grandchild", _("grandchild")  # 孙子女
    PARENT = "parent", pgettext_lazy("relation to head", "parent")  # 父母
    GRANDPARENT = "grandparent", _("grandparent")  # 祖父母
    SIBLING = "sibling", _("sibling")  # 兄弟姐妹
    OTHER = "other", _("other relative")  # 其他


class Ethnicity(models.TextChoices):
    """The 56 ethnic groups by their GB 3304 codes."""

    HAN = "01", _("Han")
    MONGOL = "02", _("Mongol")
    HUI = "03", _("Hui")
    TIBETAN = "04", _("Tibetan")
    UYGHUR = "05", _("Uyghur")
    MIAO = "06", _("Miao")
    YI = "07", _("Yi")
    ZHUANG = "08", _("Zhuang")
    BUYEI = "09", _("Buyei")
    KOREAN = "10", _("Korean")
    MANCHU = "11", _("Manchu")
    DONG = "12", _("Dong")
    YAO = "13", _("Yao")
    BAI = "14", _("Bai")
    TUJIA = "15", _("Tujia")
    HANI = "16", _("Hani")
    KAZAKH = "17", _("Kazakh")
    DAI = "18", _("Dai")
    LI = "19", _("Li")
    LISU = "20", _("Lisu")
    VA = "21", _("Va")
    SHE = "22", _("She")
    GAOSHAN = "23", _("Gaoshan")
    LAHU = "24", _("Lahu")
    SHUI = "25", _("Shui")
    DONGXIANG = "26", _("Dongxiang")
    NAXI = "27", _("Naxi")
    JINGPO = "28", _("Jingpo")
    KYRGYZ = "29", _("Kyrgyz")
    TU = "30", _("Tu")
    DAUR = "31", _("Daur")
    MULAO = "32", _("Mulao")
    QIANG = "33", _("Qiang")
    BLANG = "34", _("Blang")
    SALAR = "35", _("Salar")
    MAONAN = "36", _("Maonan")
    GELAO = "37", _("Gelao")
    XIBE = "38", _("Xibe")
    ACHANG = "39", _("Achang")
    PUMI = "40", _("Pumi")
    TAJIK = "41", _("Tajik")
    NU = "42", _("Nu")
    UZBEK = "43", _("Uzbek")
    RUSSIAN = "44", _("Russian")
    EVENKI = "45", _("Evenki")
    DEANG = "46", _("De'ang")
    BONAN = "47", _("Bonan")
    YUGUR = "48", _("Yugur")
    GIN = "49", _("Gin")
    TATAR = "50", _("Tatar")
    DERUNG = "51", _("Derung")
    OROQEN = "52", _("Oroqen")
    HEZHEN = "53", _("Hezhen")
    MONBA = "54", _("Monba")
    LHOBA = "55", _("Lhoba")
    JINO = "56", _("Jino")


class Education(models.TextChoices):
    PRESCHOOL = "preschool", _("pre-school")
    ILLITERATE = "illiterate", _("illiterate or semi-literate")
    PRIMARY = "primary", _("primary school")
    JUNIOR = "junior", _("junior secondary")
    SENIOR = "senior", _("senior secondary or vocational")
    COLLEGE = "college", _("college or above")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("healthy")
    CHRONIC = "chronic", _("chronic illness")
    SERIOUS = "serious", _("serious illness")
    DISABLED = "disabled", _("disabled")


class LabourCapacity(models.TextChoices):
    ORDINARY = "ordinary", _("ordinary labour")
    SKILLED = "skilled", _("skilled labour")
    LOST = "lost", _("lost labour capacity")
    NONE = "none", _("no labour capacity")


class MigrantStatus(models.TextChoices):
    NONE = "none", _("not migrant")
    IN_COUNTY = "in_county", _("working within the county")
    IN_PROVINCE = "in_province", _("working in the province outside the county")
    OUT_OF_PROVINCE = "out_of_province", _("working outside the province")


class ProcedureKind(models.TextChoices):
    IDENTIFICATION = "identification", _("identification")  # 识别(两公示一公告)
    EXIT = "exit", _("exit from poverty")  # 脱贫退出
    MONITORING = "monitoring", _("return-to-poverty monitoring")  # 防返贫监测
    RISK_REMOVAL = "risk_removal", _("risk removal")  # 风险消除


class ProcedureState(models.TextChoices):
    OPEN = "open", _("in progress")
    COMPLETED = "completed", _("completed")
    REJECTED = "rejected", _("rejected")


class LeadSource(models.TextChoices):
    SELF_REPORT = "self_report", _("self-report")
    VISIT = "visit", _("cadre visit")
    DATA_ALERT = "data_alert", _("data alert from another department")


class CrosscheckKind(models.TextChoices):
    VEHICLES = "vehicles", _("vehicle registry")
    HOUSING = "housing", _("housing registry")
    BUSINESS = "business", _("business registration")
    PAYROLL = "payroll", _("public payroll")


class LeadState(models.TextChoices):
    OPEN = "open", _("open")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")

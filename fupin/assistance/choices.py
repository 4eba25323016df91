"""Enumerations of the assistance mechanisms (党建促扶贫). Labels are English msgids; the Chinese
labels are the zh-Hans translations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitLevel(models.TextChoices):
    """The level of a dispatching or helping unit (派出单位级别)."""

    PROVINCE = "province", _("province level")
    PREFECTURE = "prefecture", _("prefecture level")
    COUNTY = "county", _("county level")
    TOWNSHIP = "township", _("township level")
    VILLAGE = "village", _("village level")  # a helper from the village's own branch


class WorkTeamRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("first secretary")  # 第一书记
    LEADER = "leader", _("team leader")  # 队长
    MEMBER = "member", _("team member")  # 队员


class HelpingOrgKind(models.TextChoices):
    """Who pairs with a village branch (万个支部结对)."""

    ORGAN = "organ", _("government organ branch")  # 机关支部
    ENTERPRISE = "enterprise", _("enterprise branch")  # 企业支部
    INSTITUTION = "institution", _("public institution branch")  # 事业单位支部
    URBAN = "urban", _("urban community branch")  # 城市社区支部


class PairingState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("pairing", "active")  # 帮扶中
    COMPLETED = "completed", pgettext_lazy("pairing", "completed")  # 已完成
    ENDED = "ended", _("ended early")


class PairingEndReason(models.TextChoices):
    HELPER_CHANGED = "helper_changed", _("helper changed")  # 帮扶责任人调整
    HOUSEHOLD_EXITED = "household_exited", _("household exited from poverty")
    HOUSEHOLD_REMOVED = "household_removed", _("household removed from the registry")
    OTHER = "other", _("other")


class VisitKind(models.TextChoices):
    HOME = "home", _("home visit")  # 入户走访
    PHONE = "phone", _("phone call")  # 电话联系
    VILLAGE = "village", _("village visit")  # 走访村


class MeasureCategory(models.TextChoices):
    """开发式 / 搬迁式 / 救助式 扶贫."""

    DEVELOPMENT = "development", _("development")
    RELOCATION = "relocation", _("relocation")
    RELIEF = "relief", _("relief")


class MeasureKind(models.TextChoices):
    INDUSTRY = "industry", _("industry support")  # 产业扶持
    EMPLOYMENT = "employment", _("employment")  # 就业扶贫
    EDUCATION = "education", _("education aid")  # 教育资助
    HEALTH = "health", _("health aid")  # 健康扶贫
    HOUSING = "housing", _("housing renovation")  # 危房改造
    RELOCATION = "relocation", _("relocation")  # 易地扶贫搬迁
    DIBAO = "dibao", _("subsistence allowance")  # 低保兜底
    LOAN = "loan", _("small loan")  # 小额信贷
    DIVIDEND = "dividend", _("cooperative dividend")  # 资产收益分红
    PUBLIC_JOB = "public_job", _("public-welfare job")  # 公益岗位
    TRAINING = "training", _("skills training")  # 技能培训
    OTHER = "other", _("other measure")

    @classmethod
    def category_of(cls, kind: str) -> str:
        if kind == cls.RELOCATION:
            return MeasureCategory.RELOCATION
        if kind in (cls.DIBAO, cls.HEALTH, cls.EDUCATION):
            return MeasureCategory.RELIEF
        return MeasureCategory.DEVELOPMENT


class MeasureState(models.TextChoices):
    PLANNED = "planned", _("planned")
    UNDER_WAY = "under_way", _("under way")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class PlanState(models.TextChoices):
    PLANNED = "planned", _("planned")
    UNDER_WAY = "under_way", _("under way")
    ACCEPTED = "accepted", _("accepted")  # 验收


class FundSource(models.TextChoices):
    FISCAL = "fiscal", _("fiscal poverty funds")  # 财政扶贫资金
    SECTOR = "sector", _("sector funds")  # 部门整合资金
    PAIRING = "pairing", _("pairing support")  # 结对帮扶
    CREDIT = "credit", _("credit")  # 信贷资金
    SELF = "self", _("raised by villagers")  # 群众自筹
    SOCIAL = "social", _("social donations")  # 社会捐助


class EnterpriseKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("leading enterprise")  # 龙头企业
    COOPERATIVE = "cooperative", _("cooperative")  # 专业合作社
    ASSOCIATION = "association", _("professional association")  # 专业经济协会
    BROKER = "broker", _("rural broker")  # 农村经纪人


class BenefitKind(models.TextChoices):
    DIVIDEND = "dividend", _("dividend")  # 入股分红
    WAGES = "wages", _("wages")  # 务工
    CONTRACT = "contract", _("contract farming")  # 订单收购
    LAND_RENT = "land_rent", _("land rent")  # 土地流转
    INPUTS = "inputs", _("inputs and services")  # 技术物资服务


class SiteKind(models.TextChoices):
    TOWN = "town", _("town or city centre")  # 城镇集中安置
    CENTRAL_VILLAGE = "central_village", _("central village")  # 中心村安置
    INDUSTRIAL = "industrial", _("industrial park")  # 园区安置
    DISPERSED = "dispersed", _("dispersed")  # 分散安置


class ContributionKind(models.TextChoices):
    MONEY = "money", _("money")  # 捐资
    PROJECT = "project", _("project")  # 引进项目
    INFORMATION = "information", _("information")  # 提供信息
    JOBS = "jobs", _("jobs")  # 介绍就业

"""Enumerations of party building (党建). English msgids; the Chinese terms are in comments and
in ../shared/glossary.md."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("party committee")  # 党委
    GENERAL_BRANCH = "general_branch", _("general party branch")  # 党总支
    BRANCH = "branch", _("party branch")  # 党支部
    GROUP = "group", _("party group")  # 党小组


class OrgBasis(models.TextChoices):
    PLACE = "place", _("by place")  # 按地域
    INDUSTRY = "industry", _("on an industry chain")  # 产业链
    ASSOCIATION = "association", _("in a professional association")  # 专业协会
    ENTERPRISE = "enterprise", _("in an enterprise")  # 企业
    JOINT_VILLAGES = "joint_villages", _("jointly across villages")  # 村村联建
    VILLAGE_ENTERPRISE = "village_enterprise", _("village and enterprise jointly")  # 村企联建
    VILLAGE_COMMUNITY = "village_community", _("village and community jointly")  # 村居联建
    ORGAN = "organ", _("in a government organ")  # 机关

    @classmethod
    def joint(cls) -> set[str]:
        return {cls.JOINT_VILLAGES, cls.VILLAGE_ENTERPRISE, cls.VILLAGE_COMMUNITY}


class Stage(models.TextChoices):
    """The membership pipeline, in order."""

    APPLICANT = "applicant", _("applicant")  # 入党申请人
    ACTIVIST = "activist", _("activist")  # 入党积极分子
    CANDIDATE = "candidate", _("development candidate")  # 发展对象
    PROBATIONARY = "probationary", _("probationary member")  # 预备党员
    FULL = "full", _("full member")  # 正式党员


STAGE_ORDER = [s.value for s in Stage]
STAGE_DATE_FIELD = {
    Stage.APPLICANT: "applied_on", Stage.ACTIVIST: "activist_on",
    Stage.CANDIDATE: "candidate_on", Stage.PROBATIONARY: "probationary_on",
    Stage.FULL: "full_on",
}


class CommitmentStatus(models.TextChoices):
    PLEDGED = "pledged", _("pledged")
    IN_PROGRESS = "in_progress", _("in progress")
    FULFILLED = "fulfilled", _("fulfilled")
    NOT_FULFILLED = "not_fulfilled", _("not fulfilled")


class TransferState(models.TextChoices):
    ISSUED = "issued", _("issued by the sending organization")
    ACCEPTED = "accepted", _("accepted by the receiving organization")
    RETURNED = "returned", _("returned")


class MeetingKind(models.TextChoices):
    """三会一课 and the themed party day."""

    ALL_MEMBER = "all_member", _("all-member meeting")  # 支部党员大会
    COMMITTEE = "committee", _("branch committee meeting")  # 支部委员会
    GROUP = "group", _("party group meeting")  # 党小组会
    LECTURE = "lecture", _("party lecture")  # 党课
    THEMED_DAY = "themed_day", _("themed party day")  # 主题党日


class CommitteeKind(models.TextChoices):
    BRANCH = "branch", _("village party branch committee")  # 村党支部委员会
    VILLAGERS = "villagers", _("villagers' committee")  # 村民委员会


class Post(models.TextChoices):
    SECRETARY = "secretary", _("secretary")  # 书记
    DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")  # 副书记
    DIRECTOR = "director", _("director")  # 主任
    DEPUTY_DIRECTOR = "deputy_director", _("deputy director")  # 副主任
    MEMBER = "member", pgettext_lazy("committee post", "member")  # 委员
    ACCOUNTANT = "accountant", _("accountant")  # 文书/会计


class CareerMove(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("recruited as a township civil servant")
    TOWNSHIP_LEADER = "township_leader", _("selected into the township leadership")
    PUBLIC_INSTITUTION = "public_institution", _("recruited into a township public institution")


class ElectionState(models.TextChoices):
    NOMINATION = "nomination", _("nomination")
    RECOMMENDATION = "recommendation", _("recommendation by members and the public")
    SHORTLIST = "shortlist", _("shortlist")
    BALLOT = "ballot", _("election")
    CLOSED = "closed", _("closed")

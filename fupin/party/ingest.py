"""The party organization and party member registries for import and export (党组织、党员导入导出).

Both are one row per record (`fupin.ingest.records.ModelRegistry`):

- `orgs`: natural key the organization code (组织代码, `PartyOrg.code`); the parent by its code,
  which may be an org of the same file; the region any region code. The parent is of a higher
  kind (rules.parent_kind_allowed), its region contains the org's, and no org is below itself.
  An org stays in its region. The regions a joint org covers and the secretary are kept as
  they are (they are set on the org's page).
- `members`: natural key the ID number; the organization by its code, which gives the region.
  Sex and birth date are read from the ID number (a given one must agree). The stage dates are
  in order, none in the future, and none is given for a stage not reached. A registered member
  stays in their organization (a move is a transfer) and keeps `left_on`.
"""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core import db
from fupin.core.masking import ID_NUMBER as ID_KIND
from fupin.core.masking import PHONE
from fupin.ingest import cells
from fupin.ingest.pipeline import REASON, ROW, add_reasons, no_reasons
from fupin.ingest.records import (
    ID,
    ModelRegistry,
    Ref,
    dates_in_order,
    identity_checks,
    ref_field,
)
from fupin.ingest.registry import (
    BOOL,
    CODE,
    DATE,
    ENUM,
    ID_NUMBER,
    REGION,
    TEXT,
    Column,
    register,
)
from fupin.party import choices as c
from fupin.party import rules
from fupin.party.models import PartyMember, PartyOrg
from fupin.poverty.ingest import (
    EDUCATION_ALIASES,
    EDUCATIONS,
    ETHNICITIES,
    ETHNICITY_ALIASES,
    SEX_ALIASES,
    SEXES,
)
from fupin.regions.scope import is_within


def _pairs(pairs) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), label) for value, label in pairs)


# --- enumerations -------------------------------------------------------------------------------

KINDS = ((c.OrgKind.COMMITTEE, "党委"), (c.OrgKind.GENERAL_BRANCH, "党总支"),
         (c.OrgKind.BRANCH, "党支部"), (c.OrgKind.GROUP, "党小组"))
KIND_ALIASES = {
    "党的委员会": "committee", "委员会": "committee", "基层党委": "committee",
    "党工委": "committee", "工作委员会": "committee", "党委员会": "committee",
    "总支": "general_branch", "党总支部": "general_branch", "总支部": "general_branch",
    "党总支部委员会": "general_branch", "联合党总支": "general_branch",
    "支部": "branch", "党支部委员会": "branch", "联合党支部": "branch", "小组": "group",
}
BASES = ((c.OrgBasis.PLACE, "按地域"), (c.OrgBasis.INDUSTRY, "产业链"),
         (c.OrgBasis.ASSOCIATION, "专业协会"), (c.OrgBasis.ENTERPRISE, "企业"),
         (c.OrgBasis.JOINT_VILLAGES, "村村联建"), (c.OrgBasis.VILLAGE_ENTERPRISE, "村企联建"),
         (c.OrgBasis.VILLAGE_COMMUNITY, "村居联建"), (c.OrgBasis.ORGAN, "机关"))
BASIS_ALIASES = {
    "地域": "place", "按地域设置": "place", "村": "place", "社区": "place", "行政村": "place",
    "按产业链": "industry", "建在产业链上": "industry", "产业": "industry",
    "协会": "association", "建在专业协会上": "association", "合作社": "association",
    "非公企业": "enterprise", "建在企业": "enterprise", "联村": "joint_villages",
    "村村联合": "joint_villages", "村企联合": "village_enterprise",
    "村居联合": "village_community", "机关单位": "organ", "单位": "organ",
}
STAGES = ((c.Stage.APPLICANT, "入党申请人"), (c.Stage.ACTIVIST, "入党积极分子"),
          (c.Stage.CANDIDATE, "发展对象"), (c.Stage.PROBATIONARY, "预备党员"),
          (c.Stage.FULL, "正式党员"))
STAGE_ALIASES = {
    "申请人": "applicant", "申请入党": "applicant", "积极分子": "activist",
    "发展对象人选": "candidate", "预备": "probationary", "正式": "full", "党员": "full",
    "中共党员": "full", "中共预备党员": "probationary",
}

# --- party organizations -----------------------------------------------------------------------

ORG_COLUMNS = (
    Column("code", "组织代码", CODE, required=True,
           header_aliases=("党组织代码", "组织编码", "党组织编码")),
    Column("name", "组织名称", TEXT, required=True, header_aliases=("党组织名称", "名称")),
    Column("kind", "组织类别", ENUM, required=True, choices=_pairs(KINDS), aliases=KIND_ALIASES,
           header_aliases=("党组织类别", "组织类型", "党组织类型")),
    Column("basis", "组建方式", ENUM, choices=_pairs(BASES), aliases=BASIS_ALIASES,
           blank_keeps=True, header_aliases=("组织设置", "设置方式", "组建形式")),
    Column("region_code", "所在区划代码", REGION, required=True,
           header_aliases=("区划代码", "所属区划代码", "行政区划代码", "统计用区划代码")),
    Column("parent_code", "上级组织代码", CODE, max_length=30,
           header_aliases=("上级党组织代码", "上级组织编码")),
    Column("founded_on", "成立日期", DATE, header_aliases=("成立时间", "建立日期")),
    Column("dissolved_on", "撤销日期", DATE, header_aliases=("撤销时间",)),
)
PARENT = Ref("parent_code", "parent", fetch=("kind",), in_scope=False)


@register
class OrgRegistry(ModelRegistry):
    name = "orgs"
    verbose_name = gettext_lazy("party organizations")
    description = gettext_lazy(
        "One row per party organization, identified by its organization code; the parent is "
        "given by its code and may be an organization of the same file.")
    model = PartyOrg
    columns = ORG_COLUMNS
    sheet_title = "党组织"
    key = ("code",)
    refs = (PARENT,)
    region = "region_code"

    def check_rows(self, frame, ctx):
        return dates_in_order(frame, ctx, [self.column("founded_on"),
                                           self.column("dissolved_on")])

    def check_across(self, rows, ctx):
        out = [self._children_left_below(rows)]
        if "parent_code" in ctx.present:
            out += self._parents(rows, ctx)
        return out

    def _children_left_below(self, rows):
        """A registered org whose kind the file changes stays above its registered children
        that the file does not list (those that it lists are judged by their own rows)."""
        changed = rows.filter(pl.col(ID).is_not_null()).select(ROW, "code", "kind").collect(
            engine="streaming")
        if changed.is_empty():
            return no_reasons()
        table = db.qn(PartyOrg._meta.db_table)
        children = db.lookup(
            f"SELECT p.code, c.code, c.kind FROM {table} c JOIN {table} p "  # noqa: S608
            f"ON p.id = c.parent_id WHERE p.code", changed.get_column("code").to_list(),
            columns=["code", "__child", "__child_kind"])
        listed = rows.select(pl.col("code").alias("__child")).collect(engine="streaming")
        children = children.join(listed, on="__child", how="anti")
        if children.is_empty():
            return no_reasons()
        pairs = changed.join(children, on="code")
        pairs = pairs.filter(pl.Series([not rules.parent_kind_allowed(k, ck) for k, ck in
                                        pairs.select("kind", "__child_kind").iter_rows()],
                                       dtype=pl.Boolean))
        labels = dict(_pairs(KINDS))
        return pairs.group_by(ROW, maintain_order=True).agg(
            pl.col("kind").first(), pl.col("__child").str.join("、")).select(
            ROW, cells.message(
                _("%(column)s: a %(kind)s cannot be the parent of its organizations %(codes)s"),
                column=self.column("kind").header,
                kind=pl.col("kind").replace_strict(labels, default=pl.col("kind")),
                codes=pl.col("__child")).alias(REASON))

    def _parents(self, rows, ctx):
        parents = self.linked(rows, ctx, PARENT, ("kind", "region_code"))
        if parents.is_empty():
            return []
        pairs = rows.select(ROW, "kind", "region_code").collect(engine="streaming").join(
            parents, on=ROW)
        kind, region = ref_field("parent_code", "kind"), ref_field("parent_code", "region_code")
        # Few distinct pairs: each is judged once, by the same rules the actions use.
        kinds = pairs.select(kind, "kind").unique().drop_nulls()
        kinds = kinds.with_columns(pl.Series("__kind_ok", [
            rules.parent_kind_allowed(p, k) for p, k in kinds.iter_rows()], dtype=pl.Boolean))
        regions = pairs.select(region, "region_code").unique().drop_nulls()
        regions = regions.with_columns(pl.Series("__region_ok", [
            is_within(r, p) for p, r in regions.iter_rows()], dtype=pl.Boolean))
        pairs = pairs.join(kinds, on=[kind, "kind"], how="left").join(
            regions, on=[region, "region_code"], how="left")
        labels = dict(_pairs(KINDS))
        header = self.column("parent_code").header
        bad_kind = pairs.filter(pl.col("__kind_ok").not_()).select(ROW, cells.message(
            _("%(column)s: a %(parent)s cannot be the parent of a %(kind)s"), column=header,
            parent=pl.col(kind).replace_strict(labels, default=pl.col(kind)),
            kind=pl.col("kind").replace_strict(labels, default=pl.col("kind"))).alias(REASON))
        bad_region = pairs.filter(pl.col("__region_ok").not_()).select(ROW, cells.message(
            _("%(column)s: the parent organization is in region %(region)s, which does not "
              "contain %(code)s"), column=header, region=pl.col(region),
            code=pl.col("region_code")).alias(REASON))
        return [bad_kind, bad_region]


# --- party members -----------------------------------------------------------------------------

STAGE_DATES = (
    Column("applied_on", "申请入党日期", DATE, header_aliases=("申请入党时间",)),
    Column("activist_on", "确定为积极分子日期", DATE,
           header_aliases=("确定为入党积极分子日期", "列为积极分子日期", "积极分子日期")),
    Column("candidate_on", "确定为发展对象日期", DATE,
           header_aliases=("列为发展对象日期", "发展对象日期")),
    Column("probationary_on", "入党日期", DATE,
           header_aliases=("接收为预备党员日期", "入党时间", "预备党员日期")),
    Column("full_on", "转正日期", DATE, header_aliases=("转为正式党员日期", "转正时间")),
)
MEMBER_COLUMNS = (
    Column("id_number", "身份证号", ID_NUMBER, required=True, personal=ID_KIND,
           header_aliases=("身份证号码", "公民身份号码", "证件号码")),
    Column("name", "姓名", TEXT, required=True),
    Column("sex", "性别", ENUM, choices=_pairs(SEXES), aliases=SEX_ALIASES, blank_keeps=True),
    Column("birth_date", "出生日期", DATE, blank_keeps=True),
    Column("ethnicity", "民族", ENUM, choices=_pairs(ETHNICITIES), aliases=ETHNICITY_ALIASES,
           blank_keeps=True),
    Column("education", "文化程度", ENUM, choices=_pairs(EDUCATIONS),
           aliases=EDUCATION_ALIASES, header_aliases=("学历",)),
    Column("org_code", "所在党组织代码", CODE, required=True, max_length=30,
           header_aliases=("党组织代码", "所属党组织代码", "所在党支部代码", "组织代码")),
    Column("stage", "人员类别", ENUM, required=True, choices=_pairs(STAGES),
           aliases=STAGE_ALIASES, header_aliases=("党员类别", "发展阶段", "阶段")),
    *STAGE_DATES,
    Column("phone", "联系电话", CODE, max_length=20, pattern=r"^\+?\d[\d-]{4,19}$",
           pattern_hint=gettext_lazy("a phone number"), personal=PHONE,
           header_aliases=("电话", "电话号码", "手机号码", "联系方式")),
    Column("occupation", "职业", TEXT, header_aliases=("工作岗位", "工作单位及职务")),
    Column("is_farmer", "是否农民", BOOL, blank_keeps=True, header_aliases=("农民",)),
    Column("is_demo_household", "是否党员示范户", BOOL, blank_keeps=True,
           header_aliases=("党员示范户", "是否示范户")),
)
ORG = Ref("org_code", "org", fixed=True,
          fixed_hint=gettext_lazy("a member moves to another organization by transfer"))


@register
class MemberRegistry(ModelRegistry):
    name = "members"
    verbose_name = gettext_lazy("party members")
    description = gettext_lazy(
        "One row per party member (or applicant, activist, development candidate), identified "
        "by the ID number; the organization is given by its code and gives the region.")
    model = PartyMember
    columns = MEMBER_COLUMNS
    sheet_title = "党员"
    key = ("id_number",)
    refs = (ORG,)
    region = "org_code"
    derived = ("sex", "birth_date")

    def check_rows(self, frame, ctx):
        frame = identity_checks(frame, ctx)
        frame = dates_in_order(frame, ctx, list(STAGE_DATES))
        order = [str(s) for s in c.STAGE_ORDER]
        reached = pl.col("stage").replace_strict(
            {s: i for i, s in enumerate(order)}, default=None, return_dtype=pl.Int64)
        labels = dict(_pairs(STAGES))
        checks = []
        for i, col in enumerate(STAGE_DATES):
            if col.name in ctx.present:
                checks.append((pl.col(col.name).is_not_null() & (reached < i), cells.message(
                    _("%(column)s is given, but the stage is %(stage)s"), column=col.header,
                    stage=pl.col("stage").replace_strict(labels, default=pl.col("stage")))))
        return add_reasons(frame, checks)

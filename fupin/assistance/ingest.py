"""Work teams, pairings, visits and measures for import and export (驻村工作队、结对帮扶、走访、
帮扶措施导入导出).

Each is one row per record (`fupin.ingest.records.ModelRegistry`); rows come from and go through
the policy (`restrict`): a helper exports only their own visits and imports visits only to their
own households.

- `teams` (驻村工作队): natural key the village, the team name and the start date together
  (the model has no team code). The end date may lie ahead (the planned end of the term).
- `team_members` (驻村工作队员): natural key the team, the member's name and start date. The
  team is named by its village, name and start date, the columns of `teams`; the member's term
  lies within the team's. The phone and the party member's ID number are personal data.
- `pairings` (结对帮扶): natural key the household (户编号), the helper (帮扶责任人身份证号,
  a party member) and the start date. A household has at most one current pairing (no end
  date), counting the registry and the file together, so one file may end a pairing and start
  the next. A new current pairing needs a household in need (rules.helped_statuses) and a
  helper who is a probationary or full member who has not left. The helper's name is checked
  against the member's, never stored.
- `visits` (走访): natural key the village, the household (blank for a visit to the village),
  the date and the visitor's name. The visitor's party-member record is optional.
- `measures` (帮扶措施): natural key the household, the year and the kind of measure. The
  category (开发式/搬迁式/救助式) follows from the kind: exported, never read, always written.
"""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.assistance import choices as c
from fupin.assistance import rules
from fupin.assistance.models import Measure, Pairing, Visit, WorkTeam, WorkTeamMember
from fupin.core import db
from fupin.core.masking import ID_NUMBER as ID_KIND
from fupin.core.masking import PHONE
from fupin.core.policy import Role, role_of
from fupin.ingest import cells
from fupin.ingest.pipeline import REASON, ROW, add_reasons
from fupin.ingest.records import (
    ID,
    KEY,
    ModelRegistry,
    Ref,
    dates_in_order,
    ref_field,
    ref_id,
)
from fupin.ingest.registry import (
    CODE,
    DATE,
    DECIMAL,
    ENUM,
    ID_NUMBER,
    INT,
    TEXT,
    VILLAGE,
    Column,
    register,
)
from fupin.poverty.choices import PovertyStatus
from fupin.poverty.models import Household


def _pairs(pairs) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), label) for value, label in pairs)


# --- enumerations -------------------------------------------------------------------------------

UNIT_LEVELS = ((c.UnitLevel.PROVINCE, "省级"), (c.UnitLevel.PREFECTURE, "市级"),
               (c.UnitLevel.COUNTY, "县级"), (c.UnitLevel.TOWNSHIP, "乡级"))
UNIT_LEVEL_ALIASES = {
    "省": "province", "省直": "province", "省级单位": "province", "省直单位": "province",
    "市": "prefecture", "州": "prefecture", "地级": "prefecture", "市州级": "prefecture",
    "市(州)级": "prefecture", "地市级": "prefecture", "市直": "prefecture",
    "市级单位": "prefecture", "县": "county", "区县": "county", "县区级": "county",
    "区县级": "county", "县直": "county", "县级单位": "county", "乡": "township",
    "镇": "township", "乡镇": "township", "乡镇级": "township", "乡(镇)级": "township",
    "镇级": "township",
}
TEAM_ROLES = ((c.WorkTeamRole.FIRST_SECRETARY, "第一书记"), (c.WorkTeamRole.LEADER, "队长"),
              (c.WorkTeamRole.MEMBER, "队员"))
TEAM_ROLE_ALIASES = {
    "驻村第一书记": "first_secretary", "第一书记兼队长": "first_secretary",
    "第一书记(队长)": "first_secretary", "工作队长": "leader", "工作队队长": "leader",
    "驻村工作队长": "leader", "组长": "leader", "工作队员": "member", "驻村队员": "member",
    "成员": "member", "组员": "member",
}
END_REASONS = ((c.PairingEndReason.HELPER_CHANGED, "帮扶责任人调整"),
               (c.PairingEndReason.HOUSEHOLD_EXITED, "脱贫退出"),
               (c.PairingEndReason.HOUSEHOLD_REMOVED, "退出建档立卡"),
               (c.PairingEndReason.OTHER, "其他"))
END_REASON_ALIASES = {
    "调整": "helper_changed", "帮扶人调整": "helper_changed", "人员调整": "helper_changed",
    "更换帮扶责任人": "helper_changed", "帮扶责任人变更": "helper_changed",
    "脱贫": "household_exited", "已脱贫": "household_exited", "稳定脱贫": "household_exited",
    "清退": "household_removed", "剔除": "household_removed", "移出": "household_removed",
    "识别不准清退": "household_removed", "其它": "other",
}
VISIT_KINDS = ((c.VisitKind.HOME, "入户走访"), (c.VisitKind.PHONE, "电话联系"),
               (c.VisitKind.VILLAGE, "走访村"))
VISIT_KIND_ALIASES = {
    "入户": "home", "走访": "home", "上门走访": "home", "实地走访": "home", "家访": "home",
    "电话": "phone", "电话回访": "phone", "电话走访": "phone", "电话访问": "phone",
    "到村走访": "village", "驻村走访": "village", "进村": "village", "村级走访": "village",
}
MEASURE_KINDS = ((c.MeasureKind.INDUSTRY, "产业扶持"), (c.MeasureKind.EMPLOYMENT, "就业扶贫"),
                 (c.MeasureKind.EDUCATION, "教育资助"), (c.MeasureKind.HEALTH, "健康扶贫"),
                 (c.MeasureKind.HOUSING, "危房改造"), (c.MeasureKind.RELOCATION, "易地扶贫搬迁"),
                 (c.MeasureKind.DIBAO, "低保兜底"), (c.MeasureKind.LOAN, "小额信贷"),
                 (c.MeasureKind.DIVIDEND, "资产收益分红"), (c.MeasureKind.PUBLIC_JOB, "公益岗位"),
                 (c.MeasureKind.TRAINING, "技能培训"), (c.MeasureKind.OTHER, "其他"))
MEASURE_KIND_ALIASES = {
    "产业扶贫": "industry", "产业发展": "industry", "产业帮扶": "industry", "产业": "industry",
    "就业": "employment", "就业帮扶": "employment", "转移就业": "employment",
    "务工就业": "employment", "教育扶贫": "education", "教育": "education",
    "助学": "education", "教育帮扶": "education", "医疗救助": "health", "健康": "health",
    "医疗保障": "health", "健康帮扶": "health", "危改": "housing",
    "农村危房改造": "housing", "住房保障": "housing", "易地搬迁": "relocation",
    "搬迁": "relocation", "易地扶贫搬迁安置": "relocation", "低保": "dibao",
    "兜底保障": "dibao", "社会保障兜底": "dibao", "扶贫小额信贷": "loan", "小额贷款": "loan",
    "金融扶贫": "loan", "资产收益": "dividend", "分红": "dividend",
    "资产收益扶贫": "dividend", "公益性岗位": "public_job", "公益岗": "public_job",
    "培训": "training", "职业技能培训": "training", "其它": "other",
}
MEASURE_CATEGORIES = ((c.MeasureCategory.DEVELOPMENT, "开发式扶贫"),
                      (c.MeasureCategory.RELOCATION, "搬迁式扶贫"),
                      (c.MeasureCategory.RELIEF, "救助式扶贫"))
MEASURE_STATES = ((c.MeasureState.PLANNED, "计划"), (c.MeasureState.UNDER_WAY, "实施中"),
                  (c.MeasureState.DONE, "已完成"), (c.MeasureState.CANCELLED, "已取消"))
MEASURE_STATE_ALIASES = {
    "计划中": "planned", "拟实施": "planned", "未实施": "planned", "未开始": "planned",
    "进行中": "under_way", "正在实施": "under_way", "在建": "under_way",
    "完成": "done", "已实施": "done", "已落实": "done", "已兑现": "done",
    "取消": "cancelled", "作废": "cancelled", "终止": "cancelled",
}

PHONE_PATTERN = r"^\+?\d[\d-]{4,19}$"
VILLAGE_HEADERS = ("村区划代码", "区划代码", "所属区划代码", "行政区划代码", "统计用区划代码")
HOUSEHOLD_HEADERS = ("户号", "户编码", "贫困户编号")


def _village(**extra) -> Column:
    return Column("region_code", "所在村区划代码", VILLAGE, required=True,
                  header_aliases=VILLAGE_HEADERS, **extra)


def _household(**extra) -> Column:
    return Column("household_number", "户编号", CODE, max_length=30,
                  header_aliases=HOUSEHOLD_HEADERS, **extra)


def _date(column: str) -> pl.Expr:
    """A date fetched from the database (a date on PostgreSQL, ISO text on SQLite)."""
    return pl.col(column).cast(pl.String).str.to_date("%Y-%m-%d", strict=False)


def _not_future(frame, ctx, col: Column) -> pl.DataFrame:
    return add_reasons(frame, [(pl.col(col.name) > pl.lit(ctx.today), cells.message(
        _("%(column)s is in the future"), column=col.header))])


def _in_order(frame, ctx, starts: Column, ends: Column) -> pl.DataFrame:
    """The start is not in the future and the end, which may lie ahead (a planned term), is
    not before it."""
    frame = _not_future(frame, ctx, starts)
    if ends.name not in ctx.present:
        return frame
    return add_reasons(frame, [(pl.col(ends.name) < pl.col(starts.name), cells.message(
        _("%(column)s is before %(earlier)s"), column=ends.header, earlier=starts.header))])


def _name_matches(frame, name: Column, ref_column: Column, ctx) -> pl.DataFrame:
    """A name given beside a party member's ID number is that member's name (the registered
    name is not shown: the reason would tell it to anyone holding the number)."""
    if name.name not in ctx.present or ref_column.name not in ctx.present:
        return frame
    registered = pl.col(ref_field(ref_column.name, "name"))
    return add_reasons(frame, [(
        pl.col(name.name).is_not_null() & registered.is_not_null()
        & (pl.col(name.name) != registered),
        cells.message(_("%(column)s: “%(value)s” is not the name registered for this %(id)s"),
                      column=name.header, value=cells.shown(pl.col(name.name)),
                      id=ref_column.header))])


# --- work teams -----------------------------------------------------------------------------------

TEAM_COLUMNS = (
    _village(),
    Column("name", "工作队名称", TEXT, required=True,
           header_aliases=("驻村工作队名称", "工作队", "队名")),
    Column("dispatching_unit", "派出单位", TEXT, required=True,
           header_aliases=("选派单位", "派驻单位", "派出单位名称")),
    Column("unit_level", "派出单位级别", ENUM, required=True, choices=_pairs(UNIT_LEVELS),
           aliases=UNIT_LEVEL_ALIASES,
           header_aliases=("派出单位层级", "选派单位级别", "单位级别")),
    Column("starts_on", "驻村开始日期", DATE, required=True,
           header_aliases=("开始日期", "派驻日期", "进驻日期", "驻村开始时间")),
    Column("ends_on", "驻村结束日期", DATE,
           header_aliases=("结束日期", "撤离日期", "驻村结束时间")),
)


@register
class TeamRegistry(ModelRegistry):
    """Natural key: village + team name + start date (所在村区划代码+工作队名称+驻村开始日期)."""

    name = "teams"
    verbose_name = gettext_lazy("work teams")
    description = gettext_lazy(
        "One row per work team stationed in a village, identified by the village, the team "
        "name and the start date together; the end date may be the planned end of the term.")
    model = WorkTeam
    columns = TEAM_COLUMNS
    sheet_title = "驻村工作队"
    key = ("region_code", "name", "starts_on")
    region = "region_code"

    def check_rows(self, frame, ctx):
        return _in_order(frame, ctx, self.column("starts_on"), self.column("ends_on"))


# --- work-team members ----------------------------------------------------------------------------

TEAM_MEMBER_COLUMNS = (
    _village(),
    Column("team_name", "工作队名称", TEXT, required=True, max_length=100,
           header_aliases=("驻村工作队名称", "工作队", "所在工作队")),
    Column("team_starts_on", "工作队驻村开始日期", DATE, required=True,
           header_aliases=("工作队开始日期", "工作队派驻日期")),
    Column("name", "姓名", TEXT, required=True, header_aliases=("队员姓名",)),
    Column("role", "队内职务", ENUM, choices=_pairs(TEAM_ROLES), aliases=TEAM_ROLE_ALIASES,
           blank_keeps=True, header_aliases=("职务", "队内分工", "担任职务")),
    Column("unit", "工作单位", TEXT, header_aliases=("派出单位", "单位", "原工作单位")),
    Column("phone", "联系电话", CODE, max_length=20, pattern=PHONE_PATTERN,
           pattern_hint=gettext_lazy("a phone number"), personal=PHONE,
           header_aliases=("电话", "电话号码", "手机号码", "联系方式")),
    Column("member_id_number", "党员身份证号", ID_NUMBER, personal=ID_KIND,
           header_aliases=("身份证号", "身份证号码")),
    Column("starts_on", "驻村开始日期", DATE, required=True,
           header_aliases=("开始日期", "到村日期", "驻村开始时间")),
    Column("ends_on", "驻村结束日期", DATE,
           header_aliases=("结束日期", "离村日期", "驻村结束时间")),
)
TEAM = Ref("team_name", "team", key="name", fetch=("ends_on",),
           match=(("region_code", "region_code"), ("team_starts_on", "starts_on")))
TEAM_MEMBER = Ref("member_id_number", "member", key="id_number", fetch=("name",),
                  in_scope=False)  # sent by a unit elsewhere: their branch is there


@register
class TeamMemberRegistry(ModelRegistry):
    """Natural key: the team (its village, name and start date) + the member's name + their
    start date (工作队+姓名+驻村开始日期)."""

    name = "team_members"
    verbose_name = gettext_lazy("work-team members")
    description = gettext_lazy(
        "One row per member of a work team (the first secretary among them), identified by "
        "the team, the member's name and their start date; the team is named by its village, "
        "name and start date as in the work-team sheet.")
    model = WorkTeamMember
    columns = TEAM_MEMBER_COLUMNS
    sheet_title = "驻村工作队员"
    key = ("team_name", "name", "starts_on")
    refs = (TEAM, TEAM_MEMBER)
    region = "region_code"
    export_fields = {"team_starts_on": "team__starts_on"}

    def check_rows(self, frame, ctx):
        starts, ends = self.column("starts_on"), self.column("ends_on")
        frame = _in_order(frame, ctx, starts, ends)
        frame = _name_matches(frame, self.column("name"), self.column("member_id_number"), ctx)
        checks = [(pl.col("starts_on") < pl.col("team_starts_on"), cells.message(
            _("%(column)s is before the team was stationed (%(date)s)"), column=starts.header,
            date=pl.col("team_starts_on").cast(pl.String)))]
        if "ends_on" in ctx.present:
            team_ends = _date(ref_field("team_name", "ends_on"))
            checks.append((pl.col("ends_on") > team_ends, cells.message(
                _("%(column)s is after the team's term ends (%(date)s)"), column=ends.header,
                date=team_ends.cast(pl.String))))
        return add_reasons(frame, checks)


# --- pairings --------------------------------------------------------------------------------------

PAIRING_COLUMNS = (
    _household(required=True),
    Column("helper_id_number", "帮扶责任人身份证号", ID_NUMBER, required=True,
           personal=ID_KIND, header_aliases=("帮扶人身份证号", "帮扶责任人身份证号码")),
    Column("helper_name", "帮扶责任人姓名", TEXT,
           header_aliases=("帮扶责任人", "帮扶人", "帮扶人姓名")),
    Column("helper_unit", "帮扶责任人单位", TEXT,
           header_aliases=("帮扶人单位", "帮扶单位", "工作单位")),
    Column("unit_level", "单位级别", ENUM, choices=_pairs(UNIT_LEVELS),
           aliases=UNIT_LEVEL_ALIASES, header_aliases=("帮扶单位级别", "帮扶责任人单位级别")),
    Column("starts_on", "开始日期", DATE, required=True,
           header_aliases=("结对日期", "帮扶开始日期", "结对开始日期")),
    Column("ends_on", "结束日期", DATE, header_aliases=("帮扶结束日期", "结对结束日期")),
    Column("end_reason", "结束原因", ENUM, choices=_pairs(END_REASONS),
           aliases=END_REASON_ALIASES, header_aliases=("结对结束原因", "调整原因")),
)
HOUSEHOLD = Ref("household_number", "household", key="number", fetch=("status",))
HELPER = Ref("helper_id_number", "helper", key="id_number", fetch=("name", "stage", "left_on"),
             in_scope=False)  # helpers come from units above the villages they help
CURRENT_STAGES = ("probationary", "full")


@register
class PairingRegistry(ModelRegistry):
    """Natural key: household + helper + start date (户编号+帮扶责任人身份证号+开始日期)."""

    name = "pairings"
    verbose_name = gettext_lazy("household pairings")
    description = gettext_lazy(
        "One row per pairing of a helper (a party member, by ID number) with a household (by "
        "household number), identified by both and the start date. A household has at most "
        "one current pairing: a file may end the old one and start the new.")
    model = Pairing
    columns = PAIRING_COLUMNS
    sheet_title = "结对帮扶"
    key = ("household_number", "helper_id_number", "starts_on")
    refs = (HOUSEHOLD, HELPER)
    region = "household_number"
    export_fields = {"helper_name": "helper__name"}

    def _current(self, ctx) -> pl.Expr:
        """Rows that leave the pairing current. Without an end-date column an import keeps
        the registered end dates: then only the new rows are current for sure."""
        if "ends_on" in ctx.present:
            return pl.col("ends_on").is_null()
        return pl.col(ID).is_null()

    def check_rows(self, frame, ctx):
        frame = dates_in_order(frame, ctx, [self.column("starts_on"), self.column("ends_on")])
        frame = _name_matches(frame, self.column("helper_name"),
                              self.column("helper_id_number"), ctx)
        # A row that makes a pairing current (new, or reopening an ended one) needs a household
        # in need and a helper who is a member now.
        current = self._current(ctx)
        was_current = _currently_open(frame.get_column(ID))
        becomes = current & (pl.col(ID).is_null() | ~pl.col(ID).is_in(was_current))
        status = pl.col(ref_field("household_number", "status"))
        labels = {str(v): str(label) for v, label in PovertyStatus.choices}
        helper_found = pl.col(ref_id("helper_id_number")).is_not_null()
        checks = [
            (becomes & status.is_not_null() & ~status.is_in(rules.helped_statuses()),
             cells.message(_("%(column)s: household “%(value)s” is %(status)s; only households "
                             "in need are paired with a helper"),
                           column=self.column("household_number").header,
                           value=cells.shown(pl.col("household_number")),
                           status=status.replace_strict(labels, default=status))),
            (becomes & helper_found & (
                ~pl.col(ref_field("helper_id_number", "stage")).is_in(CURRENT_STAGES)
                | pl.col(ref_field("helper_id_number", "left_on")).is_not_null()),
             cells.message(_("%(column)s: this person is not a current party member "
                             "(probationary or full)"),
                           column=self.column("helper_id_number").header)),
        ]
        if "end_reason" in ctx.present:
            ends = pl.col("ends_on") if "ends_on" in ctx.present else pl.lit(None, pl.Date)
            checks.append((pl.col("end_reason").is_not_null() & ends.is_null(), cells.message(
                _("%(column)s is given, but not %(ends)s"), column=self.column("end_reason")
                .header, ends=self.column("ends_on").header)))
        return add_reasons(frame, checks)

    def check_across(self, rows, ctx):
        """At most one current pairing per household, in the registry and the file together:
        a registered current pairing stays current unless a row of the file ends it."""
        household = ref_id("household_number")
        file = rows.filter(pl.col(KEY).is_not_null() & pl.col(household).is_not_null()).select(
            ROW, KEY, household, "household_number", self._current(ctx).alias("__current")
        ).collect(engine="streaming")
        current = file.filter("__current")
        if current.is_empty():
            return []
        meta, households = Pairing._meta, Household._meta
        registered = db.lookup(
            f"SELECT {self._key_sql()}, CAST(t.household_id AS TEXT), t.starts_on "  # noqa: S608
            f"FROM {db.qn(meta.db_table)} t JOIN {db.qn(households.db_table)} h "
            f"ON h.{db.qn(households.pk.column)} = t.household_id "
            f"WHERE t.ends_on IS NULL AND h.{db.qn(households.get_field('number').column)}",
            current.get_column("household_number").unique().to_list(),
            columns=[KEY, "__household", "__since"])
        # Registered current pairings the file does not list stay as they are.
        staying = registered.with_columns(pl.col(KEY).cast(pl.String)).join(
            file.select(KEY), on=KEY, how="anti").select(
            pl.col("__household").cast(pl.Int64).alias(household),
            pl.col("__since").cast(pl.String)).unique(household, keep="first")
        header = self.column("household_number").header
        out = [current.join(staying, on=household, how="inner").select(ROW, cells.message(
            _("%(column)s: the household already has a current pairing (since %(date)s) that "
              "this file does not end"), column=header, date=pl.col("__since")).alias(REASON))]
        firsts = current.group_by(household).agg(pl.col(ROW).min().alias("__first"))
        out.append(current.join(firsts, on=household).filter(pl.col(ROW) != pl.col("__first"))
                   .select(ROW, cells.message(
                       _("%(column)s: row %(row)s already gives this household a current "
                         "pairing; a household has one at a time"), column=header,
                       row=pl.col("__first").cast(pl.String)).alias(REASON)))
        return out


def _currently_open(ids: pl.Series) -> pl.Series:
    """Which of the registered pairings `ids` have no end date now."""
    wanted = ids.drop_nulls().unique().to_list()
    found: list[int] = []
    for start in range(0, len(wanted), 5000):
        found += Pairing._base_manager.filter(
            pk__in=wanted[start:start + 5000], ends_on__isnull=True).values_list("pk", flat=True)
    return pl.Series(found, dtype=pl.Int64)


# --- visits ----------------------------------------------------------------------------------------

VISIT_COLUMNS = (
    _village(),
    _household(),
    Column("visitor_name", "走访人", TEXT, required=True,
           header_aliases=("走访人姓名", "走访人员", "帮扶人")),
    Column("visitor_id_number", "走访人身份证号", ID_NUMBER, personal=ID_KIND,
           header_aliases=("走访人身份证号码",)),
    Column("kind", "走访方式", ENUM, choices=_pairs(VISIT_KINDS), aliases=VISIT_KIND_ALIASES,
           blank_keeps=True, header_aliases=("走访形式", "方式")),
    Column("visited_on", "走访日期", DATE, required=True, header_aliases=("走访时间", "日期")),
    Column("findings", "发现问题", TEXT, required=True,
           header_aliases=("走访情况", "存在问题", "了解情况")),
    Column("help_given", "帮扶内容", TEXT, header_aliases=("帮扶措施", "帮扶情况")),
    Column("follow_up", "后续跟进", TEXT, header_aliases=("跟进措施", "下一步打算")),
)
VISITED = Ref("household_number", "household", key="number")
VISITOR = Ref("visitor_id_number", "visitor", key="id_number", fetch=("name",), in_scope=False)


@register
class VisitRegistry(ModelRegistry):
    """Natural key: village + household (blank for a visit to the village) + date + visitor's
    name (所在村区划代码+户编号+走访日期+走访人)."""

    name = "visits"
    verbose_name = gettext_lazy("visits")
    description = gettext_lazy(
        "One row per visit to a household (by household number) or, with the household left "
        "blank, to the village, identified by the village, the household, the date and the "
        "visitor's name. A helper imports visits to their own households only.")
    model = Visit
    columns = VISIT_COLUMNS
    sheet_title = "走访记录"
    key = ("region_code", "household_number", "visited_on", "visitor_name")
    optional_key = ("household_number",)
    refs = (VISITED, VISITOR)
    region = "region_code"
    derived = ("kind",)

    def check_rows(self, frame, ctx):
        frame = _not_future(frame, ctx, self.column("visited_on"))
        frame = _name_matches(frame, self.column("visitor_name"),
                              self.column("visitor_id_number"), ctx)
        household = pl.col("household_number").is_not_null()
        given = pl.col("kind") if "kind" in ctx.present else pl.lit(None, pl.String)
        village = pl.lit(str(c.VisitKind.VILLAGE))
        kind_header = self.column("kind").header
        checks = [
            (household & (given == village), cells.message(
                _("%(column)s: a visit to a household is a home visit or a phone call"),
                column=kind_header)),
            (~household & given.is_not_null() & (given != village), cells.message(
                _("%(column)s: a visit without a household is a visit to the village"),
                column=kind_header)),
        ]
        if "household_number" in ctx.present:
            registered = pl.col(ref_field("household_number", "region_code"))
            checks.append((registered.is_not_null() & (registered != pl.col("region_code")),
                           cells.message(_("%(column)s: household “%(value)s” is in village "
                                           "%(region)s, not %(village)s"),
                                         column=self.column("household_number").header,
                                         value=cells.shown(pl.col("household_number")),
                                         region=registered, village=pl.col("region_code"))))
        if role_of(ctx.user) == Role.HELPER:
            checks.append((~household, cells.message(
                _("%(column)s: a helper records visits to their own households only"),
                column=self.column("household_number").header)))
        frame = add_reasons(frame, checks)
        # A new visit without a kind: a home visit, or a visit to the village; a registered
        # one keeps its kind (the column keeps on blank).
        default = pl.when(household).then(pl.lit(str(c.VisitKind.HOME))).otherwise(village)
        return frame.with_columns(
            pl.when(given.is_null() & pl.col(ID).is_null()).then(default).otherwise(given)
            .alias("kind"))


# --- measures --------------------------------------------------------------------------------------

MEASURE_COLUMNS = (
    _household(required=True),
    Column("category", "措施类别", ENUM, choices=_pairs(MEASURE_CATEGORIES), export_only=True),
    Column("kind", "措施类型", ENUM, required=True, choices=_pairs(MEASURE_KINDS),
           aliases=MEASURE_KIND_ALIASES, header_aliases=("帮扶措施", "措施", "帮扶类型")),
    Column("year", "年度", INT, required=True, min_value=1980, max_value=2100,
           header_aliases=("年份", "实施年度")),
    Column("state", "状态", ENUM, choices=_pairs(MEASURE_STATES), aliases=MEASURE_STATE_ALIASES,
           blank_keeps=True, header_aliases=("实施状态", "落实情况", "进度")),
    Column("amount", "金额(元)", DECIMAL, min_value=0,
           header_aliases=("金额", "资金(元)", "帮扶资金(元)", "投入资金(元)")),
    Column("done_on", "完成日期", DATE, header_aliases=("完成时间", "落实日期")),
    Column("description", "措施内容", TEXT, header_aliases=("具体措施", "内容")),
    Column("effect", "成效", TEXT, header_aliases=("帮扶成效", "效果")),
)
CATEGORY_OF = {str(kind): str(c.MeasureKind.category_of(kind)) for kind in c.MeasureKind.values}


@register
class MeasureRegistry(ModelRegistry):
    """Natural key: household + year + kind (户编号+年度+措施类型)."""

    name = "measures"
    verbose_name = gettext_lazy("assistance measures")
    description = gettext_lazy(
        "One row per assistance measure in a household's plan (一户一策), identified by the "
        "household number, the year and the kind of measure; the category follows from the "
        "kind.")
    model = Measure
    columns = MEASURE_COLUMNS
    sheet_title = "帮扶措施"
    key = ("household_number", "year", "kind")
    refs = (HOUSEHOLD,)
    region = "household_number"
    derived = ("category",)  # Measure.save() sets it; bulk writes do not call save()

    def check_rows(self, frame, ctx):
        done_on = self.column("done_on")
        # The state after the import: as given, the default for a new measure, unknown (kept)
        # for a registered one with a blank cell.
        state = pl.col("state") if "state" in ctx.present else pl.lit(None, pl.String)
        state = pl.when(state.is_null() & pl.col(ID).is_null()).then(
            pl.lit(str(c.MeasureState.PLANNED))).otherwise(state)
        done = state == str(c.MeasureState.DONE)
        given = pl.col("done_on") if "done_on" in ctx.present else pl.lit(None, pl.Date)
        checks = [
            (state.is_not_null() & ~done & given.is_not_null(), cells.message(
                _("%(column)s is given, but the measure is not done"), column=done_on.header)),
            (done & given.is_null(), cells.message(
                _("%(column)s is required for a measure that is done"), column=done_on.header)),
        ]
        if "done_on" in ctx.present:
            frame = _not_future(frame, ctx, done_on)
        frame = add_reasons(frame, checks)
        return frame.with_columns(pl.col("kind").replace_strict(
            CATEGORY_OF, default=None, return_dtype=pl.String).alias("category"))


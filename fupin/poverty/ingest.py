"""The households registry for import and export (贫困户及家庭成员导入导出).

One row per person, the household's columns repeated on each of its rows (or given once, on
any of them: blank household cells agree with the others). Natural keys: the household number
(`Household.number`) and the person's ID number (`Person.id_number`).

Rules beyond the per-cell checks:
- an ID number appears once in the file, and an ID number already registered belongs to the
  same household number;
- a household's rows agree on its columns, it has exactly one head (户主), and it stays in its
  village (moving a household is a procedure, not an import);
- a household that exists lists all the members the database has (members are never removed
  by an import; `members_count` and `head_name` are derived from the rows);
- a new household needs its identification year.
Blank cells in attribute, status, identification year, sex, birth date, ethnicity, health and
labour capacity mean "not given" (kept, or the default for a new record; sex and birth date are
read from the ID number); blank cells elsewhere clear the field.
"""

from __future__ import annotations

import polars as pl
from django.db.models import Case, IntegerField, Value, When
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core import db
from fupin.core.masking import BANK_ACCOUNT, HEALTH, PHONE
from fupin.core.masking import ID_NUMBER as ID_KIND
from fupin.ingest import cells, records
from fupin.ingest.pipeline import (
    REASON,
    ROW,
    ConcurrentChange,
    add_reasons,
    disagreements,
    duplicates,
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
    Counts,
    Registry,
    register,
)
from fupin.poverty import choices as c
from fupin.poverty.models import Household, Person
from fupin.regions import scope as region_scope

# --- enumerations: Chinese labels (the template's lists) and the other forms officials write ----

ATTRIBUTES = ((c.HouseholdAttribute.ORDINARY, "一般"), (c.HouseholdAttribute.DIBAO, "低保"),
              (c.HouseholdAttribute.SUPPORT, "特困供养"))
ATTRIBUTE_ALIASES = {
    "一般贫困户": "ordinary", "一般户": "ordinary", "低保贫困户": "dibao", "低保户": "dibao",
    "特困供养贫困户": "support", "特困供养(五保)贫困户": "support", "特困供养户": "support",
    "五保": "support", "五保户": "support", "五保贫困户": "support",
}
STATUSES = ((c.PovertyStatus.POOR, "贫困"), (c.PovertyStatus.LOW_INCOME, "低收入"),
            (c.PovertyStatus.EXITED, "已脱贫"), (c.PovertyStatus.MONITORED, "监测"),
            (c.PovertyStatus.RELAPSED, "返贫"), (c.PovertyStatus.REMOVED, "已清退"))
STATUS_ALIASES = {
    "贫困户": "poor", "未脱贫": "poor", "贫困人口": "poor", "低收入户": "low_income",
    "低收入人口": "low_income", "脱贫": "exited", "脱贫户": "exited", "已脱贫户": "exited",
    "监测对象": "monitored", "防返贫监测": "monitored", "监测户": "monitored",
    "返贫户": "relapsed", "清退": "removed", "剔除": "removed", "已剔除": "removed",
}
CAUSES = ((c.PovertyCause.ILLNESS, "因病"), (c.PovertyCause.DISABILITY, "因残"),
          (c.PovertyCause.SCHOOLING, "因学"), (c.PovertyCause.DISASTER, "因灾"),
          (c.PovertyCause.LAND, "缺土地"), (c.PovertyCause.WATER, "缺水"),
          (c.PovertyCause.SKILLS, "缺技术"), (c.PovertyCause.LABOUR, "缺劳力"),
          (c.PovertyCause.FUNDS, "缺资金"), (c.PovertyCause.TRANSPORT, "交通条件落后"),
          (c.PovertyCause.MOTIVATION, "自身发展动力不足"))
CAUSE_ALIASES = {
    **{f"{label}致贫": value for value, label in CAUSES},
    "缺劳动力": "labour", "交通落后": "transport", "交通条件落后致贫": "transport",
    "缺乏技术": "skills", "缺乏资金": "funds", "缺少土地": "land", "缺乏劳动力": "labour",
    "自身动力不足": "motivation", "内生动力不足": "motivation",
}
RELATIONS = ((c.Relation.HEAD, "户主"), (c.Relation.SPOUSE, "配偶"), (c.Relation.SON, "子"),
             (c.Relation.DAUGHTER, "女"), (c.Relation.SON_IN_LAW, "女婿"),
             (c.Relation.DAUGHTER_IN_LAW, "儿媳"), (c.Relation.GRANDCHILD, "孙子女"),
             (c.Relation.PARENT, "父母"), (c.Relation.GRANDPARENT, "祖父母"),
             (c.Relation.SIBLING, "兄弟姐妹"), (c.Relation.OTHER, "其他"))
# The names of GB/T 4761 (家庭关系代码) and their everyday forms, by our categories.
_RELATION_NAMES = {
    "head": "本人 本人(户主) 户主本人",
    "spouse": "夫 妻 丈夫 妻子 配偶(夫) 配偶(妻)",
    "son": "儿子 独生子 长子 次子 三子 四子 五子 养子或继子 养子 继子 其他儿子",
    "daughter": "女儿 独生女 长女 次女 三女 四女 五女 养女或继女 养女 继女 其他女儿",
    "son_in_law": "女婿",
    "daughter_in_law": "儿媳妇",
    "grandchild": "孙子 孙女 外孙子 外孙女 孙子、孙女或外孙子、外孙女 孙子女或外孙子女 外孙子女 "
                  "孙媳妇或外孙媳妇 孙媳妇 孙女婿或外孙女婿 孙女婿 曾孙子或外曾孙子 曾孙女或外曾孙女 "
                  "曾孙子 曾孙女 其他孙子、孙女或外孙子、外孙女",
    "parent": "父亲 母亲 父 母 公公 婆婆 岳父 岳母 继父或养父 继母或养母 继父 继母 养父 养母 "
              "其他父母关系",
    "grandparent": "祖父母或外祖父母 祖父 祖母 外祖父 外祖母 曾祖父 曾祖母 其他祖父母或外祖父母",
    "sibling": "兄 哥哥 嫂 嫂子 弟 弟弟 弟媳 姐姐 姐 姐夫 妹妹 妹 妹夫 兄弟 姐妹 其他兄弟姐妹",
    "other": "其他亲属 非亲属 伯父 伯母 叔父 婶母 舅父 舅母 姨父 姨母 姑父 姑母 堂兄弟 堂姐妹 "
             "堂兄弟、堂姐妹 表兄弟 表姐妹 表兄弟、表姐妹 侄子 侄女 外甥 外甥女 其他亲戚",
}
RELATION_ALIASES = {name: value for value, names in _RELATION_NAMES.items()
                    for name in names.split()}
SEXES = ((c.Sex.MALE, "男"), (c.Sex.FEMALE, "女"))
SEX_ALIASES = {"男性": "M", "女性": "F", "male": "M", "female": "F"}
ETHNIC_NAMES = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 "
    "达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 "
    "俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()
ETHNICITIES = tuple(zip(c.Ethnicity.values, ETHNIC_NAMES, strict=True))  # GB 3304 order


def _english(choices) -> list[str]:
    # The English names ("Miao"), whatever language this process happens to be in.
    with translation.override("en"):
        return [str(label) for label in choices.labels]


ETHNICITY_ALIASES = {
    **{name.removesuffix("族"): code for code, name in ETHNICITIES},
    **{str(int(code)): code for code, _name in ETHNICITIES},  # "6" from a number cell
    **{label: code for code, label in zip(c.Ethnicity.values, _english(c.Ethnicity),
                                          strict=True)},
}
EDUCATIONS = ((c.Education.PRESCHOOL, "学龄前儿童"), (c.Education.ILLITERATE, "文盲或半文盲"),
              (c.Education.PRIMARY, "小学"), (c.Education.JUNIOR, "初中"),
              (c.Education.SENIOR, "高中或中专"), (c.Education.COLLEGE, "大专及以上"))
EDUCATION_ALIASES = {
    "学龄前": "preschool", "文盲": "illiterate", "半文盲": "illiterate", "文盲半文盲": "illiterate",
    "高中": "senior", "中专": "senior", "职高": "senior", "技校": "senior",
    "高中(含中专)": "senior", "大专": "college", "本科": "college", "大学": "college",
    "本科及以上": "college", "研究生": "college",
}
HEALTHS = ((c.Health.HEALTHY, "健康"), (c.Health.CHRONIC, "长期慢性病"),
           (c.Health.SERIOUS, "患有大病"), (c.Health.DISABLED, "残疾"))
HEALTH_ALIASES = {"慢性病": "chronic", "长期慢性病患者": "chronic", "大病": "serious",
                  "患大病": "serious", "重病": "serious", "残疾人": "disabled"}
LABOUR = ((c.LabourCapacity.ORDINARY, "普通劳动力"), (c.LabourCapacity.SKILLED, "技能劳动力"),
          (c.LabourCapacity.LOST, "丧失劳动力"), (c.LabourCapacity.NONE, "无劳动力"))
LABOUR_ALIASES = {"普通": "ordinary", "技能": "skilled", "丧失": "lost", "无": "none"}


def _choices(pairs):
    return tuple((str(value), label) for value, label in pairs)


COLUMNS = (
    Column("household_number", "户编号", CODE, required=True, max_length=30,
           header_aliases=("户号", "户编码", "贫困户编号", "number")),
    Column("region_code", "村区划代码", VILLAGE, required=True,
           header_aliases=("区划代码", "所属区划代码", "村代码", "行政区划代码", "统计用区划代码")),
    Column("attribute", "贫困户属性", ENUM, choices=_choices(ATTRIBUTES),
           aliases=ATTRIBUTE_ALIASES, blank_keeps=True, header_aliases=("户属性",)),
    Column("status", "贫困状态", ENUM, choices=_choices(STATUSES), aliases=STATUS_ALIASES,
           blank_keeps=True, header_aliases=("户状态", "状态")),
    Column("identification_year", "识别年度", INT, min_value=1949, max_value=2100,
           blank_keeps=True, header_aliases=("识别年份", "建档立卡年度")),
    Column("main_cause", "主要致贫原因", ENUM, choices=_choices(CAUSES), aliases=CAUSE_ALIASES,
           header_aliases=("致贫原因",)),
    Column("income_per_capita", "人均纯收入(元)", DECIMAL,
           header_aliases=("人均纯收入", "人均收入", "家庭人均纯收入")),
    Column("phone", "联系电话", CODE, max_length=20, pattern=r"^\+?\d[\d-]{4,19}$",
           pattern_hint=gettext_lazy("a phone number"), personal=PHONE,
           header_aliases=("电话", "电话号码", "手机号码", "联系方式")),
    Column("bank_account", "银行账号", CODE, max_length=32, pattern=r"^\d{8,32}$",
           pattern_hint=gettext_lazy("a bank account number (8 to 32 digits)"),
           personal=BANK_ACCOUNT, header_aliases=("银行卡号", "一卡通账号", "开户账号")),
    Column("name", "姓名", TEXT, required=True, max_length=50, header_aliases=("成员姓名",)),
    Column("id_number", "身份证号", ID_NUMBER, required=True, personal=ID_KIND,
           header_aliases=("身份证号码", "公民身份号码", "证件号码")),
    Column("relation", "与户主关系", ENUM, required=True, choices=_choices(RELATIONS),
           aliases=RELATION_ALIASES, header_aliases=("家庭关系",)),
    Column("sex", "性别", ENUM, choices=_choices(SEXES), aliases=SEX_ALIASES, blank_keeps=True),
    Column("birth_date", "出生日期", DATE, blank_keeps=True),
    Column("ethnicity", "民族", ENUM, choices=_choices(ETHNICITIES), aliases=ETHNICITY_ALIASES,
           blank_keeps=True),
    Column("education", "文化程度", ENUM, choices=_choices(EDUCATIONS),
           aliases=EDUCATION_ALIASES, header_aliases=("学历",)),
    Column("health", "健康状况", ENUM, choices=_choices(HEALTHS), aliases=HEALTH_ALIASES,
           personal=HEALTH, blank_keeps=True),
    Column("labour_capacity", "劳动能力", ENUM, choices=_choices(LABOUR), aliases=LABOUR_ALIASES,
           blank_keeps=True, header_aliases=("劳动技能",)),
)
HOUSEHOLD_COLUMNS = ("household_number", "region_code", "attribute", "status",
                     "identification_year", "main_cause", "income_per_capita", "phone",
                     "bank_account")
PERSON_COLUMNS = ("name", "id_number", "relation", "sex", "birth_date", "ethnicity",
                  "education", "health", "labour_capacity")
KEEP = {col.name for col in COLUMNS if col.blank_keeps}
HEAD = str(c.Relation.HEAD)
_EMPTY_SCHEMA = {"id_number": pl.String, "person_id": pl.Int64}
_EMPTY_HOUSEHOLDS = {"household_number": pl.String, "household_id": pl.Int64,
                     "db_region": pl.String}


def _table(model) -> str:
    return db.qn(model._meta.db_table)


@register
class HouseholdRegistry(Registry):
    name = "households"
    verbose_name = gettext_lazy("households")
    model = Household
    columns = COLUMNS
    entities = ("households", "persons")
    sheet_title = "贫困户家庭成员"

    def entity_labels(self) -> dict[str, str]:
        return {"households": _("households"), "persons": _("persons")}

    # --- per chunk ---------------------------------------------------------------------------
    def check_chunk(self, frame: pl.DataFrame, ctx) -> pl.DataFrame:
        frame = records.identity_checks(frame, ctx)
        frame = self._against_persons(frame, ctx)
        return self._against_households(frame, ctx)

    def _against_persons(self, frame, ctx):
        """An ID number already registered belongs to the same household number."""
        if not ctx.state.setdefault("persons_exist", db.has_rows(Person)):
            return frame
        ids = frame.get_column("id_number").drop_nulls().unique().to_list()
        found = db.lookup(
            f"SELECT p.id_number, p.id, h.number, h.region_code FROM {_table(Person)} p "  # noqa: S608
            f"JOIN {_table(Household)} h ON h.id = p.household_id WHERE p.id_number", ids,
            columns=["id_number", "person_id", "db_number", "db_region"])
        if found.is_empty():
            return frame
        found = found.with_columns(pl.col("person_id").cast(pl.Int64))
        frame = frame.join(found, on="id_number", how="left")
        other = pl.col("db_number").is_not_null() & (pl.col("db_number") != pl.col("household_number"))
        header = self.column("id_number").header
        inside = _in_scope("db_region", ctx)
        frame = add_reasons(frame, [
            (other & inside, cells.message(
                _("%(column)s is already registered to household %(number)s"),
                column=header, number=pl.col("db_number"))),
            (other & ~inside, cells.message(
                _("%(column)s is already registered to a household in another region"),
                column=header))])
        ctx.state.setdefault("persons", []).append(
            frame.filter(pl.col("person_id").is_not_null() & ~other.fill_null(False))
            .select("id_number", "person_id"))
        return frame.drop("person_id", "db_number", "db_region")

    def _against_households(self, frame, ctx):
        """A household number already registered stays in its village."""
        seen: set = ctx.state.setdefault("seen_households", set())
        numbers = [n for n in frame.get_column("household_number").drop_nulls().unique().to_list()
                   if n not in seen]
        seen.update(numbers)
        if not ctx.state.setdefault("households_exist", db.has_rows(Household)):
            return frame
        found = db.lookup(
            f"SELECT number, id, region_code FROM {_table(Household)} WHERE number", numbers,  # noqa: S608
            columns=["household_number", "household_id", "db_region"])
        if not found.is_empty():
            found = found.with_columns(pl.col("household_id").cast(pl.Int64))
            ctx.state.setdefault("households", []).append(found)
        known = ctx.state.get("households")
        if not known:
            return frame
        if len(known) > 1:
            known[:] = [pl.concat(known)]
        frame = frame.join(known[0].select("household_number", "db_region"),
                           on="household_number", how="left")
        moved = pl.col("db_region").is_not_null() & pl.col("region_code").is_not_null() & (
            pl.col("db_region") != pl.col("region_code"))
        header = self.column("household_number").header
        inside = _in_scope("db_region", ctx)
        frame = add_reasons(frame, [
            (moved & inside, cells.message(
                _("%(column)s %(number)s is registered in village %(region)s; moving a "
                  "household is not done by import"), column=header,
                number=pl.col("household_number"), region=pl.col("db_region"))),
            (moved & ~inside, cells.message(
                _("%(column)s %(number)s is registered in another region"), column=header,
                number=pl.col("household_number")))])
        return frame.drop("db_region")

    # --- across the file ---------------------------------------------------------------------
    def check_file(self, rows: pl.LazyFrame, ctx):
        parts = [duplicates(rows, "id_number", self.column("id_number").header).lazy()]
        group_columns = [self.column(n) for n in HOUSEHOLD_COLUMNS[1:] if n in ctx.present]
        parts.append(disagreements(rows, "household_number", group_columns).lazy())
        per_household = rows.filter(pl.col("household_number").is_not_null()).group_by(
            "household_number").agg(
            pl.col(ROW).min().alias("first"),
            pl.col(ROW).filter(pl.col("relation") == HEAD).sort().alias("heads"),
            (pl.col("identification_year").drop_nulls().len() if "identification_year"
             in ctx.present else pl.lit(0, pl.UInt32)).alias("years"),
        ).collect(engine="streaming")
        relation = self.column("relation").header
        parts.append(per_household.filter(pl.col("heads").list.len() == 0).select(
            pl.col("first").alias(ROW), cells.message(
                _("the household has no row whose %(column)s is 户主 (head)"),
                column=relation).alias(REASON)).lazy())
        parts.append(per_household.filter(pl.col("heads").list.len() > 1).select(
            pl.col("heads").list.get(0).alias("head"), pl.col("heads").list.slice(1).alias(ROW)
        ).explode(ROW).select(ROW, cells.message(
            _("a second head of household (the first is in row %(row)s)"),
            row=pl.col("head").cast(pl.String)).alias(REASON)).lazy())
        existing = self._existing_households(ctx)
        new = per_household.join(existing.select("household_number"), on="household_number",
                                 how="anti")
        parts.append(new.filter(pl.col("years") == 0).select(
            pl.col("first").alias(ROW), cells.message(
                _("%(column)s is required for a new household"),
                column=self.column("identification_year").header).alias(REASON)).lazy())
        parts.append(self._members_missing(rows, existing, per_household).lazy())
        return pl.concat([p.select(pl.col(ROW).cast(pl.UInt32), REASON) for p in parts])

    def _existing_households(self, ctx) -> pl.DataFrame:
        known = ctx.state.get("households")
        if not known:
            return pl.DataFrame(schema=_EMPTY_HOUSEHOLDS)
        return pl.concat(known).unique("household_number")

    def _members_missing(self, rows, existing, per_household) -> pl.DataFrame:
        """Existing households whose members in the database are not all in the file."""
        empty = pl.DataFrame(schema={ROW: pl.UInt32, REASON: pl.String})
        if existing.is_empty():
            return empty
        members = db.lookup(
            f"SELECT h.number, p.id_number FROM {_table(Person)} p JOIN {_table(Household)} h "  # noqa: S608
            f"ON h.id = p.household_id WHERE h.number",
            existing.get_column("household_number").to_list(),
            columns=["household_number", "id_number"])
        if members.is_empty():
            return empty
        listed = rows.select("household_number", "id_number").filter(
            pl.col("id_number").is_not_null()).collect(engine="streaming")
        missing = members.join(listed, on=["household_number", "id_number"], how="anti")
        if missing.is_empty():
            return empty
        return missing.group_by("household_number").agg(pl.len().alias("n")).join(
            per_household.select("household_number", "first"), on="household_number"
        ).select(pl.col("first").alias(ROW), cells.message(
            _("the database lists %(n)s more member(s) of this household; its rows must list "
              "all its members (remove a member in the registry, not by import)"),
            n=pl.col("n").cast(pl.String)).alias(REASON))

    # --- writing -----------------------------------------------------------------------------
    def write(self, spill, ctx) -> dict[str, Counts]:
        rows = spill.scan()
        present = ctx.present
        hh_given = [n for n in HOUSEHOLD_COLUMNS[1:] if n in present]
        households = rows.group_by("household_number").agg(
            *[pl.col(n).drop_nulls().first() for n in hh_given],
            pl.len().cast(pl.Int64).alias("members_count"),
            pl.col("name").filter(pl.col("relation") == HEAD).first().alias("head_name"),
        ).collect(engine="streaming")
        existing = self._existing_households(ctx)
        households = households.join(existing.select("household_number", "household_id"),
                                     on="household_number", how="left")
        households = _household_values(households, hh_given)
        new_h = households.filter(pl.col("household_id").is_null())
        old_h = households.filter(pl.col("household_id").is_not_null())
        person_ids = (pl.concat(ctx.state["persons"]).unique("id_number")
                      if ctx.state.get("persons") else pl.DataFrame(schema=_EMPTY_SCHEMA))
        p_given = [n for n in PERSON_COLUMNS if n in present or n in ("sex", "birth_date")]

        model_columns = {f.column for f in Household._meta.concrete_fields}
        h_columns = [n for n in old_h.columns if n in model_columns and n not in ("id", "number")]
        stage_h = db.Staging(Household, h_columns)
        stage_h.load(old_h.rename({"household_id": "id"}))
        updated_h = stage_h.changed(KEEP)
        p_columns = ["household_id", "region_code", *p_given]
        stage_p = db.Staging(Person, p_columns)
        created_p = 0
        for chunk in spill.chunks():
            chunk = _person_values(chunk.join(person_ids, on="id_number", how="left"),
                                   p_given).join(existing.select("household_number",
                                                                 "household_id"),
                                                 on="household_number", how="left")
            old = chunk.filter(pl.col("person_id").is_not_null())
            stage_p.load(old.rename({"person_id": "id"}))
            created_p += chunk.height - old.height
        updated_p = stage_p.changed(KEEP)
        counts = {
            "households": Counts(created=new_h.height, updated=updated_h,
                                 unchanged=old_h.height - updated_h),
            "persons": Counts(created=created_p, updated=updated_p,
                              unchanged=stage_p.rows - updated_p),
        }
        bounds = rows.select(pl.col("region_code").min().alias("lo"),
                             pl.col("region_code").max().alias("hi")).collect(engine="streaming").row(0)
        batch = ctx.begin_batch(counts, bounds)
        if batch is None:
            _drop(stage_h, stage_p)
            return counts
        now = db.timestamp(ctx.now)
        stamp = {"updated_at": now, "updated_by_id": ctx.user_id, "batch_id": batch}
        created = {"created_at": now, "created_by_id": ctx.user_id, **stamp}

        ids = db.allocate_ids(Household, new_h.height)
        new_h = new_h.with_columns(ids.alias("household_id"))
        db.copy_rows(Household._meta.db_table, records.with_defaults(
            Household, new_h.rename({"household_id": "id"}), created, KEEP))
        if stage_h.apply(KEEP, stamp) != updated_h:
            raise ConcurrentChange
        all_ids = pl.concat([existing.select("household_number", "household_id"),
                             new_h.select(pl.col("number").alias("household_number"),
                                          "household_id")])
        def new_persons():
            done = 0
            for chunk in spill.chunks():
                chunk = _person_values(chunk.join(person_ids, on="id_number", how="anti"),
                                       p_given).join(all_ids, on="household_number", how="left")
                yield records.with_defaults(Person, chunk.select(p_columns), created, KEEP)
                done += chunk.height
                ctx.report("write", done, spill.rows)

        db.copy_frames(Person._meta.db_table, new_persons())
        if stage_p.apply(KEEP, stamp) != updated_p:
            raise ConcurrentChange
        _drop(stage_h, stage_p)
        return counts

    # --- export ------------------------------------------------------------------------------
    def export_frames(self, user, region_code):
        from fupin.core.policy import restrict
        from fupin.regions.scope import within

        queryset = Person._base_manager.all() if user is None else \
            restrict(Person._base_manager.all(), user, "view")
        if region_code:
            queryset = queryset.filter(within(region_code))
        fields = ["household__number", "region_code", "household__attribute",
                  "household__status", "household__identification_year", "household__main_cause",
                  "household__income_per_capita", "household__phone", "household__bank_account",
                  *PERSON_COLUMNS]
        queryset = queryset.annotate(head_first=Case(
            When(relation=HEAD, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("household__number", "head_first", "id").values_list(*fields)
        schema = {name: pl.String for name in (*HOUSEHOLD_COLUMNS, *PERSON_COLUMNS)}
        schema.update(identification_year=pl.Int64, income_per_capita=pl.Decimal(14, 2),
                      birth_date=pl.Date)
        batch = []
        for row in queryset.iterator(chunk_size=5000):
            batch.append(row)
            if len(batch) >= 50000:
                yield pl.DataFrame(batch, schema=schema, orient="row")
                batch = []
        if batch:
            yield pl.DataFrame(batch, schema=schema, orient="row")


def _in_scope(column: str, ctx) -> pl.Expr:
    if not ctx.scope:
        return pl.lit(True)
    low, high = region_scope.bounds(ctx.scope)
    return (pl.col(column) >= low) & (pl.col(column) <= high)


_CLEARED_TEXT = ("main_cause", "phone", "bank_account", "education")


def _household_values(frame: pl.DataFrame, given: list[str]) -> pl.DataFrame:
    """Household rows as Household columns: `number`, blanks that clear a text field as ""."""
    return frame.rename({"household_number": "number"}).with_columns(
        [pl.col(n).fill_null("") for n in given if n in _CLEARED_TEXT]
        + [pl.col("head_name").fill_null("")]
    ).with_columns(pl.col("number").alias("household_number"))


def _person_values(frame: pl.DataFrame, given: list[str]) -> pl.DataFrame:
    return frame.with_columns([pl.col(n).fill_null("") for n in given if n in _CLEARED_TEXT])


def _drop(*stagings) -> None:
    for staging in stagings:
        staging.drop()

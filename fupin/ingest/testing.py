"""Test support for imports: sheets of households built in code, and the job sample maker.

Importing this module registers the `ingest.importjob` sample for the access-matrix test."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from openpyxl import Workbook

from fupin.core.idnumber import make as make_id
from fupin.core.testing import make_user, sample

HEADERS = ["户编号", "村区划代码", "贫困户属性", "贫困状态", "识别年度", "主要致贫原因",
           "人均纯收入(元)", "联系电话", "银行账号", "姓名", "身份证号", "与户主关系", "民族",
           "文化程度", "健康状况", "劳动能力"]
RELATIONS = ["户主", "配偶", "子", "女", "父母"]


def household_rows(count: int = 2, members: int = 3, village: str = "520102001001",
                   prefix: str = "T", start: int = 0) -> list[dict]:
    """Rows of `count` households of `members` persons each, keyed by the Chinese headers."""
    rows = []
    for h in range(start, start + count):
        for m in range(members):
            sex = "F" if m % 2 else "M"
            birth = datetime.date(1960 + m * 12, 1 + h % 12, 1 + (h * 3 + m) % 28)
            rows.append({
                "户编号": f"{prefix}{h:05d}", "村区划代码": village, "贫困户属性": "一般贫困户",
                "贫困状态": "贫困", "识别年度": "2014", "主要致贫原因": "因病致贫",
                "人均纯收入(元)": "2300.50", "联系电话": "13912345678",
                "银行账号": "6222021234567890123", "姓名": f"成员{h}-{m}",
                "身份证号": make_id(village[:6], birth, (h * 7 + m) % 500, sex),
                "与户主关系": RELATIONS[m % len(RELATIONS)], "民族": "汉", "文化程度": "初中",
                "健康状况": "健康", "劳动能力": "普通劳动力",
            })
    return rows


def write_rows(path: Path, rows: list[dict], headers: list[str] | None = None) -> Path:
    headers = headers or list(rows[0]) if rows else (headers or HEADERS)
    values = [[row.get(h, "") for h in headers] for row in rows]
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows(values)
    else:
        book = Workbook()
        sheet = book.active
        sheet.append(headers)
        for row in values:
            sheet.append(row)
        book.save(path)
    return path


@sample("ingest.importjob")
def _import_job(region_code, user):
    from fupin.core.context import acting_as
    from fupin.core.policy import Role
    from fupin.ingest.models import ImportJob
    from fupin.regions.scope import is_within

    # A job is its uploader's: "in scope" means the user's own job.
    owner = user if user is not None and is_within(region_code, user.region_code) else \
        make_user(Role.POVERTY_OFFICE, region_code)
    with acting_as(None, label="test"):
        return ImportJob.objects.create(registry="households", user=owner,
                                        region_code=region_code, filename="sample.xlsx",
                                        state=ImportJob.State.DONE)


# The rule for fupin/core/policy.py RULES (the roles that may add and change the records of a
# registry may import them: households, party organizations and members; a user sees their own
# jobs, an administrator every job in their region).
IMPORT_JOB_RULE = {"ingest.importjob": {"admin": "vacd", "org_dept": "va", "poverty_office": "va",
                                        "township": "va", "work_team": "va", "village": "va"}}

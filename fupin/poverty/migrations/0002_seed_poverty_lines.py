"""Seed the poverty lines published in the programme's account (../shared/seed-figures.md).

Later yearly values are data: add them on the poverty-line page or with the import, never in
code. Only the figures confirmed from the published account are seeded here.
"""

from decimal import Decimal

from django.db import migrations

LINES = [
    (2006, Decimal("693"), Decimal("958"),
     "2006 年国家标准：绝对贫困线 693 元，低收入线 958 元"),
    (2011, Decimal("2300"), None, "2011 年国家标准：2,300 元（2010 年不变价）"),
]


def seed(apps, schema_editor):
    PovertyLine = apps.get_model("poverty", "PovertyLine")
    for year, line, low, note in LINES:
        PovertyLine.objects.get_or_create(
            year=year, defaults={"poverty_line": line, "low_income_line": low, "note": note})


def unseed(apps, schema_editor):
    apps.get_model("poverty", "PovertyLine").objects.filter(year__in=[y for y, *_ in LINES]).delete()


class Migration(migrations.Migration):
    dependencies = [("poverty", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

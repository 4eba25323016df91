"""Organization codes (组织代码): added nullable, then every existing org gets the region code
and a 3-digit number within its region, in the order the orgs were created. 0004 makes the
code unique and required (a separate migration, so that PostgreSQL alters the table in a
transaction of its own, after the rows are written)."""

from django.db import migrations, models


def assign_codes(apps, schema_editor):
    PartyOrg = apps.get_model("party", "PartyOrg")
    rows = PartyOrg._base_manager.using(schema_editor.connection.alias)
    # Read first, then write: a province has some tens of thousands of orgs.
    orgs = list(rows.order_by("region_code", "id").values_list("id", "region_code"))
    last: dict[str, int] = {}
    batch = []
    for pk, region_code in orgs:
        last[region_code] = last.get(region_code, 0) + 1
        batch.append(PartyOrg(id=pk, code=f"{region_code}{last[region_code]:03d}"))
        if len(batch) >= 2000:
            rows.bulk_update(batch, ["code"])
            batch = []
    if batch:
        rows.bulk_update(batch, ["code"])


class Migration(migrations.Migration):

    dependencies = [
        ("party", "0002_transfer_return"),
    ]

    operations = [
        migrations.AddField(
            model_name="partyorg",
            name="code",
            field=models.CharField(max_length=30, null=True, verbose_name="organization code"),
        ),
        migrations.RunPython(assign_codes, migrations.RunPython.noop),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("party", "0003_partyorg_code"),
    ]

    operations = [
        migrations.AlterField(
            model_name="partyorg",
            name="code",
            field=models.CharField(blank=True, help_text="Left blank, the region code and a number are given.", max_length=30, unique=True, verbose_name="organization code"),
        ),
    ]

import django_tables2 as tables

from fupin.core.tables import BaseTable
from fupin.regions.models import Region, RegionChange


class RegionTable(BaseTable):
    code = tables.Column(linkify=("regions:region", {"pk": tables.A("pk")}))

    class Meta(BaseTable.Meta):
        model = Region
        fields = ("code", "name", "level", "parent")


class RegionChangeTable(BaseTable):
    id = tables.Column(linkify=("regions:regionchange", {"pk": tables.A("pk")}))

    class Meta(BaseTable.Meta):
        model = RegionChange
        fields = ("id", "year", "kind", "old_code", "old_name", "new_code", "new_name",
                  "applied_at")

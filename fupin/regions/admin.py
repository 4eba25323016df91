from django.contrib import admin

from fupin.core.admin import RestrictedAdmin
from fupin.regions.models import Region, RegionChange


@admin.register(Region)
class RegionAdmin(RestrictedAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(RegionChange)
class RegionChangeAdmin(RestrictedAdmin):
    list_display = ("year", "kind", "old_code", "new_code", "new_name", "applied_at")

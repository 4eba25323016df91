from django.contrib import admin

from fupin.core.models import ChangeRecord
from fupin.core.policy import restrict


class RestrictedAdmin(admin.ModelAdmin):
    """The Django admin obeys the same policy as every other interface."""

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user, "view")


@admin.register(ChangeRecord)
class ChangeRecordAdmin(RestrictedAdmin):
    list_display = ("id", "time", "actor", "action", "model", "object_repr", "region_code")
    list_filter = ("action", "model")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

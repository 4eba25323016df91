from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from fupin.accounts.models import ApiToken, User
from fupin.core.admin import RestrictedAdmin


@admin.register(User)
class UserAdmin(RestrictedAdmin, DjangoUserAdmin):
    list_display = ("username", "full_name", "role", "region_code", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Fupin", {"fields": ("role", "region_code", "full_name", "unit", "phone", "language")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(RestrictedAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at")
    readonly_fields = ("prefix",)

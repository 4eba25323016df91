import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from fupin.accounts.models import ApiToken, User
from fupin.core.masking import PHONE
from fupin.core.tables import BaseTable, PersonalColumn, RegionColumn


class UserTable(BaseTable):
    username = tables.Column(linkify=("accounts:user", {"pk": tables.A("pk")}))
    phone = PersonalColumn(kind=PHONE, verbose_name=_("phone"))
    region_code = RegionColumn(verbose_name=_("scope region"))

    class Meta(BaseTable.Meta):
        model = User
        fields = ("username", "full_name", "role", "region_code", "unit", "phone", "is_active",
                  "last_login")


class ApiTokenTable(BaseTable):
    name = tables.Column(linkify=("accounts:apitoken", {"pk": tables.A("pk")}))

    class Meta(BaseTable.Meta):
        model = ApiToken
        fields = ("name", "prefix", "created_at", "last_used_at", "expires_at")

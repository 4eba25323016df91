from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from fupin.accounts.models import ApiToken, User
from fupin.core.context import acting_as


class Command(BaseCommand):
    @property
    def help(self):
        return _("API tokens: `token create USERNAME [--name N]` prints a new token once.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        create = sub.add_parser("create", help=_("issue a token for a user and print it"))
        create.add_argument("username")
        create.add_argument("--name", default="cli")

    def handle(self, *args, sub=None, username=None, name="cli", **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("no user named %(name)r") % {"name": username})
        if not user.is_active:
            raise CommandError(_("user %(name)r is inactive") % {"name": username})
        with transaction.atomic(), acting_as(None, label="cli:token create"):
            _token, key = ApiToken.issue(user, name)
        self.stdout.write(key)

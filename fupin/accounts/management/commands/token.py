from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fupin.accounts.models import ApiToken, User
from fupin.core.context import acting_as


class Command(BaseCommand):
    help = "API tokens: `token create USERNAME [--name N]` prints a new token once."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        create = sub.add_parser("create", help="issue a token for a user and print it")
        create.add_argument("username")
        create.add_argument("--name", default="cli")

    def handle(self, *args, sub=None, username=None, name="cli", **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if not user.is_active:
            raise CommandError(f"user {username!r} is inactive")
        with transaction.atomic(), acting_as(None, label="cli:token create"):
            _token, key = ApiToken.issue(user, name)
        self.stdout.write(key)

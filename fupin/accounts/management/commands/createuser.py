from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fupin.accounts.models import User
from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.regions.models import Region


class Command(BaseCommand):
    help = "Create a user with a role and a scope region: createuser NAME --role R --region CODE"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.ALL)
        parser.add_argument("--region", required=True, help="12-digit scope region code")
        parser.add_argument("--password-file", help="file whose first line is the password")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username, role, region, password_file=None, full_name="", **options):
        if not Region.objects.filter(code=region).exists():
            raise CommandError(f"no region has the code {region!r}; import regions first")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"a user named {username!r} already exists")
        user = User(username=username, role=role, region_code=region, full_name=full_name)
        if password_file:
            try:
                password = Path(password_file).read_text(encoding="utf-8").splitlines()[0]
            except (OSError, IndexError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read a password from {password_file}: {exc}") from exc
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("password rejected: " + " ".join(exc.messages)) from exc
            user.set_password(password)
        else:
            user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        with transaction.atomic(), acting_as(None, label="cli:createuser"):
            user.save()
        note = "" if password_file else " (no password: set one with `fupin changepassword`)"
        self.stdout.write(f"created {username} ({role}, {region}){note}")

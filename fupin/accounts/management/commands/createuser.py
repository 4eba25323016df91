from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from fupin.accounts.models import User
from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.regions.models import Region


class Command(BaseCommand):
    @property
    def help(self):
        return _("Create a user with a role and a scope region: createuser NAME --role R --region CODE")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.ALL)
        parser.add_argument("--region", required=True, help=_("12-digit scope region code"))
        parser.add_argument("--password-file", help=_("file whose first line is the password"))
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username, role, region, password_file=None, full_name="", **options):
        if not Region.objects.filter(code=region).exists():
            raise CommandError(_("no region has the code %(code)r; import regions first") % {"code": region})
        if User.objects.filter(username=username).exists():
            raise CommandError(_("a user named %(name)r already exists") % {"name": username})
        user = User(username=username, role=role, region_code=region, full_name=full_name)
        if password_file:
            try:
                password = Path(password_file).read_text(encoding="utf-8").splitlines()[0]
            except (OSError, IndexError, UnicodeDecodeError) as exc:
                raise CommandError(_("cannot read a password from %(file)s: %(error)s")
                                   % {"file": password_file, "error": exc}) from exc
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError(_("password rejected: %(reasons)s")
                                   % {"reasons": " ".join(exc.messages)}) from exc
            user.set_password(password)
        else:
            user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        with transaction.atomic(), acting_as(None, label="cli:createuser"):
            user.save()
        self.stdout.write(_("created %(name)s (%(role)s, %(region)s)")
                          % {"name": username, "role": role, "region": region})
        if not password_file:
            self.stdout.write(_("No password yet: set one with `fupin changepassword %(name)s`.")
                              % {"name": username})

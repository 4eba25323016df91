"""`fupin export REGISTRY (--template | [--region CODE] [--as USER]) -o FILE.xlsx|FILE.csv`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.core.context import acting_as
from fupin.core.policy import can, scope_code
from fupin.ingest import exporting
from fupin.ingest.registry import names
from fupin.ingest.sources import FileRejected
from fupin.regions.scope import is_valid_code, is_within

from ._common import registry_or_error, user_or_error


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Export a registry (e.g. households) to XLSX or CSV in the shape of its import "
                 "template, or write the empty template. With --as, that user's region and "
                 "masking of personal data apply.")

    def add_arguments(self, parser):
        parser.add_argument("registry", help=_("what to export: %(names)s")
                            % {"names": ", ".join(names()) or "households"})
        parser.add_argument("-o", "--output", required=True, metavar="FILE.xlsx|FILE.csv")
        parser.add_argument("--template", action="store_true",
                            help=_("write the empty import template (Chinese headers, a hidden "
                                   "sheet of allowed values)"))
        parser.add_argument("--region", metavar="CODE",
                            help=_("only rows under this 12-digit region code"))
        parser.add_argument("--as", dest="username", metavar="USERNAME",
                            help=_("export what this user may see, masked as for their role"))

    def handle(self, *args, registry: str, output: str, template: bool = False,
               region: str | None = None, username: str | None = None, **options):
        spec = registry_or_error(registry)
        try:
            if template:
                path = exporting.write_template(spec, output)
                self.stdout.write(_("Template written to %(file)s.") % {"file": path})
                return
            if region and not is_valid_code(region):
                raise CommandError(_("%(code)s is not a 12-digit region code") % {"code": region})
            user = user_or_error(username)
            if user is not None:
                if not can(user, spec.model, "view"):
                    raise CommandError(_("%(user)s may not view %(what)s")
                                       % {"user": user, "what": spec.verbose_name})
                if region and not is_within(region, scope_code(user)):
                    raise CommandError(_("%(code)s is outside the region of %(user)s")
                                       % {"code": region, "user": user})
            with acting_as(user, label=f"cli:export {spec.name}"):
                result = exporting.export(spec, output, user=user, region_code=region)
        except FileRejected as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Exported %(rows)s rows to %(file)s.")
                          % {"rows": f"{result.rows:,}", "file": result.path})
        if result.masked:
            self.stdout.write(self.style.WARNING(_(
                "Personal data is masked for this user's role: this file cannot be imported "
                "back.")))

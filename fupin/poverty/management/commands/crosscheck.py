from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.core.context import acting_as
from fupin.poverty.choices import CrosscheckKind
from fupin.poverty.crosscheck import CrosscheckRejected, load_leads


class Command(BaseCommand):
    @property
    def help(self):
        return _("Match another department's registry (CSV with an ID-number column) against "
                 "registered persons and store one lead per match for review.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument("--kind", required=True, choices=CrosscheckKind.values)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file, kind, dry_run=False, **options):
        try:
            with acting_as(None, label="cli:crosscheck"):
                result = load_leads(file, kind, dry_run=dry_run)
        except CrosscheckRejected as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("%(rows)s rows, %(invalid)s without a valid ID number, %(matched)s matched "
              "registered persons, %(created)s new leads") % vars(result))
        for county, n in sorted(result.by_region.items()):
            self.stdout.write(f"  {county}: {n}")
        if dry_run:
            self.stdout.write(_("Dry run: nothing was stored."))

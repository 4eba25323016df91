"""`fupin analytics refresh [--region CODE]`: rebuild the rollups."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.analytics import rollups
from fupin.regions.models import Region
from fupin.regions.scope import is_valid_code


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Analytics (统计分析): rebuild the rollups of every indicator for every region.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND",
                                    title=_("subcommands"))
        refresh = sub.add_parser(
            "refresh", help=_("rebuild the rollups"),
            description=_("Recompute every indicator from the records, for every region under "
                          "--region (everything when omitted) and the regions above it. Run it "
                          "nightly: figures such as current pairings move with the date."))
        refresh.add_argument("--region", metavar="CODE", default=None)

    def handle(self, *args, subcommand: str, region: str | None = None, **options):
        if region is not None:
            if not is_valid_code(region) or not Region.objects.filter(code=region).exists():
                raise CommandError(_("No region with code %(code)s.") % {"code": region})
        result = rollups.refresh([region] if region else None)
        self.stdout.write(_("%(rows)s rollup rows written in %(seconds).1f s")
                          % {"rows": f"{result.rows:,}", "seconds": result.seconds})

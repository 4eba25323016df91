"""`fupin import REGISTRY FILE.xlsx|FILE.csv [--dry-run] [--errors OUT.xlsx] [--as USER]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.core.context import acting_as
from fupin.core.policy import can
from fupin.ingest import pipeline
from fupin.ingest.registry import names
from fupin.ingest.sources import FileRejected

from ._common import ProgressBars, registry_or_error, user_or_error


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Import a registry (e.g. households) from an XLSX or CSV sheet, all or nothing. "
                 "If any row is bad, an error workbook (the input plus a column of reasons) is "
                 "written and nothing is stored. Importing the same file again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("registry", help=_("what to import: %(names)s")
                            % {"names": ", ".join(names()) or "households"})
        parser.add_argument("file", metavar="FILE.xlsx|FILE.csv")
        parser.add_argument("--dry-run", action="store_true",
                            help=_("check and count, but store nothing"))
        parser.add_argument("--errors", metavar="OUT.xlsx",
                            help=_("where to write the error workbook (default: "
                                   "FILE-errors.xlsx beside the input)"))
        parser.add_argument("--as", dest="username", metavar="USERNAME",
                            help=_("import as this user: every row must lie in their region"))

    def handle(self, *args, registry: str, file: str, dry_run: bool = False,
               errors: str | None = None, username: str | None = None, **options):
        spec = registry_or_error(registry)
        user = user_or_error(username)
        if user is not None and not all(can(user, spec.model, a) for a in ("add", "change")):
            raise CommandError(_("%(user)s may not import %(what)s")
                               % {"user": user, "what": spec.verbose_name})
        bars = ProgressBars()
        try:
            with acting_as(user, label=f"cli:import {spec.name}"):
                result = pipeline.import_file(spec, file, user=user, dry_run=dry_run,
                                              errors_path=errors, progress=bars)
        except FileRejected as exc:
            raise CommandError(str(exc)) from None
        except pipeline.RowsRejected as exc:
            bars.close()
            for row, reason in exc.sample:
                self.stderr.write(_("row %(row)s: %(reason)s") % {"row": row, "reason": reason})
            if exc.bad_rows > len(exc.sample):
                self.stderr.write(_("… and %(more)s more rows") % {
                    "more": f"{exc.bad_rows - len(exc.sample):,}"})
            raise CommandError(_("%(message)s Reasons for every row: %(path)s")
                               % {"message": exc.message(), "path": exc.errors_path}) from None
        except pipeline.ConcurrentChange:
            raise CommandError(_("the registry changed while the file was being imported; "
                                 "nothing was stored, import it again")) from None
        finally:
            bars.close()
        self.stdout.write(_("%(file)s: %(rows)s rows (sha256 %(sha)s)")
                          % {"file": result.path.name, "rows": f"{result.rows:,}",
                             "sha": result.sha256[:12]})
        if result.ignored_columns:
            self.stdout.write(_("Ignored columns: %(names)s")
                              % {"names": "、".join(result.ignored_columns)})
        self.stdout.write(pipeline.counts_line(spec, result.counts))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was stored."))
        elif result.record_id:
            self.stdout.write(self.style.SUCCESS(
                _("Imported; change record %(id)s.") % {"id": result.record_id}))
        else:
            self.stdout.write(self.style.SUCCESS(_("Nothing to change.")))

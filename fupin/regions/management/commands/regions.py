"""`fupin regions import FILE.csv` and `fupin regions apply-changes FILE.csv`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.core.context import acting_as
from fupin.regions import importer, recode


class Command(BaseCommand):
    @property
    def help(self) -> str:  # translated when asked (argparse cannot take lazy strings)
        return _("Regions (区划): import the five-level code table from CSV, or apply a file "
                 "of region changes (区划变更).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND",
                                    title=_("subcommands"))
        imp = sub.add_parser(
            "import", help=_("import regions from a CSV file"),
            description=_("Import regions from CSV with the columns "
                          "code,name,level,parent_code,urban_rural_code (UTF-8, header row). "
                          "All or nothing, idempotent; regions not in the file are left alone. "
                          "The bundled Guizhou file is %(path)s.")
            % {"path": importer.BUNDLED_REGIONS},
        )
        imp.add_argument("file", metavar="FILE.csv")
        imp.add_argument("--dry-run", action="store_true",
                         help=_("check the file and count, but store nothing"))
        chg = sub.add_parser(
            "apply-changes", help=_("apply a CSV file of region changes"),
            description=_("Apply region changes from CSV with the columns "
                          "year,kind,old_code,new_code,new_name,note (kind: rename, merge, "
                          "split, recode), re-coding every record under the moved regions. "
                          "All or nothing."),
        )
        chg.add_argument("file", metavar="FILE.csv")
        chg.add_argument("--dry-run", action="store_true",
                         help=_("check the file, but store nothing"))

    def handle(self, *args, subcommand: str, file: str, dry_run: bool = False, **options):
        label = f"cli:regions {subcommand}"
        try:
            with acting_as(None, label=label):
                if subcommand == "import":
                    self._import(file, dry_run)
                else:
                    self._apply_changes(file, dry_run)
        except (importer.FileRejected, importer.RowsRejected) as exc:
            raise CommandError(str(exc)) from None

    def _import(self, file: str, dry_run: bool) -> None:
        result = importer.import_regions(file, dry_run=dry_run)
        self.stdout.write(_("%(file)s: %(total)s regions (sha256 %(sha)s)")
                          % {"file": result.path.name, "total": f"{result.total:,}",
                             "sha": result.sha256[:12]})
        self.stdout.write(importer.format_per_level(result.per_level))
        self.stdout.write(
            _("created %(created)s / updated %(updated)s / unchanged %(unchanged)s / "
              "not in file %(not_in_file)s")
            % {"created": f"{result.created:,}", "updated": f"{result.updated:,}",
               "unchanged": f"{result.unchanged:,}", "not_in_file": f"{result.not_in_file:,}"})
        if dry_run:
            self.stdout.write(_("Dry run: nothing was stored."))
        elif result.changed:
            self.stdout.write(self.style.SUCCESS(
                _("Imported; change record %(id)s.") % {"id": result.record.pk}))
        else:
            self.stdout.write(self.style.SUCCESS(_("Nothing to change.")))

    def _apply_changes(self, file: str, dry_run: bool) -> None:
        applied = recode.apply_changes(file, dry_run=dry_run)
        for item in applied:
            c = item.change
            counts = ", ".join(f"{label} {n:,}" for label, n in sorted(item.rows_recoded.items()))
            self.stdout.write(
                _("line %(line)s: %(kind)s %(old)s %(old_name)s → %(new)s %(new_name)s%(counts)s")
                % {"line": c.line, "kind": c.kind, "old": c.old_code, "old_name": item.old_name,
                   "new": c.new_code, "new_name": item.new_name,
                   "counts": f" ({counts})" if counts else ""})
        if dry_run:
            self.stdout.write(_("Dry run: %(count)s changes checked, nothing was stored.")
                              % {"count": len(applied)})
        else:
            self.stdout.write(self.style.SUCCESS(
                _("Applied %(count)s region changes.") % {"count": len(applied)}))

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.core.changelog import verify


class Command(BaseCommand):
    @property
    def help(self):
        return _("Change log: `audit verify` checks the hash chain of every change record.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("verify", help=_("check the hash chain; exit 1 at the first broken record"))

    def handle(self, *args, sub=None, **options):
        count, broken, reason = verify()
        if broken is not None:
            raise CommandError(
                _("broken at record %(id)s (%(time)s, %(model)s %(object)s): %(reason)s; "
                  "%(count)s records before it are intact")
                % {"id": broken.pk, "time": f"{broken.time:%Y-%m-%d %H:%M:%S}",
                   "model": broken.model, "object": broken.object_id, "reason": reason,
                   "count": count})
        self.stdout.write(f"ok {count} records")  # machine-read by monitoring: never translated

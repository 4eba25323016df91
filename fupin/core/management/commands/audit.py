from django.core.management.base import BaseCommand, CommandError

from fupin.core.changelog import verify


class Command(BaseCommand):
    help = "Change log: `audit verify` checks the hash chain of every change record."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("verify", help="check the hash chain; exit 1 at the first broken record")

    def handle(self, *args, sub=None, **options):
        count, broken, reason = verify()
        if broken is not None:
            raise CommandError(
                f"broken at record {broken.pk} ({broken.time:%Y-%m-%d %H:%M:%S}, "
                f"{broken.model} {broken.object_id}): {reason}; {count} records before it are intact"
            )
        self.stdout.write(f"ok {count} records")

"""`fupin demo`: the whole site at once (regions, every app's generator, the demo users'
logins), so it lives in the top layer; core keeps only the registry of generators."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from fupin.accounts.demo import DEMO_PASSWORD
from fupin.core import demo
from fupin.core.context import acting_as
from fupin.regions.importer import BUNDLED_REGIONS
from fupin.regions.models import Region


class Command(BaseCommand):
    help = "Load the demo province and its demo users, print the logins, and serve."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01,
                            help="size relative to the published figures (1 = full province)")
        parser.add_argument("--seed", type=int, default=2006)
        parser.add_argument("--no-serve", action="store_true", help="load only, do not serve")
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, scale, seed, no_serve, bind, **options):
        if not 0 < scale <= 10:
            raise CommandError(_("--scale must be greater than 0 and at most 10"))
        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        if not Region.objects.exists():
            call_command("regions", "import", str(BUNDLED_REGIONS), stdout=self.stdout)
        ctx = demo.DemoContext(scale=scale, seed=seed, stdout=self.stdout)
        for gen in demo.ordered():
            t0 = time.monotonic()
            with transaction.atomic(), acting_as(None, label="cli:demo", scope_checks=False):
                summary = gen.func(ctx)
            self.stdout.write(f"  {gen.name}: {summary} ({time.monotonic() - t0:.1f} s)")
        self.stdout.write(_("demo loaded in %(seconds).1f s (scale %(scale)s, seed %(seed)s)")
                          % {"seconds": time.monotonic() - started, "scale": scale, "seed": seed})
        self.stdout.write("")
        self.stdout.write(f"  Fupin: http://{bind}/")
        self.stdout.write("  " + _("password for every demo user: %(password)s")
                          % {"password": DEMO_PASSWORD})
        for username, (role, region) in ctx.users.items():
            self.stdout.write(f"  {username:<16} {role:<15} {region.code} {region.path()}")
        self.stdout.write("")
        if not no_serve:
            call_command("serve", bind=bind)

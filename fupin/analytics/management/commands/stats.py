"""`fupin stats --region CODE [--level L] [--json]`: a region's figures from the rollups."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.analytics import indicators as ind
from fupin.analytics import services
from fupin.core.policy import restrict
from fupin.regions.models import Region
from fupin.regions.scope import ancestor_at, is_valid_code


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Print a region's indicators and its children's key figures (from the rollups; "
                 "run `fupin analytics refresh` first).")

    def add_arguments(self, parser):
        parser.add_argument("--region", metavar="CODE", required=True)
        parser.add_argument("--level", type=int, choices=(1, 2, 3, 4, 5), default=None,
                            help=_("show the region above CODE at this level instead"))
        parser.add_argument("--json", action="store_true", help=_("print JSON"))
        parser.add_argument("--as", dest="username", metavar="USERNAME", default=None,
                            help=_("only if this user's scope holds the region"))

    def handle(self, *args, region: str, level: int | None, json: bool, username=None,
               **options):
        code = region
        if level is not None and is_valid_code(code):
            code = ancestor_at(code, level)
        found = Region.objects.filter(code=code)
        if username:
            from fupin.accounts.models import User

            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(_("No active user %(name)s.") % {"name": username})
            found = restrict(found, user)
        place = found.first()
        if place is None:
            raise CommandError(_("No region with code %(code)s in scope.") % {"code": code})
        result = services.figures(place)
        if json:
            self.stdout.write(_dumps(services.as_json(result)))
            return
        self.stdout.write(f"{place.code} {place.name}")
        for name, value in result.values.items():
            item = ind.INDICATORS[name]
            self.stdout.write(f"  {name:<28} {_show(services.plain(value))} {item.unit}")
        if result.children:
            names = list(result.children[0][1])
            self.stdout.write("")
            self.stdout.write("  " + " ".join(f"{n[:14]:>14}" for n in ["region", *names]))
            for child, vals in result.children:
                cells = [child.code] + [_show(services.plain(vals[n])) for n in names]
                self.stdout.write("  " + " ".join(f"{str(c)[:14]:>14}" for c in cells))


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) or "0"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)

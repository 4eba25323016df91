"""What the `import` and `export` commands share: the registry argument, --as, progress."""

from __future__ import annotations

import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from fupin.ingest import registry as registries


def registry_or_error(name: str):
    try:
        return registries.get(name)
    except registries.UnknownRegistry:
        raise CommandError(_("unknown registry %(name)s; known: %(names)s")
                           % {"name": name, "names": ", ".join(registries.names())}) from None


def user_or_error(username: str | None):
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model()._default_manager.filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(_("no active user %(name)s") % {"name": username})
    return user


class ProgressBars:
    """One tqdm bar per phase, on the terminal only (stderr a TTY)."""

    LABELS = {"check": "检查 check", "errors": "错误 errors", "write": "写入 write"}

    def __init__(self):
        self.bar = None
        self.phase = None
        self.enabled = sys.stderr.isatty()

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = tqdm(total=total, desc=self.LABELS.get(phase, phase), unit=" rows",
                            unit_scale=True, file=sys.stderr, leave=False)
        if total is not None and self.bar.total != total:
            self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

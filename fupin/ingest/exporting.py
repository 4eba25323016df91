"""Exports and templates (导出与模板): the registry's sheet, so that export then import is a
no-op. Rows come from `restrict(user, "view")`; each personal column is shown as the user's role
may see its kind (`fupin.core.policy.can_see`): in full, the last four, or masked. An export with
any column not in full cannot be imported back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fupin.core import context
from fupin.core.masking import FULL
from fupin.core.models import PersonalDataAccess
from fupin.core.policy import can_see, scope_code
from fupin.ingest.registry import Registry
from fupin.ingest.registry import get as get_registry
from fupin.ingest.sources import FileRejected
from fupin.ingest.workbooks import display_frames, write_sheet

FORMATS = (".xlsx", ".csv")


@dataclass
class ExportResult:
    path: Path
    rows: int
    masked: bool  # some personal column is not in full


def check_path(path: str | Path) -> Path:
    from django.utils.translation import gettext as _

    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise FileRejected(_("%(file)s: unknown format; use .xlsx or .csv") % {"file": path.name})
    if not path.parent.is_dir():
        raise FileRejected(_("%(dir)s: no such directory") % {"dir": path.parent})
    return path


def write_template(registry: Registry | str, path: str | Path) -> Path:
    registry = get_registry(registry) if isinstance(registry, str) else registry
    path = check_path(path)
    write_sheet(registry, path, [])
    return path


def export(registry: Registry | str, path: str | Path, *, user=None,
           region_code: str | None = None) -> ExportResult:
    """Export the rows `user` may see (None: the system, everything) under `region_code`."""
    registry = get_registry(registry) if isinstance(registry, str) else registry
    path = check_path(path)
    forms = {c.personal: (FULL if user is None else can_see(user, c.personal))
             for c in registry.columns if c.personal}
    rows = write_sheet(registry, path, display_frames(
        registry, registry.export_frames(user, region_code), forms=forms))
    personal = sorted(c.name for c in registry.columns if c.personal and forms[c.personal] == FULL)
    if user is not None and personal and rows:
        PersonalDataAccess.objects.create(
            user=user, request_id=context.current_request_id(),
            model=registry.model._meta.label_lower, fields=personal, count=rows,
            channel="export", region_code=region_code or scope_code(user))
    return ExportResult(path=path, rows=rows, masked=any(f != FULL for f in forms.values()))

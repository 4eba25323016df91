"""Exports and templates (导出与模板): the registry's sheet, so that export then import is a
no-op. Rows come from `restrict(user, "view")`; personal data is masked unless the user has the
personal-data permission (a masked export cannot be imported back)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fupin.core import context
from fupin.core.models import PersonalDataAccess
from fupin.core.policy import has_personal_data_permission, scope_code
from fupin.ingest.registry import Registry
from fupin.ingest.registry import get as get_registry
from fupin.ingest.sources import FileRejected
from fupin.ingest.workbooks import display_frames, write_sheet

FORMATS = (".xlsx", ".csv")


@dataclass
class ExportResult:
    path: Path
    rows: int
    masked: bool


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
    masked = user is not None and not has_personal_data_permission(user)
    rows = write_sheet(registry, path, display_frames(
        registry, registry.export_frames(user, region_code), masked=masked))
    personal = sorted(c.name for c in registry.columns if c.personal)
    if user is not None and not masked and personal and rows:
        PersonalDataAccess.objects.create(
            user=user, request_id=context.current_request_id(),
            model=registry.model._meta.label_lower, fields=personal, count=rows,
            channel="export", region_code=region_code or scope_code(user))
    return ExportResult(path=path, rows=rows, masked=masked)

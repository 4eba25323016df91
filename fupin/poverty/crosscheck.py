"""Cross-checking registered persons against other departments' registries (数据比对).

A match is a lead for review, never an automatic change: `load_leads` stores one
CrosscheckLead per matched person (once per person, registry and file), and a reviewer
confirms or dismisses it with a reason (`actions.review_lead`).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core import changelog
from fupin.core.idnumber import is_valid, normalize
from fupin.poverty.choices import CrosscheckKind
from fupin.poverty.models import CrosscheckLead, Person
from fupin.regions.scope import COUNTY, ancestor_at

ID_HEADERS = {"id_number", "身份证号", "身份证号码", "公民身份号码", "证件号码"}
CHUNK = 5000


class CrosscheckRejected(Exception):
    pass


@dataclass
class CrosscheckResult:
    rows: int = 0
    invalid: int = 0
    matched: int = 0
    created: int = 0
    by_region: dict[str, int] = field(default_factory=dict)  # county code -> matched persons
    sha256: str = ""


def load_leads(path: str | Path, kind: str, *, dry_run: bool = False) -> CrosscheckResult:
    """Read another registry's CSV (an ID-number column plus any attributes) and store leads."""
    if kind not in CrosscheckKind.values:
        raise CrosscheckRejected(_("unknown registry %(kind)r; use one of %(kinds)s")
                                 % {"kind": kind, "kinds": ", ".join(CrosscheckKind.values)})
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CrosscheckRejected(_("cannot read %(file)s: %(error)s")
                                 % {"file": path, "error": exc.strerror}) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CrosscheckRejected(_("%(file)s is not UTF-8 text") % {"file": path.name}) from None
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    id_header = next((h for h in headers if h in ID_HEADERS), None)
    if id_header is None:
        raise CrosscheckRejected(_("%(file)s has no ID-number column (one of: %(names)s)")
                                 % {"file": path.name, "names": "、".join(sorted(ID_HEADERS))})
    result = CrosscheckResult(sha256=hashlib.sha256(raw).hexdigest())
    rows: dict[str, dict] = {}
    for row in reader:
        result.rows += 1
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        number = normalize(row.pop(id_header, ""))
        if not is_valid(number):
            result.invalid += 1
            continue
        rows[number] = row
    with transaction.atomic():
        numbers = list(rows)
        for start in range(0, len(numbers), CHUNK):
            batch = numbers[start:start + CHUNK]
            persons = Person._base_manager.filter(id_number__in=batch).only(
                "id", "id_number", "region_code")
            existing = set(CrosscheckLead._base_manager.filter(
                kind=kind, source_sha256=result.sha256, person__id_number__in=batch)
                .values_list("person_id", flat=True))
            new = []
            for person in persons:
                result.matched += 1
                county = ancestor_at(person.region_code, COUNTY)
                result.by_region[county] = result.by_region.get(county, 0) + 1
                if person.pk in existing:
                    continue
                new.append(CrosscheckLead(person_id=person.pk, region_code=person.region_code,
                                          kind=kind, source_sha256=result.sha256,
                                          attributes=rows[person.id_number]))
            result.created += len(new)
            if not dry_run:
                CrosscheckLead.objects.bulk_create(new)
        if result.created and not dry_run:
            changelog.append(action="batch", model="poverty.crosschecklead",
                             object_id=result.sha256, object_repr=path.name, region_code="",
                             extra={"kind": kind, "rows": result.rows, "invalid": result.invalid,
                                    "matched": result.matched, "created": result.created,
                                    "file_sha256": result.sha256})
    return result

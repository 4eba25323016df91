"""The OpenAPI document keeps every operation it ever published, with the same policy.

`tests/data/openapi-operations.json` is the set of operations (method, path, x-policy) taken
before the API was declared from models; the document may grow, never lose one or change
whom it admits. Operation ids are kept in the file for reference, not compared: they are
generated names, not part of the contract a client relies on; nor are the names of path
parameters (`/teams/{team_id}` and `/teams/{pk}` are the same URL).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from fupin.api import api

RECORDED = json.loads((Path(__file__).parent / "data" / "openapi-operations.json").read_text())


def url(path: str) -> str:
    return re.sub(r"\{\w+\}", "{}", path)


def operations() -> dict[tuple[str, str], dict]:
    schema = api.get_openapi_schema()
    return {(method, url(path)): op for path, methods in schema["paths"].items()
            for method, op in methods.items()}


def test_no_recorded_operation_is_lost_or_changes_policy():
    current = operations()
    recorded = {(o["method"], url(o["path"])): o for o in RECORDED}
    lost = [key for key in recorded if key not in current]
    assert not lost, f"operations removed from the API: {lost}"
    changed = [(*key, o["x-policy"], current[key].get("x-policy"))
               for key, o in recorded.items() if current[key].get("x-policy") != o["x-policy"]]
    assert not changed, f"operations whose policy changed: {changed}"


def test_every_operation_declares_its_responses():
    """Its success, and the refusals a client must handle: 401 and 403 everywhere, 404 where
    the path names a record, 422 where a body is sent."""
    undeclared = []
    for (method, path), op in operations().items():
        codes = {str(code) for code in op.get("responses") or {}}
        wanted = {"401", "403"} | ({"404"} if "{" in path else set()) \
            | ({"422"} if method in ("post", "put", "patch") else set())
        if not any(code.startswith("2") for code in codes) or not wanted <= codes:
            undeclared.append((method, path, sorted(wanted - codes)))
    assert not undeclared, undeclared


def test_operation_ids_are_unique():
    ids = [op.get("operationId") for op in operations().values()]
    assert len(ids) == len(set(ids))

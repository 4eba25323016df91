import pytest
from django.utils import translation

import fupin.ingest.testing  # noqa: F401 - registers the ingest.importjob sample


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def import_job_rule(monkeypatch):
    """Until fupin/core/policy.py carries the rule (see IMPORT_JOB_RULE)."""
    from fupin.core import policy
    from fupin.ingest.testing import IMPORT_JOB_RULE

    if "ingest.importjob" not in policy.RULES:
        monkeypatch.setitem(policy.RULES, "ingest.importjob", IMPORT_JOB_RULE["ingest.importjob"])

"""Background refreshes (django-tasks; `fupin serve` runs the worker)."""

from __future__ import annotations

from django_tasks import task

from fupin.analytics import rollups


@task()
def refresh_medians(codes: list[str], labels: list[str]) -> int:
    return rollups.refresh_medians(codes, set(labels))

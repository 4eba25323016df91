"""The job page says when no background process takes a job, and ends a job whose process
died instead of polling a moving bar forever. (The uploader reads Chinese: the page follows
the user's language, not the test's.)"""

from __future__ import annotations

import datetime
import os
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fupin.core import worker
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, client_for
from fupin.ingest.models import ImportJob
from fupin.ingest.testing import household_rows, write_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def queued(regions, make_user, tmp_path):
    """A job uploaded through the page, with the database task backend and no worker."""
    client = client_for(make_user(Role.POVERTY_OFFICE, COUNTY_A))
    with open(write_rows(tmp_path / "a.csv", household_rows(1, 1)), "rb") as handle:
        client.post(reverse("ingest:households_upload"), {"file": handle})
    job = ImportJob.objects.get()
    assert job.state == "queued" and job.task_id
    return client, job


def page(client, job) -> str:
    return client.get(reverse("ingest:importjob_progress", kwargs={"pk": job.pk})).content.decode()


def beat(worker_id: str, seconds_ago: float = 0) -> None:
    path = worker.heartbeat_path(worker_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    then = time.time() - seconds_ago
    os.utime(path, (then, then))


def test_a_job_nobody_takes_for_a_minute_says_so(queued):
    client, job = queued
    assert 'data-testid="job-waiting"' not in page(client, job)
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2))
    html = page(client, job)
    assert 'data-testid="job-waiting"' in html and "没有后台进程在运行" in html
    assert "progress-bar-indeterminate" not in html and 'hx-trigger="every 1s"' in html
    beat("busy-worker")
    assert "正忙于其他工作" in page(client, job)


def test_a_job_whose_worker_died_fails_with_a_reason(queued):
    client, job = queued
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("w-killed")  # what the worker does when it takes the task
    ImportJob.objects.filter(pk=job.pk).update(state="running")
    beat("w-killed")
    assert 'data-state="running"' in page(client, job)
    beat("w-killed", seconds_ago=worker.GONE_AFTER_SECONDS + 5)  # killed: the beat stopped
    html = page(client, job)
    assert 'data-state="failed"' in html and "后台进程在此导入完成之前停止了" in html
    assert "hx-get" not in html
    job.refresh_from_db()
    assert job.state == "failed" and job.finished_at is not None


def test_a_job_whose_task_ended_without_it_fails(queued):
    client, job = queued
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("w-1")
    ImportJob.objects.filter(pk=job.pk).update(state="running")
    task.set_failed(RuntimeError("database is locked"))
    assert 'data-state="failed"' in page(client, job)


def test_a_worker_without_a_heartbeat_is_not_judged(queued):
    """A job run by a worker that leaves no heartbeat (the stock one) keeps running."""
    client, job = queued
    DBTaskResult.objects.get(pk=job.task_id).claim("stock-worker")
    ImportJob.objects.filter(pk=job.pk).update(state="running")
    assert 'data-state="running"' in page(client, job)

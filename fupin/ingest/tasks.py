"""The background import (django-tasks, database backend): runs the pipeline for a job and
keeps its progress in the ImportJob row, which the job page polls."""

from __future__ import annotations

import logging
import time

from django.utils import timezone, translation
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from fupin.core import worker
from fupin.core.context import acting_as
from fupin.ingest import pipeline
from fupin.ingest.models import ImportJob
from fupin.ingest.sources import FileRejected

logger = logging.getLogger(__name__)
SAVE_EVERY_SECONDS = 1.0


def run_job(job_id: int) -> str:
    """Run one job to its end; returns its final state. Used by the task and by tests."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.finished:
        return job.state
    job.state = ImportJob.State.RUNNING
    job.save(update_fields=["state"])
    last = [0.0]

    def progress(phase: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if phase == job.phase and now - last[0] < SAVE_EVERY_SECONDS and done != total:
            return
        last[0] = now
        ImportJob.objects.filter(pk=job.pk).update(phase=phase[:10], rows_done=done,
                                                   rows_total=total)

    fields = ["state", "message", "result", "bad_rows", "has_errors_file", "record_id",
              "finished_at", "sha256", "rows_done", "rows_total", "phase"]
    with translation.override(job.language or None), \
            acting_as(job.user, label=f"web:import {job.registry}"):
        try:
            result = pipeline.import_file(job.registry, job.input_path, user=job.user,
                                          errors_path=job.errors_path, progress=progress,
                                          filename=job.filename)
        except pipeline.RowsRejected as exc:
            job.state = ImportJob.State.REJECTED
            job.bad_rows = exc.bad_rows
            job.rows_total = job.rows_done = exc.rows
            job.has_errors_file = True
            job.message = exc.message()[:500]
        except (FileRejected, pipeline.ConcurrentChange) as exc:
            job.state = ImportJob.State.FAILED
            job.message = (str(exc) or translation.gettext(
                "The registry changed while the file was being imported; import it again."))[:500]
        except Exception:  # noqa: BLE001 - the job must end in a state the page can show
            logger.exception("import job %s failed", job.pk)
            job.state = ImportJob.State.FAILED
            job.message = translation.gettext("The import failed unexpectedly; nothing was "
                                              "stored. The administrator can see the log.")
        else:
            job.state = ImportJob.State.DONE
            job.sha256 = result.sha256
            job.rows_total = job.rows_done = result.rows
            job.record_id = result.record_id
            job.result = {entity: c.as_dict() for entity, c in result.counts.items()}
            job.message = pipeline.counts_line(pipeline.get_registry(job.registry),
                                               result.counts)[:500]
        job.phase = ""
        job.finished_at = timezone.now()
        job.save(update_fields=fields)
    return job.state


@task()
def import_job(job_id: int) -> str:
    return run_job(job_id)


def settle_abandoned(job: ImportJob) -> ImportJob:
    """Mark the job failed when the background process running it is gone (killed, crashed,
    its machine stopped): nothing else would, and the page would poll a bar forever. Called
    by the job page; returns the job as it now is."""
    if job.finished or not job.task_id or not import_job.get_backend().supports_get_result:
        return job
    try:
        result = import_job.get_result(job.task_id)
    except TaskResultDoesNotExist:
        ended = True  # pruned: a task result is removed only once it finished
    else:
        ended = result.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED) or (
            result.status == TaskResultStatus.RUNNING and bool(result.worker_ids)
            and worker.state_of(result.worker_ids[-1]) == "gone")
    if not ended:
        return job
    with translation.override(job.language or None):  # the uploader's, as run_job writes
        message = translation.gettext(
            "The background process stopped before this import finished. Upload the file "
            "again: rows already stored are recognised and not stored twice.")
    # Only a job still unfinished: the task may have finished it since we read the job.
    ImportJob.objects.filter(pk=job.pk, state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]
                             ).update(state=ImportJob.State.FAILED, phase="",
                                      finished_at=timezone.now(), message=message[:500])
    logger.warning("import job %s: its background process is gone; marked failed", job.pk)
    job.refresh_from_db()
    return job

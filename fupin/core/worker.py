"""The background worker (后台进程) that runs tasks (imports, refreshes): django-tasks-db's
worker, made to outlive a busy SQLite and to leave a heartbeat.

- A "database is locked" (SQLite's write lock held longer than the busy timeout, by a long
  import for instance) is waited out and retried instead of ending the process: the stock
  worker exits, and then every upload sits queued forever.
- The heartbeat is a file per worker under VAR_DIR/workers/, touched every few seconds by a
  thread that needs no database (a long write transaction cannot stall it). The job page reads
  it to tell a job whose worker was killed from a job still running. A file and not a row: the
  web and the worker already share VAR_DIR (the uploaded files live there).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from hashlib import sha256
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("fupin.worker")

HEARTBEAT_SECONDS = 5.0
# A worker whose heartbeat is older than this is gone (killed, or its machine stopped).
GONE_AFTER_SECONDS = 60.0
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def heartbeat_dir() -> Path:
    return Path(settings.VAR_DIR) / "workers"


def heartbeat_path(worker_id: str) -> Path:
    name = worker_id if _SAFE_ID.match(worker_id) else sha256(worker_id.encode()).hexdigest()
    return heartbeat_dir() / name


def state_of(worker_id: str) -> str:
    """"alive", "gone" (its heartbeat stopped) or "unknown" (no heartbeat: a worker that left
    cleanly, or one started without ours, which nobody can judge)."""
    try:
        age = time.time() - heartbeat_path(worker_id).stat().st_mtime
    except FileNotFoundError:
        return "unknown"
    return "alive" if age < GONE_AFTER_SECONDS else "gone"


def any_alive() -> bool:
    try:
        beats = list(heartbeat_dir().iterdir())
    except FileNotFoundError:
        return False
    now = time.time()
    return any(now - beat.stat().st_mtime < GONE_AFTER_SECONDS for beat in beats if beat.is_file())


class Heartbeat:
    def __init__(self, worker_id: str):
        self.path = heartbeat_path(worker_id)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="fupin-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self._stop.is_set():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.path.touch()
            except OSError:
                logger.exception("cannot write the worker heartbeat %s", self.path)
            self._stop.wait(HEARTBEAT_SECONDS)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self.path.unlink(missing_ok=True)


class RetryingWorker(Worker):
    max_delay = 30.0

    def run(self) -> None:
        delay = 1.0
        while True:
            try:
                return super().run()
            except OperationalError as exc:
                if not is_locked_database_exception(exc) or not self.running:
                    raise
                logger.warning("the database is locked; the worker tries again in %.0f s", delay)
            # A connection that failed inside a transaction cannot be reused; one held open by
            # an enclosing atomic block is its owner's to end (a test's, on PostgreSQL).
            for connection in connections.all(initialized_only=True):
                if not connection.in_atomic_block:
                    connection.close()
            time.sleep(delay)
            delay = min(delay * 2, self.max_delay)

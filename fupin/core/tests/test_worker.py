"""The background worker waits out a locked database instead of exiting, and its heartbeat
tells a live worker from a killed one."""

from __future__ import annotations

import contextlib
import os
import time

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker as stock

from fupin.core import worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def test_a_locked_database_is_retried_not_fatal(monkeypatch):
    """SQLite answers "database is locked" when another writer held the lock past the busy
    timeout; the stock worker let that end the process."""
    real = stock.exclusive_transaction
    failures = [OperationalError("database is locked")]

    @contextlib.contextmanager
    def locked_once(using=None):
        if failures:
            raise failures.pop()
        with real(using):
            yield

    monkeypatch.setattr(stock, "exclusive_transaction", locked_once)
    # The test runs inside its own transaction, where Django's close_old_connections() would
    # close the connection (its autocommit differs from the settings'); a real worker runs
    # outside any transaction.
    monkeypatch.setattr(stock, "close_old_connections", lambda: None)
    runner = worker.RetryingWorker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="w-test", excluded_queue_names=[])
    runner.run()  # batch: returns once the queue is empty
    assert not failures


def test_other_database_errors_still_end_the_worker(monkeypatch):
    @contextlib.contextmanager
    def broken(using=None):
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")
        yield

    monkeypatch.setattr(stock, "exclusive_transaction", broken)
    runner = worker.RetryingWorker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="w-test", excluded_queue_names=[])
    with pytest.raises(OperationalError):
        runner.run()


def test_heartbeat():
    assert worker.state_of("w-1") == "unknown" and not worker.any_alive()
    with worker.Heartbeat("w-1"):
        deadline = time.monotonic() + 5
        while worker.state_of("w-1") != "alive" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.state_of("w-1") == "alive" and worker.any_alive()
        old = time.time() - worker.GONE_AFTER_SECONDS - 1
        os.utime(worker.heartbeat_path("w-1"), (old, old))
        assert worker.state_of("w-1") == "gone" and not worker.any_alive()
    assert worker.state_of("w-1") == "unknown"  # left cleanly

"""`fupin serve`: the production server and the background worker, supervised, in one command.

gunicorn rather than granian: Fupin is a synchronous WSGI application whose requests wait on the
database, where granian's Rust I/O buys nothing; gunicorn is pure Python (no binary wheel to
match on a county office's machine), long proven behind nginx, documented with systemd, and its
master restarts a crashed or stuck web worker by itself. The gthread worker class: each process
answers several requests at once on threads (a request mostly waits on the database), while
two or more processes use both cores and keep one crash from taking the site down.

The background worker (`fupin db_worker`, django-tasks-db) runs imports and refreshes. It is
restarted when it dies, with a growing pause so a worker that cannot start does not spin, and
it stops with the server. On PostgreSQL deployments run the two as systemd services instead
(docs/operations.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger("fupin.serve")

# A worker that lived this long before dying was working: restart it after the shortest pause.
HEALTHY_AFTER_SECONDS = 60.0
MAX_PAUSE_SECONDS = 60.0
STOP_WAIT_SECONDS = 30.0


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, the kernel sends SIGTERM to the child when this
    supervisor dies, even by SIGKILL, so no web or task worker outlives it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Child:
    def __init__(self, name: str, argv: list[str]):
        self.name, self.argv = name, argv
        self.process: subprocess.Popen | None = None
        self.started = 0.0

    def start(self) -> None:
        # Its own process group: a Ctrl+C in the terminal reaches only this supervisor, which
        # stops each child once (a second SIGINT would make the task worker abandon its task).
        self.process = subprocess.Popen(self.argv, process_group=0,  # noqa: S603 - our argv
                                        preexec_fn=_die_with_parent)  # noqa: PLW1509
        self.started = time.monotonic()
        logger.info("%s started (pid %s)", self.name, self.process.pid)

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self, deadline: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            logger.warning("%s did not stop in time; killing it", self.name)
            self.process.kill()
            self.process.wait()


class Command(BaseCommand):
    help = "Serve Fupin (gunicorn, several workers) and run its background worker, supervised."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=max(2, min(os.cpu_count() or 2, 4)),
                            help="web processes (default: one per core, 2 to 4)")
        parser.add_argument("--threads", type=int, default=4,
                            help="requests each web process answers at once")
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not start the background worker (imports, refreshes).")

    def handle(self, *args, bind, workers, threads, no_worker=False, **options):
        logger.setLevel(logging.INFO)  # the supervisor's starts and restarts go to the console
        call_command("migrate", verbosity=0, interactive=False)
        # Collected and compressed once here, served by WhiteNoise from the web processes.
        call_command("collectstatic", verbosity=0, interactive=False)
        os.environ["FUPIN_STATIC_COLLECTED"] = "1"
        web = Child("web server (gunicorn)", [
            sys.executable, "-m", "gunicorn", "fupin.wsgi:application", "--bind", bind,
            "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
            # A province page may take a while; gthread workers keep beating meanwhile, so
            # this only ends a process that is truly stuck.
            "--timeout", "120", "--graceful-timeout", "20",
            # Recycle processes now and then so memory does not creep.
            "--max-requests", "5000", "--max-requests-jitter", "500",
            # Not needed here, and one shared path (~/.gunicorn) would clash between servers.
            "--no-control-socket",
        ])
        worker = None if no_worker else Child("background worker", [
            sys.executable, "-m", "fupin", "db_worker", "--no-reload", "--interval", "1"])

        stopping = threading.Event()

        def on_signal(signum, frame):
            stopping.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        status = 0
        try:
            web.start()
            if worker is not None:
                worker.start()
            pause, restart_at = 1.0, None
            while not stopping.wait(0.5):
                code = web.exited()
                if code is not None:
                    logger.error("the web server exited (code %s); stopping", code)
                    status = code or 1
                    break
                if worker is None:
                    continue
                if restart_at is None and worker.exited() is not None:
                    if time.monotonic() - worker.started > HEALTHY_AFTER_SECONDS:
                        pause = 1.0
                    logger.error("the background worker exited (code %s); restarting it in "
                                 "%.0f s", worker.exited(), pause)
                    restart_at = time.monotonic() + pause
                    pause = min(pause * 2, MAX_PAUSE_SECONDS)
                elif restart_at is not None and time.monotonic() >= restart_at:
                    restart_at = None
                    worker.start()
        finally:
            deadline = time.monotonic() + STOP_WAIT_SECONDS
            children = [c for c in (web, worker) if c is not None]
            for child in children:
                child.stop()
            for child in children:
                child.wait(deadline)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if status:
            sys.exit(status)

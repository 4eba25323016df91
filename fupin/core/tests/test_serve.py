"""`fupin serve` is a production server: gunicorn with several processes, and a supervised
background worker, restarted when it dies; SIGTERM stops everything it started."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from fupin.settings import BASE_DIR

STARTED = re.compile(r"(web server|background worker)\b.* started \(pid (\d+)\)")
GUNICORN_WORKER = re.compile(r"Booting worker with pid: (\d+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "FUPIN_VAR_DIR": str(tmp_path / "var"), "FUPIN_DATABASE_URL": "",
           "FUPIN_LOG_LEVEL": "INFO"}
    env.pop("FUPIN_STATIC_COLLECTED", None)
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "fupin", "serve", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "2"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process, f"http://127.0.0.1:{port}", log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def started(log: Path, kind: str) -> list[int]:
    return [int(m.group(2)) for m in STARTED.finditer(log.read_text(errors="replace"))
            if m.group(1) == kind]


def get(url: str):
    try:
        return urllib.request.urlopen(url, timeout=10)  # noqa: S310 - loopback test server
    except OSError:
        return None


def test_serve_runs_gunicorn_and_supervises_the_worker(server):
    process, base, log = server
    response = wait_for(lambda: get(f"{base}/accounts/login/"), 120, "the login page")
    assert response.status == 200
    assert response.headers["Server"] == "gunicorn"  # not WSGIServer (runserver)
    assert get(f"{base}/static/vendor/htmx/htmx.min.js").status == 200  # WhiteNoise
    web = started(log, "web server")
    assert len(web) == 1
    web_workers = wait_for(lambda: [int(p) for p in GUNICORN_WORKER.findall(log.read_text())],
                           30, "gunicorn's processes")
    first = wait_for(lambda: started(log, "background worker"), 30, "the worker")[0]
    assert alive(first)

    os.kill(first, signal.SIGKILL)
    second = wait_for(lambda: started(log, "background worker")[1:], 30, "a restarted worker")[0]
    assert second != first and alive(second)
    assert "background worker exited" in log.read_text()

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    everything = [*web, *web_workers, second]
    wait_for(lambda: not any(alive(pid) for pid in everything), 10, "every child to exit")

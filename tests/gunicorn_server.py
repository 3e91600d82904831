"""The production server for tests: gunicorn with quizapp/gunicorn_conf.py, several workers, on a loopback port."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
# One line per request: the worker's process id (as <pid>), the status, the request line.
ACCESS_FORMAT = '%(p)s %(s)s "%(r)s"'


@contextmanager
def gunicorn(database_url: str, log: Path, workers: int = 3, timeout: float = 60) -> Iterator[tuple[str, int]]:
    """Serve the app on the database with `workers` sync workers; yield the address, stop it whatever happens.

    The settings come from the environment, as in production: port 0 lets the system choose a free port,
    which the master names in its log. Requests are logged next to `log` (see served_requests)."""
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "GUNICORN_BIND": "127.0.0.1:0",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": "1",
        "GUNICORN_WORKER_CLASS": "sync",
        # Plain HTTP on loopback: secure cookies would never come back from the client.
        "QUIZAPP_SECURE_COOKIES": "false",
        # Every client logs in from 127.0.0.1, far more often than the per-address login limit allows.
        "QUIZAPP_RATELIMIT_ENABLED": "false",
        "GUNICORN_ACCESSLOG": str(access_log(log)),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("TEST_DATABASE_URL", None)
    with log.open("wb") as output:
        process = subprocess.Popen(
            # No control socket: its default path is one per user, which another gunicorn may be using.
            [sys.executable, "-m", "gunicorn", "--config", "python:quizapp.gunicorn_conf", "--no-control-socket",
             "--access-logformat", ACCESS_FORMAT],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            address = ("127.0.0.1", _wait_ready(process, log, workers, timeout))
            yield address
        finally:
            _stop(process)


def _wait_ready(process: subprocess.Popen, log: Path, workers: int, timeout: float) -> int:
    """The port, once every worker has booted and /healthz answers 200."""
    deadline = time.monotonic() + timeout
    port = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        text = log.read_text(errors="replace")
        match = _LISTENING.search(text)
        port = port or (int(match.group(1)) if match else None)
        if port and text.count("Booting worker") >= workers:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return port
            except OSError:
                pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn was not ready within {timeout} s:\n{log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the master and its workers (their own process group), SIGKILL if they linger."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=25)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def server_errors(log: Path) -> list[str]:
    """Lines of the server log that report an unhandled exception or a worker that died."""
    markers = ("Exception on ", "Traceback", "WORKER TIMEOUT", "exited with code", "[CRITICAL]")
    return [line for line in log.read_text(errors="replace").splitlines() if any(m in line for m in markers)]


def access_log(log: Path) -> Path:
    """Where the server started with this log writes one line per request."""
    return log.with_name(log.stem + "-access.log")


def served_requests(log: Path) -> list[tuple[int, int]]:
    """(worker process id, HTTP status) of every request the server has answered so far."""
    lines = access_log(log).read_text(errors="replace").splitlines()
    return [(int(pid.strip("<>")), int(status)) for pid, status, _request in (line.split(" ", 2) for line in lines)]

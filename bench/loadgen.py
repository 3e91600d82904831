"""Pieces of the classroom benchmark: gunicorn processes, a loopback HTTP client per student, latency records."""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    """A TCP port nobody listens on, on loopback."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent on anything but idling, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(idle_share: float, timeout: float = 900) -> float:
    """Wait until the machine was at least `idle_share` idle over two seconds; returns the seconds waited."""
    started = time.monotonic()
    cores = os.cpu_count() or 1
    while time.monotonic() - started < timeout:
        before = machine_busy_seconds()
        time.sleep(2)
        if 1 - (machine_busy_seconds() - before) / (2 * cores) >= idle_share:
            break
    return time.monotonic() - started


class Gunicorn:
    """gunicorn with the project's quizapp/gunicorn_conf.py, serving `app` on a loopback port."""

    def __init__(self, app: str, env: dict[str, str], workers: int, threads: int, worker_class: str, log: Path):
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        gunicorn = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "gunicorn"
        settings = {"GUNICORN_BIND": f"{LOOPBACK}:{self.port}", "WEB_CONCURRENCY": str(workers),
                    "GUNICORN_THREADS": str(threads), "GUNICORN_WORKER_CLASS": worker_class,
                    "GUNICORN_CONTROL_SOCKET": "off",  # the app's and the bare server run side by side
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(gunicorn), "--config", "python:quizapp.gunicorn_conf", app],
            cwd=ROOT, env={**os.environ, **env, **settings}, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str, timeout: float = 30) -> None:
        """Poll `path` until it answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer {path} within {timeout} s; see {self.log.name}")

    def cpu_seconds(self) -> float:
        """User and system CPU time of the master and its workers so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # After the command: state, ppid, ..., utime and stime are the 12th and 13th fields.
            if int(entry.name) == self.process.pid or int(fields[1]) == self.process.pid:
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def stop(self) -> None:
        """Graceful stop of the master and its workers."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@dataclass
class Recorder:
    """Latencies and failures per endpoint, and when each phase ran."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    cpu: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    waited: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def phase(self, name: str, probes: dict[str, Callable[[], float]]) -> Iterator[None]:
        """Time a phase and the CPU seconds each probe (a server, the load generator) spends in it; a phase
        run several times (in rounds) adds up."""
        before = {key: probe() for key, probe in probes.items()}
        started = time.perf_counter()
        yield
        self.seconds[name] += time.perf_counter() - started
        for key, probe in probes.items():
            self.cpu[name][key] += probe() - before[key]

    def add(self, endpoint: str, started: float, ok: bool, detail: str = "") -> None:
        self.latencies[endpoint].append((time.perf_counter() - started) * 1000)
        if not ok:
            self.errors[endpoint].append(detail)

    def throughput(self, endpoint: str, phase: str) -> float:
        """Requests to `endpoint` per second over the phase they were made in."""
        return len(self.latencies[endpoint]) / self.seconds[phase]

    def summary(self, endpoint: str) -> tuple[int, float, float, float, float, int]:
        """Count, p50, p95, p99, max (ms) and errors."""
        samples = sorted(self.latencies[endpoint])
        cuts = statistics.quantiles(samples, n=100, method="inclusive") if len(samples) > 1 else samples * 99
        return len(samples), cuts[49], cuts[94], cuts[98], samples[-1], len(self.errors[endpoint])


class Student:
    """One browser: its own cookies, sharing the connection pool of the whole class."""

    def __init__(self, index: int, base: str, connector: aiohttp.BaseConnector, recorder: Recorder):
        self.email = f"student{index:04d}@bench.example"
        self.base = base
        self.recorder = recorder
        self.http = aiohttp.ClientSession(
            connector=connector, connector_owner=False, cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=60),
        )
        self.csrf = ""
        self.attempt_id = 0

    async def request(self, endpoint: str, method: str, path: str, expect: int, **kwargs) -> tuple[int, str, str]:
        """One timed request without following redirects; returns status, Location and body."""
        started = time.perf_counter()
        try:
            async with self.http.request(method, self.base + path, allow_redirects=False, **kwargs) as response:
                body = await response.text()
                location = response.headers.get("Location", "")
                self.recorder.add(endpoint, started, response.status == expect,
                                  f"{method} {path}: HTTP {response.status}")
                return response.status, location, body
        except (TimeoutError, aiohttp.ClientError) as error:
            self.recorder.add(endpoint, started, False, f"{method} {path}: {type(error).__name__} {error}")
            return 0, "", ""

    async def log_in(self, password: str) -> bool:
        """The real login form: fetch it for the CSRF token, then post it."""
        status, _, page = await self.request("GET /auth/login", "GET", "/auth/login", 200)
        match = _CSRF.search(page)
        if status != 200 or not match:
            return False
        self.csrf = match.group(1) or match.group(2)
        status, _, _ = await self.request("POST /auth/login", "POST", "/auth/login", 302,
                                          data={"csrf_token": self.csrf, "email": self.email, "password": password})
        if status != 302:
            return False
        # Logging in starts a new CSRF token: take it from the home page the login leads to.
        status, _, page = await self.request("GET /", "GET", "/", 200)
        match = _CSRF.search(page)
        if status != 200 or not match:
            return False
        self.csrf = match.group(1) or match.group(2)
        return True

    async def start_quiz(self, bank_id: int, topic: str, length: int) -> bool:
        """The home page's start form; the attempt id comes from the redirect."""
        prefix = f"bank{bank_id}-"
        status, location, _ = await self.request(
            "POST /quiz/start", "POST", f"/quiz/start/{bank_id}", 302,
            data={"csrf_token": self.csrf, prefix + "topic": topic, prefix + "length": str(length)})
        match = re.search(r"/quiz/(\d+)/q/1$", location)
        if status != 302 or not match:
            return False
        self.attempt_id = int(match.group(1))
        return True

    async def close(self) -> None:
        await self.http.close()

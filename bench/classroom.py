"""A lecture hall on one machine: N students log in, start a quiz, answer one question in a burst, move on.

    python bench/classroom.py [--students 500] [--burst 5] [--database-url URL] [--workers N] [--threads N]

Starts gunicorn (the project's quizapp/gunicorn_conf.py) on a fresh database: a temporary SQLite file, or the given
PostgreSQL database, which must be empty. Every student logs in through the real login form (CSRF included)
and starts a quiz on one topic of the referendum bank, long enough that every quiz holds the same
single-choice question. Then all of them answer that question at random moments within the burst window,
follow the redirect to the feedback page and open the next question.

Last, the throughput phase: the students answer the next --rest questions of their quizzes as fast as the
server lets them, at most --concurrency at a time, which gives the answer throughput. A bare Flask app under
the same gunicorn settings takes the same number of form posts the same way; the ratio of the two
throughputs is the share of the bare floor that the real answer path keeps. The two take turns in --rounds
rounds, so that a spell of other work on a shared machine falls on both rather than on one.

Prints requests per second and p50/p95/p99 latency per endpoint, the errors, the server CPU time per request
(steadier than throughput on a shared machine), and a check of the database: every answer the server
acknowledged is stored exactly once. All traffic stays on loopback.

Accounts are inserted straight into the benchmark database with a one-round PBKDF2 hash: the app's own
hash is built to cost tens of milliseconds, which would spend the setup hashing 500 passwords, while the
login itself still checks the password through the form like any other.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp  # noqa: E402

from bench.classroom_db import Answer, Plan, check_answers, machine, prepare, quiz_items  # noqa: E402
from bench.loadgen import Gunicorn, Recorder, Student, machine_busy_seconds, wait_for_quiet  # noqa: E402

PASSWORD = "classroom benchmark password"
BURST = ("POST answer", "GET feedback", "GET next question")
ENDPOINTS = {"GET /auth/login": "setup", "POST /auth/login": "setup", "GET /": "setup", "POST /quiz/start": "setup",
             "POST answer": "burst", "GET feedback": "burst", "GET next question": "burst",
             "POST answer (throughput)": "throughput", "POST bare Flask": "bare"}


@dataclass
class Seat:
    """A student and the answers they will give: the shared question first, then the rest in order."""

    student: Student
    shared: Answer = (0, [])
    rest: list[Answer] = field(default_factory=list)


async def bounded(concurrency: int, jobs: list[Awaitable[Any]]) -> list[Any]:
    """Run coroutines with at most `concurrency` at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def run(job: Awaitable[Any]) -> Any:
        async with gate:
            return await job

    return await asyncio.gather(*(run(job) for job in jobs))


async def answer(seat: Seat, given: Answer, endpoint: str, acknowledged: set[tuple[int, int]]) -> None:
    """Post an answer; the server acknowledges it with a redirect to the feedback."""
    student, (position, fields) = seat.student, given
    status, _, _ = await student.request(endpoint, "POST", f"/quiz/{student.attempt_id}/q/{position}", 302,
                                         data=[("csrf_token", student.csrf), *fields])
    if status == 302:
        acknowledged.add((student.attempt_id, position))


async def burst_turn(seat: Seat, delay: float, acknowledged: set[tuple[int, int]]) -> None:
    """One student's turn in the burst: answer, read the feedback, open the next question."""
    await asyncio.sleep(delay)
    student = seat.student
    await answer(seat, seat.shared, "POST answer", acknowledged)
    await student.request("GET feedback", "GET", f"/quiz/{student.attempt_id}/q/{seat.shared[0]}", 200)
    await student.request("GET next question", "GET", f"/quiz/{student.attempt_id}/q/{seat.rest[0][0]}", 200)


async def go_on(seat: Seat, first: int, last: int, acknowledged: set[tuple[int, int]]) -> None:
    """Answer questions first to last (exclusive) of the rest of the quiz, one after the other."""
    for given in seat.rest[first:last]:
        await answer(seat, given, "POST answer (throughput)", acknowledged)


def rounds(questions: int, count: int) -> list[tuple[int, int]]:
    """The questions split into `count` rounds of nearly equal size, as (first, last) pairs."""
    bounds = [questions * number // count for number in range(count + 1)]
    return [(first, last) for first, last in zip(bounds, bounds[1:], strict=False) if last > first]


async def run_class(args: argparse.Namespace, plan: Plan, app: Gunicorn, bare: Gunicorn,
                    recorder: Recorder) -> set[tuple[int, int]]:
    """All phases against the running servers; returns the (attempt, position) answers acknowledged."""
    connector = aiohttp.TCPConnector(limit=0)
    seats = [Seat(Student(i, app.url, connector, recorder)) for i in range(args.students)]
    acknowledged: set[tuple[int, int]] = set()
    probes: dict[str, Callable[[], float]] = {"app": app.cpu_seconds, "bare": bare.cpu_seconds,
                                              "load generator": time.process_time, "machine": machine_busy_seconds}
    try:
        with recorder.phase("setup", probes):
            logged = await bounded(args.concurrency, [s.student.log_in(PASSWORD) for s in seats])
            began = await bounded(args.concurrency, [s.student.start_quiz(plan.bank_id, plan.topic, plan.length)
                                                     for s in seats])
        if not all(logged) or not all(began):
            raise SystemExit(f"setup failed: {logged.count(False)} logins, {began.count(False)} quiz starts failed")
        answers = quiz_items(args.database_url, plan, [s.student.attempt_id for s in seats])
        for seat, (shared, rest) in zip(seats, answers, strict=True):
            seat.shared, seat.rest = shared, rest

        rng = random.Random(args.seed)
        if args.quiet:
            recorder.waited["burst"] = wait_for_quiet(args.quiet)
        with recorder.phase("burst", probes):
            await asyncio.gather(*(burst_turn(s, rng.uniform(0, args.burst), acknowledged) for s in seats))
        if args.quiet:
            recorder.waited["throughput"] = wait_for_quiet(args.quiet)
        floor = Student(-1, bare.url, connector, recorder)
        form = [("csrf_token", "x" * 90), ("answer", "1")]
        # Answers and bare posts take turns, so that both meet the machine in the same moods.
        for first, last in rounds(args.rest, args.rounds):
            with recorder.phase("throughput", probes):
                await bounded(args.concurrency, [go_on(s, first, last, acknowledged) for s in seats])
            with recorder.phase("bare", probes):
                await bounded(args.concurrency, [floor.request("POST bare Flask", "POST", "/", 200, data=form)
                                                 for _ in range((last - first) * len(seats))])
        await floor.close()
    finally:
        for seat in seats:
            await seat.student.close()
        await connector.close()
    return acknowledged


def report(args: argparse.Namespace, recorder: Recorder, load_before: str, checked: tuple[int, int, int, int]) -> bool:
    """Print the figures; True when every target is met."""
    print(machine(args.database_url, args.workers, args.threads, args.worker_class))
    print(f"load average before the run {load_before}, after {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"{args.students} students, burst window {args.burst:g} s, at most {args.concurrency} at a time in "
          f"the setup, throughput and bare phases\n")
    print(f"{'endpoint':26} {'count':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'errors':>6}")
    for endpoint, phase in ENDPOINTS.items():
        count, p50, p95, p99, worst, errors = recorder.summary(endpoint)
        rate = recorder.throughput(endpoint, phase)
        print(f"{endpoint:26} {count:6} {rate:7.0f} {p50:8.1f} {p95:8.1f} {p99:8.1f} {worst:8.1f} {errors:6}")
    for endpoint, errors in recorder.errors.items():
        for detail in sorted(set(errors))[:5]:
            print(f"  error: {endpoint}: {detail} (x{errors.count(detail)})")

    answers = recorder.throughput("POST answer (throughput)", "throughput")
    bare = recorder.throughput("POST bare Flask", "bare")
    print(f"\nanswer throughput {answers:.0f}/s, bare Flask {bare:.0f}/s, ratio {answers / bare:.2f}")
    per_answer = cpu_ms(recorder, "throughput", "app", "POST answer (throughput)")
    per_bare = cpu_ms(recorder, "bare", "bare", "POST bare Flask")
    client_answer = cpu_ms(recorder, "throughput", "load generator", "POST answer (throughput)")
    client_bare = cpu_ms(recorder, "bare", "load generator", "POST bare Flask")
    print(f"CPU per request, server: answer {per_answer:.2f} ms, bare Flask {per_bare:.2f} ms (ratio "
          f"{per_bare / per_answer:.2f}); load generator: {client_answer:.2f} ms per answer, {client_bare:.2f} ms "
          f"per bare post")
    requests = sum(len(recorder.latencies[e]) for e in BURST)
    print(f"burst: {recorder.cpu['burst']['app'] * 1000 / requests:.2f} ms of gunicorn CPU per request; "
          f"'all else' below is the rest of the machine, PostgreSQL included when it runs here")
    for phase in ("burst", "throughput", "bare"):
        cpu = {probe: seconds / recorder.seconds[phase] for probe, seconds in recorder.cpu[phase].items()}
        server = cpu["bare"] if phase == "bare" else cpu["app"]
        others = cpu["machine"] - server - cpu["load generator"]
        waited = recorder.waited.get(phase)
        waited = f" (after {waited:.0f} s waiting for a quiet machine)" if waited is not None else ""
        print(f"{phase} phase: {recorder.seconds[phase]:.1f} s{waited}; cores busy: gunicorn {server:.2f}, "
              f"load generator {cpu['load generator']:.2f}, all else {others:.2f} (of {os.cpu_count()})")

    acknowledged, stored, duplicated, unacknowledged = checked
    lost = acknowledged - stored
    print(f"database: {acknowledged} answers acknowledged, {stored} stored, {lost} lost, {duplicated} duplicated, "
          f"{unacknowledged} stored without acknowledgement")
    burst_p99 = max(recorder.summary(e)[3] for e in BURST)
    errors = sum(len(e) for e in recorder.errors.values())
    met = burst_p99 < 300 and errors == 0 and lost == 0 and duplicated == 0 and answers / bare >= 0.5
    print(f"targets (p99 < 300 ms in the burst, 0 errors, 0 lost or duplicated, ratio >= 0.5): "
          f"{'met' if met else 'NOT met'}")
    return met


def cpu_ms(recorder: Recorder, phase: str, probe: str, endpoint: str) -> float:
    """CPU milliseconds a probe spent in a phase, per request to the endpoint."""
    return recorder.cpu[phase][probe] * 1000 / max(1, len(recorder.latencies[endpoint]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--burst", type=float, default=5.0, help="seconds over which the answers arrive")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a temporary SQLite file)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync, gthread)")
    parser.add_argument("--concurrency", type=int, default=64, help="students at a time outside the burst")
    parser.add_argument("--rest", type=int, default=10, help="questions each student answers in the throughput phase")
    parser.add_argument("--rounds", type=int, default=5,
                        help="turns the throughput and bare phases take, alternating, to share the machine's moods")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--quiet", type=float, default=0.0,
                        help="before the burst and the throughput phase, wait until the machine is this share idle")
    parser.add_argument("--app", default="quizapp:create_app()", help="WSGI app to serve (a profiling wrapper)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quizapp-classroom-"))
    args.database_url = args.database_url or f"sqlite:///{folder / 'classroom.sqlite3'}"
    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    plan = prepare(args.database_url, args.students, PASSWORD)
    env = {"SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": args.database_url,
           # Plain HTTP on loopback: secure cookies would never come back from the client.
           "QUIZAPP_SECURE_COOKIES": "false"}
    served = (args.workers, args.threads, args.worker_class)
    app = Gunicorn(args.app, env, *served, folder / "app.log")
    bare = Gunicorn("bench.bare:app", {}, *served, folder / "bare.log")
    recorder = Recorder()
    try:
        app.wait_ready("/healthz")
        bare.wait_ready("/healthz")
        acknowledged = asyncio.run(run_class(args, plan, app, bare, recorder))
    finally:
        app.stop()
        bare.stop()
    met = report(args, recorder, load_before, check_answers(args.database_url, acknowledged))
    print(f"logs and database in {folder}")
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()

"""Instructions one answer POST costs, counted by valgrind: the same figure however busy the machine is.

    python bench/answer_instructions.py [--students 8] [--requests 200]

On a shared machine the classroom benchmark's timings move by a tenth or more from one run to the next, which
hides changes of that size. This runs the quiz loop of bench/answer_profile.py in one process under valgrind's
callgrind three times: with no request after the setup, with --requests answer posts, and with as many posts
to the bare Flask app. The differences, divided by the number of requests, are the instructions each request
costs (Flask's test client included, the same for both). Needs valgrind (Debian's package); takes a few minutes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run_requests(students: int, kind: str, count: int) -> None:
    """The measured process: set up the students, then send `count` requests of one kind."""
    from bench.answer_profile import answer, bare, visits

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='quizapp-instructions-')) / 'profile.sqlite3'}"
    _, planned = visits(url, students)
    if count > len(planned):
        raise SystemExit(f"{students} students give {len(planned)} answers; ask for fewer requests")
    for visit in planned[:3]:  # the bare app's first requests, which set it up, in every run alike
        bare(visit)
    send = answer if kind == "answer" else bare
    for visit in planned[:count]:
        send(visit)


def instructions(students: int, kind: str, count: int) -> int:
    """Instructions valgrind counted for one run of run_requests."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        finished = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__,
             "--inner", kind, "--students", str(students), "--requests", str(count)],
            cwd=ROOT, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", finished.stderr)
    if finished.returncode != 0 or found is None:
        raise SystemExit(f"valgrind run failed:\n{finished.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--inner", choices=("answer", "bare"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        run_requests(args.students, args.inner, args.requests)
        return
    runs = {"setup only": ("bare", 0), "answers": ("answer", args.requests), "bare posts": ("bare", args.requests)}
    with ThreadPoolExecutor(len(runs)) as pool:
        counted = dict(zip(runs, pool.map(lambda run: instructions(args.students, *run), runs.values()), strict=True))
    per_answer = (counted["answers"] - counted["setup only"]) / args.requests
    per_bare = (counted["bare posts"] - counted["setup only"]) / args.requests
    print(f"{args.requests} requests of each kind after the same setup ({args.students} students), test client "
          f"in one process, counted by callgrind")
    print(f"answer POST      {per_answer / 1e6:6.2f} million instructions")
    print(f"bare Flask POST  {per_bare / 1e6:6.2f} million instructions (ratio {per_bare / per_answer:.2f})")


if __name__ == "__main__":
    main()

"""Instructions one answer POST costs, counted by valgrind: the same figure however busy the machine is.

    python bench/answer_instructions.py [--students 8] [--requests 200] [--pages]

On a shared machine the classroom benchmark's timings move by a tenth or more from one run to the next, which
hides changes of that size. This runs the quiz loop of bench/answer_profile.py in one process under valgrind's
callgrind twice: once sending --requests answer posts after the setup, once as many posts to the bare Flask
app. callgrind_control zeroes the count when the setup is done and records it when the posts are, so the count
divided by the number of requests is what each request costs (Flask's test client included, the same for
both). --pages counts the quiz's two pages too: the question page, and the feedback page of an answered
question (the answers posted in the setup). Needs valgrind (Debian's package); takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


KINDS = ("answer", "bare", "question", "feedback")


def run_requests(students: int, kind: str, count: int) -> None:
    """The measured process: set up the students, then send `count` requests of one kind."""
    from bench.answer_profile import answer, bare, question, visits

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='quizapp-instructions-')) / 'profile.sqlite3'}"
    _, planned = visits(url, students)
    if count > len(planned):
        raise SystemExit(f"{students} students give {len(planned)} answers; ask for fewer requests")
    for visit in planned[:3]:  # the bare app's first requests, which set it up, in every run alike
        bare(visit)
    if kind == "feedback":
        for visit in planned[:count]:  # an answered question's page is its feedback
            answer(visit)
    send = {"answer": answer, "bare": bare, "question": question, "feedback": question}[kind]
    _callgrind("--zero")
    for visit in planned[:count]:
        send(visit)
    _callgrind("--dump=measured")


def _callgrind(command: str) -> None:
    """Tell the callgrind running this process to zero its count or to record it."""
    subprocess.run(["callgrind_control", command, str(os.getpid())], check=True, capture_output=True)


def instructions(students: int, kind: str, count: int) -> int:
    """Instructions callgrind counted while run_requests sent its requests."""
    with tempfile.TemporaryDirectory() as folder:
        finished = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/callgrind.out", sys.executable,
             __file__, "--inner", kind, "--students", str(students), "--requests", str(count)],
            cwd=ROOT, capture_output=True, text=True, check=False)
        dumps = [path.read_text() for path in Path(folder).glob("callgrind.out*")]
    measured = [re.search(r"^summary: (\d+)", dump, re.M) for dump in dumps if "Trigger: dump measured" in dump]
    if finished.returncode != 0 or len(measured) != 1 or measured[0] is None:
        raise SystemExit(f"valgrind run failed:\n{finished.stderr[-2000:]}")
    return int(measured[0].group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pages", action="store_true", help="count the question and feedback pages too")
    parser.add_argument("--inner", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        run_requests(args.students, args.inner, args.requests)
        return
    kinds = KINDS if args.pages else KINDS[:2]
    with ThreadPoolExecutor(2) as pool:
        counted = dict(zip(kinds, pool.map(lambda kind: instructions(args.students, kind, args.requests), kinds),
                           strict=True))
    per = {kind: total / args.requests for kind, total in counted.items()}
    print(f"{args.requests} requests of each kind after the same setup ({args.students} students), test client "
          f"in one process, counted by callgrind")
    print(f"answer POST        {per['answer'] / 1e6:6.2f} million instructions")
    print(f"bare Flask POST    {per['bare'] / 1e6:6.2f} million instructions (ratio {per['bare'] / per['answer']:.2f})")
    if args.pages:
        print(f"question page GET  {per['question'] / 1e6:6.2f} million instructions")
        print(f"feedback page GET  {per['feedback'] / 1e6:6.2f} million instructions")


if __name__ == "__main__":
    main()

"""Time the study queue for a heavy user: 20,000 cards and 200,000 review logs.

    python bench/review_queue.py [--cards 20000] [--logs 200000] [--runs 500] [--database-url URL]

Builds a fresh database with the project's migrations (a temporary SQLite file unless a URL is given),
fills it, then times the due-queue query (what the study page runs to pick the next card), the whole
set of queue queries the study page makes, the review-submit path (rate a card and commit) and the study
figures of the progress page (streak, due count, retention and its four charts).
Prints p50 and p95 in milliseconds, and each as a ratio to a primary-key lookup on the same database.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.auth.accounts import register_user  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import Bank, Card, Question, QuestionRevision, ReviewLog, User  # noqa: E402
from quizapp.progress.study import study_progress  # noqa: E402
from quizapp.srs.queue import due_count, new_available, next_card, record_review, review_count  # noqa: E402
from quizapp.srs.scheduling import AGAIN, EASY, GOOD, HARD  # noqa: E402

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CHUNK = 5000


def build(cards: int, logs: int, rng: random.Random) -> User:
    """One public bank of `cards` questions, one user with a card for each and `logs` reviews."""
    user = register_user(db.session, "heavy@example.org", "Heavy user", "a long enough password")
    bank = Bank(slug="bench", title="Benchmark bank", is_public=True)
    db.session.add(bank)
    db.session.flush()
    data = {"type": "flashcard", "front": "Front", "back": "Back", "explanation": "", "sources": []}
    _insert(Question, [{"id": i, "bank_id": bank.id, "key": f"q{i}", "type": "flashcard", "topic": f"Topic {i % 12}",
                        "difficulty": "recall", "section": "", "tags": [], "revision": 1} for i in range(1, cards + 1)])
    _insert(QuestionRevision, [{"question_id": i, "number": 1, "content_hash": f"{i:064d}", "data": data,
                                "created_at": NOW} for i in range(1, cards + 1)])
    card_rows = []
    for i in range(1, cards + 1):
        last = NOW - timedelta(days=rng.uniform(0, 120))
        # Roughly one card in twenty is due now, the rest over the coming year, as in a mature collection.
        overdue = rng.random() < 0.05
        due = NOW + timedelta(days=-rng.uniform(0, 5) if overdue else rng.uniform(0, 365))
        card_rows.append({"id": i, "user_id": user.id, "question_id": i, "state": 2, "step": None,
                          "stability": rng.uniform(1, 300), "difficulty": rng.uniform(1, 10), "due": due,
                          "last_review": last, "version": 1, "origin": "new", "created_at": last - timedelta(days=30)})
    _insert(Card, card_rows)
    ratings = (AGAIN, HARD, GOOD, GOOD, GOOD, EASY)
    _insert(ReviewLog, [{"card_id": rng.randint(1, cards), "user_id": user.id, "question_id": 0, "rating": rng.choice(
        ratings), "state_before": 2, "reviewed_at": NOW - timedelta(days=rng.uniform(0, 365)), "duration_ms": 4000}
        for _ in range(logs)], fix_question=True)
    db.session.commit()
    return user


def _insert(model, rows: list[dict], fix_question: bool = False) -> None:
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        if fix_question:
            for row in chunk:
                row["question_id"] = row["card_id"]
        db.session.execute(insert(model), chunk)


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call, after a few warm-up calls."""
    for _ in range(5):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], share: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(share * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--logs", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--database-url", help="an empty database to use instead of a temporary SQLite file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    rng = random.Random(7)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        user = build(args.cards, args.logs, rng)
        print(f"Built {args.cards:,} cards and {args.logs:,} review logs in {time.perf_counter() - started:.1f} s "
              f"on {db.engine.dialect.name}")
        user_id = user.id
        session = db.session

        def lookup():
            session.expire_all()
            return session.get(User, user_id, populate_existing=True)

        def due_queue():
            session.expire_all()
            return next_card(session, session.get(User, user_id), NOW)

        def study_page_queries():
            session.expire_all()
            person = session.get(User, user_id)
            return next_card(session, person, NOW), due_count(session, person, NOW), new_available(session, person, NOW)

        due_ids = list(session.scalars(select(Card.question_id).where(Card.user_id == user_id, Card.due <= NOW)))
        rng.shuffle(due_ids)
        pending = iter(due_ids * 3)

        def submit():
            person = session.get(User, user_id)
            question = session.get(Question, next(pending))
            # The ratings the card has had, as the study page sends them: any other count is refused unrecorded.
            card = record_review(session, person, question, GOOD, review_count(session, person, question.id), now=NOW)
            assert card is not None, "the rating was refused"
            session.commit()

        def progress_figures():
            session.expire_all()
            return study_progress(session, session.get(User, user_id), NOW)

        baseline = timed(lookup, args.runs)
        results = {
            "due queue (next card)": timed(due_queue, args.runs),
            "study page queue queries": timed(study_page_queries, args.runs),
            "review submit + commit": timed(submit, min(args.runs, len(due_ids) * 3 - 5)),
            # Every review in the log counts here, so it runs fewer times.
            "progress page study figures": timed(progress_figures, max(10, args.runs // 25)),
        }
    base = statistics.median(baseline)
    print(f"Machine: {platform.machine()}, {platform.processor() or 'unknown CPU'}, Python {platform.python_version()}")
    print(f"{'':28} {'p50 ms':>8} {'p95 ms':>8} {'p50/lookup':>11}")
    print(f"{'primary-key lookup':28} {base:8.3f} {percentile(baseline, 0.95):8.3f} {1:11.1f}")
    for name, samples in results.items():
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        print(f"{name:28} {p50:8.3f} {p95:8.3f} {p50 / base:11.1f}")


if __name__ == "__main__":
    main()

"""The answer path under concurrency: one answer per item whoever wins, the attempt finished by the last one."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.extensions import db
from quizapp.models import Bank, QuizAttempt, Response, User
from quizapp.quiz.service import attempt_progress, get_item, start_quiz, submit_answer


def test_racing_submits_store_one_answer(app, fixture_bank, student):
    attempt_id = start_quiz(db.session, student, db.session.scalar(select(Bank)), "Economy and trade", 1).id
    db.session.commit()
    with Session(db.engine) as other:
        # Both requests read the item while it has no answer, then both try to record one.
        first = get_item(db.session, student, attempt_id, 1)
        second = get_item(other, other.get(User, student.id), attempt_id, 1)
        assert first.response is None and second.response is None
        assert submit_answer(db.session, first, "29.4")
        db.session.commit()
        assert not submit_answer(other, second, "1")
        other.commit()
    answers = db.session.scalars(select(Response)).all()
    assert len(answers) == 1
    assert answers[0].is_correct


def test_attempt_finishes_with_its_last_answer(app, fixture_bank, student):
    bank = db.session.scalar(select(Bank))
    attempt_id = start_quiz(db.session, student, bank, None, 3).id
    db.session.commit()
    for position in (3, 1, 2):
        item = get_item(db.session, student, attempt_id, position)
        assert submit_answer(db.session, item, ["x"] if item.question.type == "cloze" else "an answer")
        db.session.commit()
        finished = db.session.scalar(select(QuizAttempt.finished_at).where(QuizAttempt.id == attempt_id))
        assert (finished is not None) == (position == 2)
        if position == 3:
            assert attempt_progress(db.session, attempt_id).next_position == 1
    assert attempt_progress(db.session, attempt_id).total == 3
    assert db.session.scalar(select(func.count()).select_from(Response)) == 3

"""My progress and due cards, an instructor's gradebook, and the OpenAPI document, over JSON."""

from __future__ import annotations

from datetime import datetime

from flask import jsonify, request
from flask_login import current_user
from sqlalchemy import select

from quizapp.api import bp
from quizapp.api.auth import ApiError, login_required
from quizapp.api.openapi import openapi_document
from quizapp.api.serialize import listed_order, question_json
from quizapp.classroom.gradebook import build_gradebook
from quizapp.classroom.membership import taught_class
from quizapp.extensions import db
from quizapp.models import Question, QuestionRevision
from quizapp.models.content import is_current_revision
from quizapp.models.types import parse_id, utcnow
from quizapp.progress.stats import accuracy_by_topic, attempt_count, overall_accuracy
from quizapp.quiz.service import catch_up_assignments
from quizapp.srs.days import day_bounds
from quizapp.srs.queue import due_cards, due_count, new_available
from quizapp.srs.stats import current_streak, overall_retention


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API, with this server's address."""
    return jsonify(openapi_document(request.host_url.rstrip("/") + bp.url_prefix))


@bp.get("/me/progress")
@login_required
def my_progress():
    """The caller's quiz accuracy overall and per topic, and study figures."""
    now = utcnow()
    _catch_up(now)
    overall = overall_accuracy(db.session, current_user.id)
    retention = overall_retention(db.session, current_user, now)
    return jsonify(
        quizzes={"answered": overall.answered, "correct": overall.correct, "percent": overall.percent,
                 "attempts": attempt_count(db.session, current_user.id)},
        topics=[{"topic": a.label, "answered": a.answered, "correct": a.correct, "percent": a.percent}
                for a in accuracy_by_topic(db.session, current_user.id)],
        study={"due_now": due_count(db.session, current_user, now),
               "new_available": new_available(db.session, current_user, now),
               "streak_days": current_streak(db.session, current_user, now),
               "next_day_at": day_bounds(current_user, now, -1).isoformat(),
               "retention_30_days": {"reviews": retention.total, "passed": retention.passed,
                                     "percent": retention.percent}},
    )


@bp.get("/me/due")
@login_required
def my_due_cards():
    # Read by hand: with type=int, werkzeug would quietly put the default in place of a limit like "ten".
    """The caller's cards due for review, most overdue first, up to `limit`."""
    limit = parse_id(request.args.get("limit", "50"))
    if limit is None or not 1 <= limit <= 200:
        raise ApiError(422, "The limit is out of range.", {"limit": "an integer from 1 to 200"})
    now = utcnow()
    _catch_up(now)
    cards = due_cards(db.session, current_user, now, limit=limit)
    revisions = {
        q.id: (q, data) for q, data in db.session.execute(
            select(Question, QuestionRevision.data)
            .join(QuestionRevision, is_current_revision())
            .where(Question.id.in_([c.question_id for c in cards]))
        )
    }
    return jsonify(due_now=due_count(db.session, current_user, now), cards=[
        {"question": question_json(*revisions[c.question_id], listed_order(current_user.id, *revisions[c.question_id])),
         "due": c.due.isoformat(), "state": c.state,
         "bank_id": revisions[c.question_id][0].bank_id}
        for c in cards if c.question_id in revisions
    ])


def _catch_up(now: datetime) -> None:
    """Hand in the caller's attempts whose time ran out and queue misses released since, as study does."""
    if catch_up_assignments(db.session, current_user.id, now):
        db.session.commit()


@bp.get("/classes/<int:classroom_id>/gradebook")
@login_required
def gradebook(classroom_id: int):
    """A class's gradebook, for its own instructors only."""
    classroom = taught_class(db.session, current_user, classroom_id)
    if classroom is None:
        raise ApiError(404, "You teach no class with that id.")
    book = build_gradebook(db.session, classroom)
    return jsonify(
        classroom={"id": classroom.id, "name": classroom.name},
        assignments=[{"id": a.id, "title": a.title, "grading": a.grading,
                      "due_at": a.due_at.isoformat() if a.due_at else None} for a in book.assignments],
        students=[{"id": s.id, "name": s.display_name, "email": s.email, "grades": [
            _grade(book.cell(s.id, a.id)) | {"assignment_id": a.id, "status": book.standing(s.id, a)}
            for a in book.assignments
        ]} for s in book.students],
    )


def _grade(cell) -> dict:
    counted = cell.counted
    return {"attempts": len(cell.attempts),
            "points": counted.points if counted else None, "possible": counted.possible if counted else None,
            "percent": counted.percent if counted else None, "late": counted.is_late if counted else None,
            "handed_in_at": counted.finished_at.isoformat() if counted and counted.finished_at else None}

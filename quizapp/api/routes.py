"""Banks, questions and quizzes over JSON."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_login import current_user
from sqlalchemy import select

from quizapp.api import bp
from quizapp.api.answers import BadAnswer, parse_answer, whole_number
from quizapp.api.auth import ApiError, json_body, login_required
from quizapp.api.serialize import attempt_json, feedback_json, listed_order, question_json
from quizapp.banks.visibility import PRACTICE_CLOSED, practice_allowed
from quizapp.extensions import db
from quizapp.grading import grade
from quizapp.models import Question, QuestionRevision, QuizAttempt, QuizItem
from quizapp.models.content import is_current_revision
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import (
    NO_HAND_IN,
    answer_refusal,
    close_if_expired,
    feedback_visible,
    hand_in_refusal,
    is_past_due,
    submit_attempt,
)
from quizapp.quiz.service import (
    BankGone,
    NoQuestions,
    bank_overviews,
    enqueue_attempt_misses,
    get_item,
    is_miss,
    own_attempt,
    queued_for_study,
    record_self_grade,
    release_held_misses,
    start_quiz,
    submit_answer,
)


def _visible_overview(bank_id: int):
    overview = next((o for o in bank_overviews(db.session, current_user) if o.bank.id == bank_id), None)
    if overview is None:
        raise ApiError(404, "No bank with that id is visible to you.")
    return overview


@bp.get("/banks")
@login_required
def banks():
    """The banks visible to the caller, with their topics and question counts."""
    return jsonify(banks=[
        {"id": o.bank.id, "slug": o.bank.slug, "title": o.bank.title, "description": o.bank.description,
         "questions": o.total, "topics": [{"name": t, "questions": n} for t, n in o.topics]}
        for o in bank_overviews(db.session, current_user)
    ])


@bp.get("/banks/<int:bank_id>/questions")
@login_required
def bank_questions(bank_id: int):
    """A visible bank's active questions, without answer keys."""
    bank = _visible_overview(bank_id).bank
    rows = db.session.execute(
        select(Question, QuestionRevision.data)
        .join(QuestionRevision, is_current_revision())
        .where(Question.bank_id == bank.id, Question.retired_at.is_(None)).order_by(Question.id)
    ).all()
    return jsonify(bank_id=bank.id, questions=[question_json(q, data, listed_order(current_user.id, q, data))
                                               for q, data in rows])


@bp.post("/quizzes")
@login_required
def create_quiz():
    """Start a practice quiz on a bank, optionally one topic; 201 with its items."""
    body = json_body()
    bank_id, topic, length = whole_number(body.get("bank_id")), body.get("topic"), whole_number(body.get("length", 10))
    if bank_id is None:
        raise ApiError(422, "The quiz needs a bank.", {"bank_id": "an integer bank id"})
    if topic is not None and not isinstance(topic, str):
        raise ApiError(422, "The topic must be text.", {"topic": "a topic name, or null for all topics"})
    if length is None or not 1 <= length <= 50:
        raise ApiError(422, "The length is out of range.", {"length": "an integer from 1 to 50"})
    overview = _visible_overview(bank_id)
    if topic and topic not in {t for t, _ in overview.topics}:
        raise ApiError(422, "This bank has no questions on that topic.", {"topic": "one of the bank's topics"})
    try:
        attempt = start_quiz(db.session, current_user, overview.bank, topic, length)
    except NoQuestions as error:
        raise ApiError(422, "This bank has no questions to draw.") from error
    except BankGone as error:
        raise ApiError(404, "No bank with that id is visible to you.") from error
    db.session.commit()
    response = jsonify(attempt_json(attempt, {}))
    response.headers["Location"] = url_for("api.quiz", attempt_id=attempt.id)
    return response, 201


def _own_attempt(attempt_id: int) -> QuizAttempt:
    attempt = own_attempt(db.session, current_user, attempt_id)
    if attempt is None:
        raise ApiError(404, "You have no quiz with that id.")
    return attempt


def _visible_feedback(attempt: QuizAttempt) -> dict[int, dict]:
    if not feedback_visible(attempt, utcnow()):
        return {}
    # The bank is asked about once, and only when something was missed.
    bank_open = any(is_miss(item) for item in attempt.items) and _bank_open(attempt)
    return {item.position: feedback_json(db.session, item, _result(item), queued_for_study(item, bank_open))
            for item in attempt.items if item.response is not None}


def _feedback(item: QuizItem) -> dict:
    """One answered item's feedback; a right answer costs no query about its bank."""
    queued = is_miss(item) and queued_for_study(item, _bank_open(item.attempt))
    return feedback_json(db.session, item, _result(item), queued)


def _bank_open(attempt: QuizAttempt) -> bool:
    return practice_allowed(db.session, current_user, attempt.bank_id)


def _result(item: QuizItem):
    given = item.response.given if item.response else None
    if item.question.type == "flashcard" or given is None:
        return None
    return grade(item.question.type, item.revision.data, given)


@bp.get("/quizzes/<int:attempt_id>")
@login_required
def quiz(attempt_id: int):
    """One of the caller's quizzes, with feedback on each answered item where it may be shown."""
    attempt, now = _own_attempt(attempt_id), utcnow()
    if attempt.assignment_id is not None:
        close_if_expired(attempt, now)
        if attempt.finished_at is not None and feedback_visible(attempt, now):
            # As the results page does: feedback shown after the due date (or after a time limit handed the
            # attempt in) is when its misses join the review queue; nothing else would put them there.
            enqueue_attempt_misses(db.session, attempt)
        db.session.commit()
    return jsonify(attempt_json(attempt, _visible_feedback(attempt)))


ANSWERED_ALREADY = "Answered already: the first answer stands."


@bp.post("/quizzes/<int:attempt_id>/items/<int:position>/answer")
@login_required
def answer(attempt_id: int, position: int):
    """Answer an item: the grading, correct answer, explanation and source, or 202 while feedback waits."""
    body = json_body()  # an unreadable request is refused as such, even for an item answered already
    item = get_item(db.session, current_user, attempt_id, position)
    if item is None:
        raise ApiError(404, "You have no quiz item there.")
    attempt, now = item.attempt, utcnow()
    deferred = attempt.assignment_id is not None and not feedback_visible(attempt, now)
    if item.response is not None and not deferred and item.response.given is not None:
        # A resent or second answer changes nothing: the first one stands, and the caller is told so. Feedback held
        # back until now puts its misses in the study queue first, as the results page does.
        if release_held_misses(db.session, attempt):
            db.session.commit()
        return jsonify(position=position, recorded=False, message=ANSWERED_ALREADY,
                       feedback=_feedback(item))
    if attempt.assignment_id is None and not practice_allowed(db.session, current_user, attempt.bank_id):
        raise ApiError(409, PRACTICE_CLOSED)
    qtype = item.question.type
    try:
        given = parse_answer(qtype, item.revision.data, item.choice_order, body.get("answer"))
    except BadAnswer as error:
        raise ApiError(422, "The answer does not fit the question.", {"answer": f"expected {error}"}) from error
    refusal = answer_refusal(attempt, now)
    if refusal:
        db.session.commit()
        raise ApiError(409, refusal)
    if qtype == "flashcard":
        # A card whose back its page showed already has an answer waiting for this grade: the grade is the answer.
        submit_answer(db.session, item, None)
        recorded = record_self_grade(db.session, item, knew=given)
    else:
        recorded = submit_answer(db.session, item, given, replace=deferred)
    db.session.commit()
    if not recorded:  # another request, sent at the same moment, answered the item first
        return jsonify(position=position, recorded=False, message=ANSWERED_ALREADY,
                       feedback=_feedback(item))
    if deferred:
        return jsonify(position=position, recorded=True,
                       message="Saved. Feedback comes " + (
                           "once you hand in." if attempt.assignment.feedback_policy == "submit"
                           or is_past_due(attempt.assignment, now) else "after the due date.")), 202
    return jsonify(position=position, recorded=True, feedback=_feedback(item))


@bp.post("/quizzes/<int:attempt_id>/hand-in")
@login_required
def hand_in(attempt_id: int):
    """Hand in an assignment attempt."""
    attempt = _own_attempt(attempt_id)
    if attempt.assignment_id is None:
        # Not 409: no state of a practice quiz takes a hand-in. The web page answers 404 with the same words.
        raise ApiError(404, NO_HAND_IN)
    now = utcnow()
    close_if_expired(attempt, now)
    refusal = hand_in_refusal(attempt)
    if refusal:
        db.session.commit()  # an attempt closed by its deadline on the way stays closed
        raise ApiError(409, refusal)
    submit_attempt(attempt, now)
    if feedback_visible(attempt, now):
        enqueue_attempt_misses(db.session, attempt)
    db.session.commit()
    return jsonify(attempt_json(attempt, _visible_feedback(attempt)))

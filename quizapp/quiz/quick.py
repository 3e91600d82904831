"""The answer to a practice-quiz question recorded in one query and one insert.

When a lecture hall answers at once, almost every request is a well-formed answer to an unanswered question of
the student's own practice quiz. Those take this path: the session's login, the item, its question and whether it
is the attempt's last unanswered one come back in a single query, the answer is read straight from the form, and
the response goes in with one insert. Anything else (no login in the session, an assignment with its deadlines
and feedback policies, a bank no longer open for practice, an answer already given, a form that does not
validate) returns None, and the caller takes the full path, which gives the same result with its messages and
error pages.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask import session as cookie_session
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.engine import Engine
from werkzeug.datastructures import MultiDict

from quizapp.banks.visibility import open_for_practice
from quizapp.driver_sql import DriverConnection, DriverStatement
from quizapp.grading import grade
from quizapp.grading.checkers import numeric_refusal
from quizapp.models import Bank, Question, QuestionRevision, QuizAttempt, QuizItem, Response, User
from quizapp.models.types import utcnow
from quizapp.models.user import parse_session_id
from quizapp.quiz.forms import ANSWER_MAX
from quizapp.quiz.service import FINISH_ATTEMPT, INSERT_RESPONSE
from quizapp.srs.missed import enqueue_missed

_items, _attempts, _responses = QuizItem.__table__, QuizAttempt.__table__, Response.__table__
_others, _their_responses = _items.alias("other_item"), _responses.alias("other_response")
_unanswered = (
    select(func.count())
    .select_from(_others.outerjoin(_their_responses, _their_responses.c.item_id == _others.c.id))
    .where(_others.c.attempt_id == _attempts.c.id, _their_responses.c.id.is_(None))
    .scalar_subquery()
)
_ANSWERABLE = (
    select(_items.c.id, _items.c.question_id, _items.c.revision_id, _items.c.choice_order,
           Question.__table__.c.type, QuestionRevision.__table__.c.content_hash, _unanswered.label("unanswered"))
    .select_from(
        _items.join(_attempts, _attempts.c.id == _items.c.attempt_id)
        .join(User.__table__, User.__table__.c.id == _attempts.c.user_id)
        .join(Bank.__table__, Bank.__table__.c.id == _attempts.c.bank_id)
        .join(Question.__table__, Question.__table__.c.id == _items.c.question_id)
        .join(QuestionRevision.__table__, QuestionRevision.__table__.c.id == _items.c.revision_id)
        .outerjoin(_responses, _responses.c.item_id == _items.c.id)
    )
    .where(and_(
        _attempts.c.id == bindparam("attempt_id"), _items.c.position == bindparam("position"),
        _attempts.c.user_id == bindparam("user_id"), _attempts.c.assignment_id.is_(None),
        open_for_practice(_attempts.c.user_id),
        # The session version makes a session ended by logout or a new password fall through to the full path.
        User.__table__.c.session_version == bindparam("session_version"),
        _responses.c.id.is_(None),
    ))
)
_ANSWERABLE_ON_DRIVER = DriverStatement(_ANSWERABLE)
_INSERT_ON_DRIVER = DriverStatement(INSERT_RESPONSE)
_FINISH_ON_DRIVER = DriverStatement(FINISH_ATTEMPT)
_REVISION_DATA_ON_DRIVER = DriverStatement(
    select(QuestionRevision.__table__.c.data).where(QuestionRevision.__table__.c.id == bindparam("revision_id")))
NOT_PARSED = object()
# A revision's content never changes (an edit makes a new revision), so what grading needs of it is read once
# per process. Its content hash is part of the key, in case an id is used again after a bank is deleted.
_revision_data: dict[tuple[int, str], dict[str, Any]] = {}
REVISIONS_KEPT = 2048


def session_login() -> tuple[int, int] | None:
    """The account id and session version the login session names, read without loading the account; None
    when Flask-Login's strong session protection is on, which must see the request itself."""
    if current_app.login_manager.session_protection == "strong":  # type: ignore[attr-defined]
        return None
    return parse_session_id(str(cookie_session.get("_user_id", "")))


def parse_answer(qtype: str, data: dict[str, Any], choice_order: list[int] | None, form: MultiDict) -> Any:
    """The answer a valid form gives, as the answer form would read it; NOT_PARSED if the form is not plainly
    valid, so the form itself can say what is wrong."""
    order = choice_order or []
    if qtype == "flashcard":
        return None
    if qtype == "cloze":
        return _blanks(len(data["blanks"]), form)
    values = form.getlist("answer")
    if not values or not values[0]:
        return NOT_PARSED
    if qtype == "single_choice":
        return order[int(values[0])] if _is_position(values[0], order) else NOT_PARSED
    if qtype == "multiple_response":
        if not all(_is_position(value, order) for value in values):
            return NOT_PARSED
        return sorted(order[int(value)] for value in values)
    if qtype == "true_false":
        return {"true": True, "false": False}.get(values[0], NOT_PARSED)
    if qtype in ("numeric", "short_text"):
        if (len(values[0]) > ANSWER_MAX or not values[0].strip()
                or (qtype == "numeric" and numeric_refusal(values[0]))):
            return NOT_PARSED
        return values[0].strip()
    return NOT_PARSED


def _is_position(value: str, order: list[int]) -> bool:
    return value.isdigit() and value.isascii() and str(int(value)) == value and int(value) < len(order)


def _blanks(count: int, form: MultiDict) -> Any:
    """Every blank given once under its own name, and no other: anything else is for the form to sort out."""
    expected = [f"blanks-{index}" for index in range(count)]
    if sorted(key for key in form if key.startswith("blanks-")) != sorted(expected):
        return NOT_PARSED
    typed = [form.get(name, "") for name in expected]
    if not any(text.strip() for text in typed) or any(len(text) > ANSWER_MAX for text in typed):
        return NOT_PARSED
    return [text.strip() for text in typed]


def quick_answer(engine: Engine, attempt_id: int, position: int, form: MultiDict) -> bool:
    """Record and commit a valid answer to an unanswered item of the logged-in student's own practice quiz;
    False (and nothing recorded) whenever the full answer path has to decide."""
    login = session_login()
    if login is None:
        return False
    # A transaction of its own on a pooled connection, used through the driver: these are table statements,
    # with nothing for the ORM session to track, and the full path, if it is needed, starts afresh.
    with DriverConnection(engine) as connection:
        found = _ANSWERABLE_ON_DRIVER.rows(connection, {"attempt_id": attempt_id, "position": position,
                                                        "user_id": login[0], "session_version": login[1]})
        if not found:
            return False  # closing the connection rolls back
        item_id, question_id, revision_id, choice_order, qtype, content_hash, unanswered = found[0]
        data = revision_data(connection, revision_id, content_hash)
        given = parse_answer(qtype, data, choice_order, form)
        if given is NOT_PARSED:
            return False
        result = None if qtype == "flashcard" else grade(qtype, data, given)
        now = utcnow()
        try:
            _INSERT_ON_DRIVER.rows(connection, {
                "item_id": item_id, "user_id": login[0], "question_id": question_id, "revision_id": revision_id,
                "given": given, "is_correct": bool(result and result.correct),
                "score": result.score if result else 0.0, "answered_at": now,
            })
        except connection.IntegrityError:
            return False  # answered a moment ago (a double click): the full path shows what stands
        if result is not None and not result.correct:
            enqueue_missed(connection, login[0], question_id, now, revision_id=revision_id)
        if unanswered <= 1:
            _FINISH_ON_DRIVER.rows(connection, {"attempt_id": attempt_id, "now": now})
        connection.commit()
    return True


def revision_data(connection: DriverConnection, revision_id: int, content_hash: str) -> dict[str, Any]:
    """A question revision's content, read from the database the first time this process needs it."""
    data = _revision_data.get((revision_id, content_hash))
    if data is None:
        if len(_revision_data) >= REVISIONS_KEPT:
            _revision_data.clear()
        (data,), = _REVISION_DATA_ON_DRIVER.rows(connection, {"revision_id": revision_id})
        _revision_data[revision_id, content_hash] = data
    return data

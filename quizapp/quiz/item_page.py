"""What a question or feedback page shows, read with the login in one query.

A question page needs the student, the item with its attempt, bank, question, revision and answer, and the
attempt's progress. Read one by one that is four queries, and the ORM's cost of setting up each load is most
of a page's time; here one statement brings them all as a row of entities, and the relationships resolve from
the row's own objects without more queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from quizapp.models import Bank, Question, QuestionRevision, QuizAttempt, QuizItem, Response, User
from quizapp.quiz.service import Progress

_other_item, _other_response, _other_question = aliased(QuizItem), aliased(Response), aliased(Question)
_TOTAL = select(func.count()).where(_other_item.attempt_id == QuizAttempt.id).scalar_subquery()
# The first item without a (complete) answer, as attempt_progress finds it.
_NEXT = (
    select(func.min(_other_item.position))
    .join(_other_question, _other_question.id == _other_item.question_id)
    .outerjoin(_other_response, _other_response.item_id == _other_item.id)
    .where(_other_item.attempt_id == QuizAttempt.id,
           or_(_other_response.id.is_(None),
               and_(_other_question.type == "flashcard", _other_response.given.is_(None))))
    .scalar_subquery()
)
_PAGE = (
    select(QuizItem, QuizAttempt, Bank, Question, QuestionRevision, Response, User,
           _TOTAL.label("total"), _NEXT.label("next_position"))
    .join(QuizAttempt, QuizAttempt.id == QuizItem.attempt_id)
    .join(User, User.id == QuizAttempt.user_id)
    .join(Bank, Bank.id == QuizAttempt.bank_id)
    .join(Question, Question.id == QuizItem.question_id)
    .join(QuestionRevision, QuestionRevision.id == QuizItem.revision_id)
    .outerjoin(Response, Response.item_id == QuizItem.id)
    .where(QuizAttempt.id == bindparam("attempt_id"), QuizItem.position == bindparam("position"),
           User.id == bindparam("user_id"), User.session_version == bindparam("session_version"))
)


@dataclass(frozen=True)
class ItemPage:
    user: User
    item: QuizItem
    progress: Progress


def load_item_page(session: Session, login: tuple[int, int], attempt_id: int, position: int) -> ItemPage | None:
    """The item at a position of the logged-in student's own attempt, with the student and the attempt's
    progress; None when the login (account id, session version) is stale or the item is not theirs."""
    row = session.execute(_PAGE, {"attempt_id": attempt_id, "position": position, "user_id": login[0],
                                  "session_version": login[1]}).first()
    if row is None:
        return None
    item, attempt = row.QuizItem, row.QuizAttempt
    # Tie the row's objects together as loaded: the session holds them only weakly, and the answer, absent
    # or not, is on the side of its relationship that a lazy load would have to query.
    for owner, name, value in ((item, "attempt", attempt), (item, "question", row.Question),
                               (item, "revision", row.QuestionRevision), (item, "response", row.Response),
                               (attempt, "bank", row.Bank)):
        set_committed_value(owner, name, value)
    return ItemPage(row.User, item, Progress(row.total, row.next_position))

"""What a question or feedback page shows, read with the login in one query.

A question page needs the student, the item with its attempt, bank, question, revision and answer, the
attempt's progress and whether its bank is still open for practice. Read one by one that is five queries, and
the ORM's cost of setting up each load is most of a page's time; here one statement brings them all as a row
of entities, and the relationships resolve from the row's own objects without more queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from quizapp.banks.visibility import open_for_practice
from quizapp.models import Bank, Question, QuestionRevision, QuizAttempt, QuizItem, Response, User
from quizapp.quiz.service import ATTEMPT_TOTAL, NEXT_POSITION, Progress

_PAGE = (
    select(QuizItem, QuizAttempt, Bank, Question, QuestionRevision, Response, User,
           ATTEMPT_TOTAL.label("total"), NEXT_POSITION.label("next_position"),
           open_for_practice(QuizAttempt.user_id).label("practice_open"))
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
    practice_open: bool  # whether the attempt's bank is still open for practice to the student


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
    return ItemPage(row.User, item, Progress(row.total, row.next_position), bool(row.practice_open))

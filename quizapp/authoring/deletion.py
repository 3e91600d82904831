"""Deleting an uploaded bank: only while nobody else's work and no assignment depends on it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, union
from sqlalchemy.orm import Session

from quizapp.models import INSTRUCTOR, Assignment, Bank, Card, Classroom, Membership, Question, QuizAttempt, ReviewLog
from quizapp.models.locks import write_lock


@dataclass
class BankUse:
    """What depends on a bank: others' answers and cards, and assignments, keep it; its owner's practice does not."""

    # People other than the owner with a quiz attempt, a study card or a review of its questions.
    others: int = 0
    # (assignment title, class name, class id) of every assignment set from it in a class its owner teaches.
    assignments: list[tuple[str, str, int]] = field(default_factory=list)
    own_quizzes: int = 0
    own_cards: int = 0
    # Assignments set from it in classes its owner does not teach (a public bank), and how many classes: only
    # counted, since their titles and class names are other instructors' business.
    elsewhere: int = 0
    elsewhere_classes: int = 0

    @property
    def keeps_bank(self) -> bool:
        """Whether deleting the bank would take away someone else's work or an assignment from a gradebook."""
        return bool(self.others or self.assignments or self.elsewhere)

    @property
    def assignment_count(self) -> int:
        """How many assignments are set from it, in any class."""
        return len(self.assignments) + self.elsewhere

    @property
    def classes(self) -> int:
        """How many classes the assignments are set in."""
        return len({class_id for _title, _name, class_id in self.assignments}) + self.elsewhere_classes


def bank_use(session: Session, bank: Bank) -> BankUse:
    """Who and what uses the bank, as its owner's delete page explains it."""
    questions = select(Question.id).where(Question.bank_id == bank.id)
    users = union(
        select(QuizAttempt.user_id).where(QuizAttempt.bank_id == bank.id),
        select(Card.user_id).where(Card.question_id.in_(questions)),
        # A log outlives nothing its card does not, but its own question id is what statistics read.
        select(ReviewLog.user_id).where(ReviewLog.question_id.in_(questions)),
    ).subquery()
    owner = bank.owner_id
    others = session.scalar(select(func.count()).select_from(users).where(users.c.user_id != owner)) or 0
    taught = select(Membership.classroom_id).where(Membership.user_id == owner, Membership.role == INSTRUCTOR)
    rows = session.execute(
        select(Assignment.title, Classroom.name, Classroom.id, Classroom.id.in_(taught))
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .where(Assignment.bank_id == bank.id).order_by(Classroom.name, Assignment.title)).all()
    assignments = [(title, name, class_id) for title, name, class_id, mine in rows if mine]
    elsewhere = {class_id for _title, _name, class_id, mine in rows if not mine}
    own_quizzes = session.scalar(select(func.count()).select_from(QuizAttempt).where(
        QuizAttempt.bank_id == bank.id, QuizAttempt.user_id == owner)) or 0
    own_cards = session.scalar(select(func.count()).select_from(Card).where(
        Card.question_id.in_(questions), Card.user_id == owner)) or 0
    return BankUse(others, assignments, own_quizzes, own_cards, elsewhere=len(rows) - len(assignments),
                   elsewhere_classes=len(elsewhere))


def delete_unused_bank(session: Session, bank: Bank) -> BankUse | None:
    """Delete an uploaded bank with its questions, their revisions and its owner's own practice of it, unless
    someone else has used it or an assignment is set from it; None once deleted, else what keeps it."""
    # Lock the bank, then look again: a student may have started a quiz since the page was shown.
    write_lock(session, Bank, Bank.id == bank.id)
    use = bank_use(session, bank)
    if use.keeps_bank:
        session.rollback()
        return use
    # The schema's cascades take the questions, revisions, the owner's attempts, answers, cards and reviews.
    session.execute(delete(Bank).where(Bank.id == bank.id))
    session.commit()
    return None

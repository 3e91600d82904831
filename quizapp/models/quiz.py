"""Quiz attempts, the questions drawn for them and the answers given."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.classroom import Assignment
from quizapp.models.content import Bank, Question, QuestionRevision
from quizapp.models.types import UTCDateTime, utcnow


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="CASCADE"))
    topic: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set for attempts at an assignment: which one, the how-many-th, the server-enforced end, and lateness.
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    number: Mapped[int | None]
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_late: Mapped[bool] = mapped_column(default=False, server_default=false())

    bank: Mapped[Bank] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    items: Mapped[list[QuizItem]] = relationship(back_populates="attempt", order_by="QuizItem.position")


class QuizItem(db.Model):
    """A question as drawn for one attempt, pinned to the revision current at the time."""

    __tablename__ = "quiz_item"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("question_revision.id", ondelete="CASCADE"))
    # The order the choices were shown in, as indexes into the revision's choices.
    choice_order: Mapped[list[int] | None] = mapped_column(JSON)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()
    revision: Mapped[QuestionRevision] = relationship()
    response: Mapped[Response | None] = relationship(back_populates="item", uselist=False)


class Response(db.Model):
    """An answer; at most one per quiz item, so a repeated submit cannot record twice."""

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("quiz_item.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("question_revision.id", ondelete="CASCADE"))
    given: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    is_correct: Mapped[bool]
    score: Mapped[float]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[QuizItem] = relationship(back_populates="response")
    question: Mapped[Question] = relationship()


Index("ix_response_user_question", Response.user_id, Response.question_id)
Index("ix_response_user_time", Response.user_id, Response.answered_at)
Index("ix_quiz_attempt_assignment_user", QuizAttempt.assignment_id, QuizAttempt.user_id)

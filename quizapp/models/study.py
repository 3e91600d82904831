"""Spaced-repetition state: one card per user and question, one log row per review."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.content import Question
from quizapp.models.types import UTCDateTime, utcnow


class Card(db.Model):
    """A user's memory of one question, in the terms of the FSRS scheduler."""

    __tablename__ = "card"
    __table_args__ = (UniqueConstraint("user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    state: Mapped[int]  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped by the ORM on every update, so two submissions of one review cannot both apply.
    version: Mapped[int] = mapped_column(default=1)
    # "new" when drawn from a bank (counts against the daily limit), "missed" when a quiz put it here.
    origin: Mapped[str] = mapped_column(String(10), default="new")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question: Mapped[Question] = relationship()

    __mapper_args__ = {"version_id_col": version}


class ReviewLog(db.Model):
    __tablename__ = "review_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("question_revision.id", ondelete="SET NULL"))
    rating: Mapped[int]  # fsrs.Rating: 1 again, 2 hard, 3 good, 4 easy
    state_before: Mapped[int | None]  # None for a card's first review
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    duration_ms: Mapped[int | None]
    # "study" for a rating given in study; "quiz" for the Again a quiz answer that missed the card counted as
    # (a lapse, which the scheduler and the optimizer learn from, but no review the student did in study).
    source: Mapped[str] = mapped_column(String(10), default="study", server_default="study")


Index("ix_card_user_due", Card.user_id, Card.due)
Index("ix_card_user_created", Card.user_id, Card.created_at)
Index("ix_review_log_user_time", ReviewLog.user_id, ReviewLog.reviewed_at)
Index("ix_review_log_card", ReviewLog.card_id)
# Accuracy by topic counts a student's study reviews per question from this index alone, without reading the log's
# rows.
Index("ix_review_log_user_question", ReviewLog.user_id, ReviewLog.question_id, ReviewLog.rating, ReviewLog.source)

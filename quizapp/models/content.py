"""Source documents, banks and versioned questions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.types import UTCDateTime, utcnow


class SourceDocument(db.Model):
    __tablename__ = "source_document"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    authors: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(300))
    published: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    # [{"title": ..., "start": offset, "heading_in_text": bool}], in order of appearance; rows loaded before
    # heading_in_text existed lack it, and mean True
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class Bank(db.Model):
    __tablename__ = "bank"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    is_public: Mapped[bool] = mapped_column(default=True)
    # Uploaded banks wait for their owner's preview before anyone else sees them.
    is_published: Mapped[bool] = mapped_column(default=True, server_default=true())
    # False keeps a bank for assignments only: no free practice, where answers could be seen early.
    practice_open: Mapped[bool] = mapped_column(default=True, server_default=true())
    origin: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    questions: Mapped[list[Question]] = relationship(back_populates="bank")


class Question(db.Model):
    """A question's identity in its bank; its content lives in revisions."""

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("bank_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(30))
    topic: Mapped[str] = mapped_column(String(100))
    difficulty: Mapped[str] = mapped_column(String(20))
    section: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(default=1)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    bank: Mapped[Bank] = relationship(back_populates="questions")
    revisions: Mapped[list[QuestionRevision]] = relationship(
        back_populates="question", order_by="QuestionRevision.number"
    )


class QuestionRevision(db.Model):
    """One version of a question's content; answers point at the version they were given against."""

    __tablename__ = "question_revision"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question: Mapped[Question] = relationship(back_populates="revisions")


def is_current_revision() -> ColumnElement[bool]:
    """Join condition from Question to its current QuestionRevision."""
    return (QuestionRevision.question_id == Question.id) & (QuestionRevision.number == Question.revision)


Index("ix_question_bank_active", Question.bank_id, Question.retired_at)

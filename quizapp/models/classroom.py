"""Classes, their members and the assignments set in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.content import Bank
from quizapp.models.types import UTCDateTime, utcnow
from quizapp.models.user import User

INSTRUCTOR, STUDENT = "instructor", "student"


class Classroom(db.Model):
    __tablename__ = "classroom"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Stored upper-case without separators; shown as ABC-DEF.
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    joining_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="classroom", cascade="all, delete-orphan")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="classroom", cascade="all, delete-orphan",
                                                         order_by="Assignment.id")


class Membership(db.Model):
    """A person in a class, as one of its instructors or as a student."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("classroom_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=STUDENT)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class InstructorInvitation(db.Model):
    """An instructor asked to teach a class, who has not yet accepted: until then they have no part in it."""

    __tablename__ = "instructor_invitation"
    # A table of its own, not a membership waiting for a flag: every check of who teaches a class reads
    # memberships, so an invitation can grant nothing by being overlooked.
    __table_args__ = (UniqueConstraint("classroom_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"))
    # Indexed: the invitee's classes page lists their invitations.
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    classroom: Mapped[Classroom] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    inviter: Mapped[User | None] = relationship(foreign_keys=[invited_by])


class Assignment(db.Model):
    """A quiz set for a class: which questions, how many, when, how often, and when feedback shows."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    selection: Mapped[str] = mapped_column(String(20), default="all")  # all | topics | tags | questions
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    question_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    draw_count: Mapped[int | None]  # None: every selected question
    shuffle_choices: Mapped[bool] = mapped_column(default=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempt_limit: Mapped[int | None]
    time_limit_minutes: Mapped[int | None]
    feedback_policy: Mapped[str] = mapped_column(String(20), default="each")  # each | submit | due
    late_policy: Mapped[str] = mapped_column(String(20), default="refuse")  # refuse | mark
    grading: Mapped[str] = mapped_column(String(20), default="best")  # best | first | last
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")
    bank: Mapped[Bank] = relationship()

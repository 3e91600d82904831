"""Classes and who is in them, independent of HTTP."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quizapp.classroom.codes import new_code, normalise_code
from quizapp.collation import folded, name_key
from quizapp.models import INSTRUCTOR, STUDENT, Assignment, Classroom, Membership, QuizAttempt, Role, User
from quizapp.models.locks import share_lock, write_lock


class JoinRefused(Exception):
    """The code is unknown or the class no longer takes new students."""


class ClassGone(Exception):
    """The code was right, but the class's instructor deleted it while the student was joining."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


class AlreadyTeaching(Exception):
    """The user teaches the class already: joining it as a student, or being invited again, changes nothing."""

    def __init__(self, classroom: Classroom, user: User):
        super().__init__(classroom.id, user.id)
        self.classroom, self.user = classroom, user


class LastInstructor(Exception):
    """A class keeps at least one instructor, so that someone can still read its grades."""


class NotAnInstructor(Exception):
    """Only instructor accounts may teach a class."""


class ClassNameTaken(Exception):
    """The instructor already teaches a class of that name: most often the same form was sent twice."""

    def __init__(self, classroom: Classroom):
        super().__init__(classroom.id)
        self.classroom = classroom


def is_teacher(user: User) -> bool:
    """Instructors and admins, while their account is active, may create classes and upload banks."""
    return user.is_authenticated and user.is_active and user.role in (Role.INSTRUCTOR.value, Role.ADMIN.value)


def create_class(session: Session, instructor: User, name: str) -> Classroom:
    """A new class taught by `instructor`, with a fresh join code; ClassNameTaken if they teach one so named."""
    if not is_teacher(instructor):
        raise NotAnInstructor(instructor.email)
    # The instructor's row stays write-locked until the transaction ends, so that a form sent twice at once is
    # checked one send after the other, the second seeing the first's class.
    write_lock(session, User, User.id == instructor.id)
    taught = session.scalars(select(Classroom).join(Membership).where(
        Membership.user_id == instructor.id, Membership.role == INSTRUCTOR).order_by(Classroom.id))
    taken = next((classroom for classroom in taught if folded(classroom.name) == folded(name)), None)
    if taken is not None:
        raise ClassNameTaken(taken)
    classroom = Classroom(name=name.strip(), join_code=_unused_code(session))
    classroom.memberships.append(Membership(user_id=instructor.id, role=INSTRUCTOR))
    session.add(classroom)
    session.flush()
    return classroom


def _unused_code(session: Session) -> str:
    while True:
        code = new_code()
        if session.scalar(select(Classroom.id).where(Classroom.join_code == code)) is None:
            return code


def regenerate_code(session: Session, classroom: Classroom) -> str:
    """Replace the join code; the old one stops working at once."""
    classroom.join_code = _unused_code(session)
    return classroom.join_code


def join_class(session: Session, user: User, typed_code: str) -> Classroom:
    """Enrol a user as a student of the class with that code; joining twice changes nothing."""
    code = normalise_code(typed_code)
    classroom = session.scalar(select(Classroom).where(Classroom.join_code == code)) if code else None
    if classroom is None or not classroom.joining_open:
        raise JoinRefused(code)
    # Share-lock the class before adding to it: its instructor deleting it at this moment either goes first (and
    # the student is told so) or waits for this join, instead of the new membership failing on a vanished class.
    name = classroom.name
    if not share_lock(session, Classroom, Classroom.id == classroom.id):
        raise ClassGone(name)
    membership = membership_of(session, user, classroom)
    if membership is not None and membership.role == INSTRUCTOR:
        raise AlreadyTeaching(classroom, user)
    if membership is None:
        try:
            # A savepoint, not the whole transaction: rolling back would also let go of the class's lock.
            with session.begin_nested():
                session.add(Membership(classroom_id=classroom.id, user_id=user.id, role=STUDENT))
        except IntegrityError:  # the same student joining from two tabs at once: the other tab's row stands
            pass
    return classroom


def membership_of(session: Session, user: User, classroom: Classroom) -> Membership | None:
    """The user's place in the class, if any."""
    return session.scalar(select(Membership).where(Membership.classroom_id == classroom.id,
                                                   Membership.user_id == user.id))


def taught_class(session: Session, user: User, classroom_id: int) -> Classroom | None:
    """The class, if the user teaches it; None for everyone else (admins included: they manage accounts)."""
    if not is_teacher(user):  # an instructor made a student keeps the membership, not the rights
        return None
    return session.scalar(
        select(Classroom).join(Membership)
        .where(Classroom.id == classroom_id, Membership.user_id == user.id, Membership.role == INSTRUCTOR)
    )


def enrolled_class(session: Session, user: User, classroom_id: int) -> Classroom | None:
    """The class, if the user is one of its students."""
    return session.scalar(
        select(Classroom).join(Membership)
        .where(Classroom.id == classroom_id, Membership.user_id == user.id, Membership.role == STUDENT)
    )


def classes_of(session: Session, user: User, role: str) -> list[Classroom]:
    """Classes the user teaches (INSTRUCTOR) or attends (STUDENT), by name."""
    return list(session.scalars(
        select(Classroom).join(Membership).where(Membership.user_id == user.id, Membership.role == role)
        .order_by(Classroom.name, Classroom.id)
    ))


def roster_ids(session: Session, classroom_id: int) -> set[int]:
    """The account ids of the class's students: those the gradebook and the item statistics count."""
    return set(session.scalars(select(Membership.user_id).where(
        Membership.classroom_id == classroom_id, Membership.role == STUDENT)))


def members(session: Session, classroom: Classroom, role: str) -> list[User]:
    """The class's students or instructors, by name (in the order of quizapp.collation, which SQL lacks)."""
    users = session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.classroom_id == classroom.id, Membership.role == role)
    )
    return sorted(users, key=lambda user: (name_key(user.display_name), user.id))


def remove_student(session: Session, classroom: Classroom, user_id: int) -> bool:
    """Take a student off the roster (their past work stays); False if they were not on it."""
    # One statement, not a row loaded then deleted: of two sends at once (a double click), the second finds
    # nothing left to delete instead of deleting a row gone meanwhile.
    removed = session.execute(delete(Membership).where(
        Membership.classroom_id == classroom.id, Membership.user_id == user_id, Membership.role == STUDENT))
    return bool(removed.rowcount)


def delete_class(session: Session, classroom_id: int) -> None:
    """Delete a class; the schema's cascades take its roster, its assignments and every attempt at them.

    One statement, as for removing a student: deleting the class sent twice at once deletes it once, the other
    send finding nothing left."""
    session.execute(delete(Classroom).where(Classroom.id == classroom_id))


def attempts_in_class(session: Session, classroom: Classroom, user_id: int) -> int:
    """How many attempts the user has made at the class's assignments."""
    return session.scalar(select(func.count()).select_from(QuizAttempt).join(Assignment).where(
        Assignment.classroom_id == classroom.id, QuizAttempt.user_id == user_id))


def remove_instructor(session: Session, classroom: Classroom, user_id: int) -> bool:
    """Stop an instructor teaching the class; False if they did not teach it. The last one with instructor
    rights cannot go."""
    # Write-lock the class first: two instructors removing each other at once then count one after the other,
    # instead of both seeing two instructors and leaving none.
    write_lock(session, Classroom, Classroom.id == classroom.id)
    taught_by = list(session.scalars(select(Membership).where(
        Membership.classroom_id == classroom.id, Membership.role == INSTRUCTOR)))
    leaving = next((m for m in taught_by if m.user_id == user_id), None)
    if leaving is None:
        return False
    # Only accounts that still have instructor rights can manage the class: one made a student since keeps
    # its membership but would leave a class nobody can open.
    able = [m for m in taught_by if m.user_id != user_id and is_teacher(m.user)]
    if not able:
        raise LastInstructor(classroom.id)
    session.delete(leaving)
    return True


def classes_only_they_teach(session: Session, user: User) -> list[Classroom]:
    """Classes the user teaches that no other account with instructor rights teaches, by name: without the
    user's rights nobody could open them, their roster or their gradebook."""
    others = (select(Membership.classroom_id).join(User, User.id == Membership.user_id)
              .where(Membership.role == INSTRUCTOR, Membership.user_id != user.id,
                     User.role.in_((Role.INSTRUCTOR.value, Role.ADMIN.value)), User.deactivated_at.is_(None)))
    return list(session.scalars(
        select(Classroom).join(Membership)
        .where(Membership.user_id == user.id, Membership.role == INSTRUCTOR, Classroom.id.not_in(others))
        .order_by(Classroom.name, Classroom.id)
    ))


def class_counts(session: Session, classroom: Classroom) -> dict[str, int]:
    """What deleting the class would take with it: students, assignments and attempts at them."""
    attempts = select(func.count()).select_from(QuizAttempt).join(Assignment).where(
        Assignment.classroom_id == classroom.id)
    students = select(func.count()).select_from(Membership).where(
        Membership.classroom_id == classroom.id, Membership.role == STUDENT)
    return {"students": session.scalar(students), "assignments": len(classroom.assignments),
            "attempts": session.scalar(attempts)}

"""Per-route and per-object checks for class pages."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from quizapp.classroom.membership import is_teacher, membership_of, taught_class
from quizapp.extensions import db
from quizapp.http import View
from quizapp.models import Assignment, Classroom, User


def teacher_required(view: View) -> View:
    """Only instructor (and admin) accounts; students get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not is_teacher(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def class_taught(classroom_id: int) -> Classroom:
    """The class if the current user teaches it, else 404 (so others cannot even learn it exists)."""
    return taught_class(db.session, current_user, classroom_id) or abort(404)


def assignment_taught(classroom_id: int, assignment_id: int) -> tuple[Classroom, Assignment]:
    """An assignment of a class the current user teaches, else 404."""
    classroom = class_taught(classroom_id)
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.classroom_id != classroom.id:
        abort(404)
    return classroom, assignment


def member_of(classroom: Classroom, user_id: int, role: str) -> User:
    """A student or an instructor of the class (by `role`), else 404."""
    user = db.session.get(User, user_id) or abort(404)
    membership = membership_of(db.session, user, classroom)
    if membership is None or membership.role != role:
        abort(404)
    return user

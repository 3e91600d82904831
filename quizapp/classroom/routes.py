"""Class pages: the list of one's classes, creating and joining a class, the roster and its code."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from quizapp.classroom import bp
from quizapp.classroom.access import class_taught, member_of, teacher_required
from quizapp.classroom.assignments import student_tasks
from quizapp.classroom.forms import ActionForm, ClassForm, InstructorForm, JoinForm, RenameForm
from quizapp.classroom.invitations import invitations_of, invitations_to
from quizapp.classroom.limits import failed_joins_per_account, failed_joins_per_address
from quizapp.classroom.membership import (
    AlreadyTeaching,
    ClassGone,
    ClassNameTaken,
    JoinRefused,
    attempts_in_class,
    classes_of,
    create_class,
    enrolled_class,
    is_teacher,
    join_class,
    members,
    regenerate_code,
    remove_student,
)
from quizapp.extensions import db
from quizapp.models import INSTRUCTOR, STUDENT, Classroom
from quizapp.models.types import utcnow


@bp.get("/")
@login_required
def index():
    """The classes one teaches or takes, with the forms to create or join one."""
    attending = classes_of(db.session, current_user, STUDENT)
    now = utcnow()
    tasks, handed_in = student_tasks(db.session, current_user, [c.id for c in attending], now)
    if handed_in:
        db.session.commit()  # attempts whose time ran out were handed in
    return render_template(
        "classroom/index.html", attending=attending, tasks=tasks, now=now,
        teaching=classes_of(db.session, current_user, INSTRUCTOR) if is_teacher(current_user) else [],
        class_form=ClassForm(), join_form=JoinForm(), **invitations_page(),
    )


def invitations_page() -> dict[str, object]:
    """The current user's invitations to teach, with the form their Accept and Decline buttons send."""
    # Listed to an account made a student since too: it cannot accept them, but can decline them.
    return {"invitations": invitations_to(db.session, current_user), "answer": ActionForm()}


@bp.post("/new")
@teacher_required
def create():
    """Create a class with a fresh join code."""
    form = ClassForm()
    if form.validate_on_submit():
        try:
            classroom = create_class(db.session, current_user, form.name.data)
        except ClassNameTaken as taken:
            db.session.rollback()
            form.name.errors.append(f"You already teach a class named “{taken.classroom.name}” (perhaps this form "
                                    "was sent twice). Open it from your classes, or give this one another name.")
        else:
            db.session.commit()
            flash(f"Class “{classroom.name}” created. Give your students its join code.", "success")
            return redirect(url_for("classroom.detail", classroom_id=classroom.id))
    attending = classes_of(db.session, current_user, STUDENT)
    return render_template("classroom/index.html", attending=attending, tasks=[], now=utcnow(),
                           teaching=classes_of(db.session, current_user, INSTRUCTOR),
                           class_form=form, join_form=JoinForm(), **invitations_page()), 422


@bp.route("/join", methods=["GET", "POST"])
@login_required
@failed_joins_per_address
@failed_joins_per_account
def join():
    """Join a class by its code, typed in any case, with or without the dash."""
    form = JoinForm()
    if form.validate_on_submit():
        try:
            classroom = join_class(db.session, current_user, form.code.data)
        except JoinRefused:
            form.code.errors.append("No open class has that code. Check it with your instructor.")
        except ClassGone as gone:
            db.session.rollback()
            form.code.errors.append(f"“{gone.name}” was deleted by its instructor a moment ago, so you were not "
                                    "added to it.")
        except AlreadyTeaching as teaching:
            flash(f"You already teach “{teaching.classroom.name}”.", "info")
            return redirect(url_for("classroom.detail", classroom_id=teaching.classroom.id))
        else:
            # Read before the commit lets go of the class: its instructor may delete it the moment after.
            name, classroom_id = classroom.name, classroom.id
            db.session.commit()
            flash(f"You have joined “{name}”.", "success")
            return redirect(url_for("classroom.student_view", classroom_id=classroom_id))
    return render_template("classroom/join.html", form=form), 422 if form.errors else 200


@bp.get("/<int:classroom_id>")
@teacher_required
def detail(classroom_id: int):
    """A class for its instructors: join code, roster, instructors and assignments."""
    return detail_page(class_taught(classroom_id))


def detail_page(classroom: Classroom, status: int = 200, **forms: FlaskForm) -> tuple[str, int]:
    """The class page, with the forms given (one sent back with its messages) and fresh ones for the rest."""
    forms = {"instructor_form": InstructorForm(), "rename_form": RenameForm(obj=classroom), **forms}
    return render_template(
        "classroom/detail.html", classroom=classroom, students=members(db.session, classroom, STUDENT),
        instructors=members(db.session, classroom, INSTRUCTOR), invitations=invitations_of(db.session, classroom),
        action=ActionForm(), now=utcnow(), **forms,
    ), status


@bp.get("/<int:classroom_id>/work")
@login_required
def student_view(classroom_id: int):
    """A class for its students: its assignments, open ones first, with their attempts."""
    classroom = enrolled_class(db.session, current_user, classroom_id) or abort(404)
    now = utcnow()
    tasks, handed_in = student_tasks(db.session, current_user, [classroom.id], now)
    if handed_in:
        db.session.commit()  # attempts whose time ran out were handed in
    return render_template("classroom/student_view.html", classroom=classroom, tasks=tasks, now=now)


@bp.get("/<int:classroom_id>/code")
@teacher_required
def show_code(classroom_id: int):
    """The join code alone, as large as the screen or the sheet allows: to project, or to print and pin up."""
    return render_template("classroom/code.html", classroom=class_taught(classroom_id))


@bp.post("/<int:classroom_id>/code")
@teacher_required
def new_code(classroom_id: int):
    """Replace the class's join code; the old one stops working."""
    classroom = class_taught(classroom_id)
    if ActionForm().validate_on_submit():
        regenerate_code(db.session, classroom)
        db.session.commit()
        flash("A new join code was made; the old one no longer works.", "success")
    return redirect(url_for("classroom.detail", classroom_id=classroom.id))


@bp.post("/<int:classroom_id>/joining")
@teacher_required
def toggle_joining(classroom_id: int):
    """Open or close joining the class by its code, as the button sent says."""
    classroom = class_taught(classroom_id)
    if ActionForm().validate_on_submit():
        # The button says which way: "Close joining" clicked twice, or sent again with Back, leaves joining
        # closed rather than opening it again. A page shown before the button said so turns it over.
        wanted = request.form.get("open")
        classroom.joining_open = wanted == "1" if wanted in ("0", "1") else not classroom.joining_open
        db.session.commit()
        flash("Joining is open." if classroom.joining_open else "Joining is closed: the code no longer works.",
              "success")
    return redirect(url_for("classroom.detail", classroom_id=classroom.id))


@bp.route("/<int:classroom_id>/students/<int:user_id>/remove", methods=["GET", "POST"])
@teacher_required
def remove(classroom_id: int, user_id: int):
    """Ask, then take a student off the class's roster (their work is kept)."""
    classroom = class_taught(classroom_id)
    student = member_of(classroom, user_id, STUDENT)
    form = ActionForm()
    if form.validate_on_submit():
        remove_student(db.session, classroom, student.id)
        db.session.commit()
        flash(f"{student.display_name} was removed from the class. Their work is kept.", "success")
        return redirect(url_for("classroom.detail", classroom_id=classroom.id))
    return render_template("classroom/student_remove.html", classroom=classroom, student=student, form=form,
                           attempts=attempts_in_class(db.session, classroom, student.id))

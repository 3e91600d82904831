"""A class's name, who teaches it, and its end: renaming, an instructor leaving or being taken off, deleting it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from quizapp.banks.visibility import shared_with_classes
from quizapp.classroom import bp
from quizapp.classroom.access import class_taught, member_of, teacher_required
from quizapp.classroom.forms import ActionForm, RenameForm
from quizapp.classroom.membership import LastInstructor, class_counts, delete_class, remove_instructor
from quizapp.classroom.routes import detail_page
from quizapp.extensions import db
from quizapp.models import INSTRUCTOR


@bp.post("/<int:classroom_id>/name")
@teacher_required
def rename(classroom_id: int):
    """Give the class another name."""
    classroom = class_taught(classroom_id)
    form = RenameForm()
    if not form.validate_on_submit():
        return detail_page(classroom, 422, rename_form=form)
    classroom.name = form.name.data.strip()
    db.session.commit()
    flash(f"The class is now called “{classroom.name}”.", "success")
    return redirect(url_for("classroom.detail", classroom_id=classroom.id))


@bp.route("/<int:classroom_id>/instructors/<int:user_id>/remove", methods=["GET", "POST"])
@teacher_required
def remove_teacher(classroom_id: int, user_id: int):
    """Ask, then stop an instructor (oneself included) teaching the class, as long as another one still does."""
    classroom = class_taught(classroom_id)
    leaving = member_of(classroom, user_id, INSTRUCTOR)
    form = ActionForm()
    if not form.validate_on_submit():
        return render_template("classroom/instructor_remove.html", classroom=classroom, leaving=leaving, form=form,
                               banks=shared_with_classes(db.session, leaving.id))
    try:
        if not remove_instructor(db.session, classroom, user_id):
            abort(404)
    except LastInstructor:
        flash("A class needs at least one instructor: invite another, and wait until they accept, before you "
              "leave it.", "error")
        return redirect(url_for("classroom.detail", classroom_id=classroom.id))
    db.session.commit()
    if leaving.id == current_user.id:
        flash(f"You no longer teach “{classroom.name}”.", "success")
        return redirect(url_for("classroom.index"))
    flash(f"{leaving.display_name} no longer teaches this class.", "success")
    return redirect(url_for("classroom.detail", classroom_id=classroom.id))


@bp.route("/<int:classroom_id>/delete", methods=["GET", "POST"])
@teacher_required
def delete_class_page(classroom_id: int):
    """Ask, then delete a class with its roster, its assignments and every attempt at them."""
    classroom = class_taught(classroom_id)
    form = ActionForm()
    if form.validate_on_submit():
        name = classroom.name
        delete_class(db.session, classroom.id)
        db.session.commit()
        flash(f"The class “{name}” was deleted, with its assignments and every attempt at them.", "success")
        return redirect(url_for("classroom.index"))
    return render_template("classroom/class_delete.html", classroom=classroom, form=form,
                           **class_counts(db.session, classroom))

"""Setting an assignment, and a student starting (or resuming) an attempt at it."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from quizapp.banks.visibility import assignable_banks, may_assign
from quizapp.classroom import bp
from quizapp.classroom.access import assignment_taught, class_taught, teacher_required
from quizapp.classroom.assignments import (
    GRADED_TYPES,
    SELECTIONS,
    AttemptRefused,
    attempt_counts,
    gradable_counts,
    remark_late_attempts,
    reschedule_open_attempts,
    selected_questions,
    start_attempt,
    students_started,
    title_taken,
)
from quizapp.classroom.assignments import delete_assignment as delete_assignment_row
from quizapp.classroom.forms import ActionForm, AssignmentForm
from quizapp.classroom.membership import enrolled_class, members
from quizapp.extensions import db
from quizapp.models import INSTRUCTOR, Assignment, Bank, Question, QuestionRevision
from quizapp.models.content import is_current_revision
from quizapp.models.types import utcnow
from quizapp.progress.stats import question_gist
from quizapp.quiz.deadlines import closed_to_new_attempts
from quizapp.srs.days import user_time, user_zone
from quizapp.timezones import clock_time
from quizapp.wall_clock import shown_twice, wall_time
from quizapp.web import local_time


@bp.route("/<int:classroom_id>/assignments/new", methods=["GET", "POST"])
@teacher_required
def new_assignment(classroom_id: int):
    """Choose a bank, then set an assignment from it for the class."""
    classroom = class_taught(classroom_id)
    # The same list checks the bank a form sends: a bank id that is not offered here sends back to the list.
    banks = db.session.scalars(assignable_banks(current_user, classroom.id)).all()
    bank_id = request.values.get("bank", type=int)
    bank = next((b for b in banks if b.id == bank_id), None)
    gradable = gradable_counts(db.session, [b.id for b in banks]) if bank is None or request.method == "GET" else {}
    if bank is not None and request.method == "GET" and not gradable.get(bank.id):
        # Only reached by a typed or old link: the list offers no link to such a bank, and its form could only refuse.
        flash(f"“{bank.title}” has no questions an assignment can grade (only flashcards, or none): choose another "
              "bank.", "info")
        bank = None
    if bank is None:
        colleagues = {user.id: user.display_name for user in members(db.session, classroom, INSTRUCTOR)
                      if user.id != current_user.id}
        return render_template("classroom/choose_bank.html", classroom=classroom, banks=banks,
                               gradable=gradable, colleagues=colleagues)
    form = _assignment_form(bank)
    if form.validate_on_submit() and not _title_refused(form, classroom.id):
        assignment = Assignment(classroom_id=classroom.id, bank_id=bank.id, created_by=current_user.id)
        _apply(form, assignment)
        db.session.add(assignment)
        db.session.commit()
        flash(f"Assignment “{assignment.title}” set for {classroom.name}.", "success")
        _note_repeated_times(assignment)
        _note_closed(assignment)
        return redirect(url_for("classroom.assignment_detail", classroom_id=classroom.id,
                                assignment_id=assignment.id))
    return render_template("classroom/assignment_form.html", classroom=classroom, bank=bank, form=form), (
        422 if form.errors else 200)


@bp.get("/<int:classroom_id>/assignments/<int:assignment_id>")
@teacher_required
def assignment_detail(classroom_id: int, assignment_id: int):
    """An assignment's settings and how many of the class's students have started it."""
    classroom, assignment = assignment_taught(classroom_id, assignment_id)
    started, former = students_started(db.session, assignment)
    return render_template("classroom/assignment_detail.html", classroom=classroom, assignment=assignment,
                           selected=len(selected_questions(db.session, assignment)), started=started, former=former,
                           closed=closed_to_new_attempts(assignment, utcnow()))


@bp.post("/assignments/<int:assignment_id>/start")
@login_required
def start(assignment_id: int):
    """Start or resume the student's attempt at an assignment, as its rules allow."""
    assignment = db.session.get(Assignment, assignment_id) or abort(404)
    if enrolled_class(db.session, current_user, assignment.classroom_id) is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = start_attempt(db.session, assignment, current_user, utcnow())
    except AttemptRefused as refusal:
        db.session.commit()  # an attempt closed by its deadline on the way stays closed
        flash(str(refusal), "error")
        return redirect(url_for("classroom.student_view", classroom_id=assignment.classroom_id))
    db.session.commit()
    first = next((i for i in attempt.items if i.response is None), attempt.items[0])
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=first.position))


@bp.route("/<int:classroom_id>/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@teacher_required
def edit_assignment(classroom_id: int, assignment_id: int):
    """Change an assignment's settings: attempts under way keep their questions and get the new deadlines."""
    classroom, assignment = assignment_taught(classroom_id, assignment_id)
    form = _assignment_form(assignment.bank, _settings_of(assignment))
    # A bank its owner no longer shares here (unpublished, closed to practice, or the owner left the class) keeps
    # the assignment's questions as they are: a wider selection would hand over the rest of the bank and its keys.
    locked = not may_assign(db.session, current_user, classroom.id, assignment.bank_id)
    if locked:
        _keep_selection(form, assignment)
    form.stored = {"opens_at": assignment.opens_at, "due_at": assignment.due_at}
    form.opened = {"topics": frozenset(assignment.topics or ()), "tags": frozenset(assignment.tags or ()),
                   "questions": frozenset(assignment.question_ids or ())}
    form.submit.label.text = "Save changes"
    if form.validate_on_submit() and not _title_refused(form, classroom.id, assignment.id):
        due_before = assignment.due_at
        _apply(form, assignment)
        reschedule_open_attempts(db.session, assignment, utcnow())
        if assignment.due_at != due_before:
            remark_late_attempts(db.session, assignment)
        db.session.commit()
        flash(f"Changes to “{assignment.title}” saved.", "success")
        _note_repeated_times(assignment)
        _note_closed(assignment)
        return redirect(url_for("classroom.assignment_detail", classroom_id=classroom.id,
                                assignment_id=assignment.id))
    return render_template("classroom/assignment_form.html", classroom=classroom, bank=assignment.bank, form=form,
                           assignment=assignment, started=len(attempt_counts(db.session, assignment)),
                           locked=locked), (
        422 if form.errors else 200)


@bp.route("/<int:classroom_id>/assignments/<int:assignment_id>/delete", methods=["GET", "POST"])
@teacher_required
def delete_assignment(classroom_id: int, assignment_id: int):
    """Ask, then delete an assignment together with every attempt at it."""
    classroom, assignment = assignment_taught(classroom_id, assignment_id)
    form = ActionForm()
    if form.validate_on_submit():
        title = assignment.title
        delete_assignment_row(db.session, assignment.id)
        db.session.commit()
        flash(f"Assignment “{title}” deleted, with every attempt at it.", "success")
        return redirect(url_for("classroom.detail", classroom_id=classroom.id))
    counts = attempt_counts(db.session, assignment)
    return render_template("classroom/assignment_delete.html", classroom=classroom, assignment=assignment,
                           form=form, students=len(counts), attempts=sum(counts.values()))


def _local(moment: datetime | None) -> datetime | None:
    """A stored time as the instructor's wall clock shows it (in UTC at the very edge of the calendar)."""
    return None if moment is None else wall_time(moment, user_zone(current_user))


def _note_repeated_times(assignment: Assignment) -> None:
    """Say which of its two moments a time in the hour the clocks go back stands for: the form's field cannot
    tell them apart, and the instructor may have meant the other."""
    zone = user_zone(current_user)
    for says, moment in (("opens", assignment.opens_at), ("is due", assignment.due_at)):
        shown = None if moment is None else user_time(moment, current_user)
        if shown is not None and shown_twice(shown.replace(tzinfo=None), zone):
            flash(f"It {says} at the {'second' if shown.fold else 'first'} {shown:%H:%M} of {shown:%Y-%m-%d} "
                  f"({clock_time(shown)}): the clocks of {zone.key} go back that night and show {shown:%H:%M} "
                  "twice.", "info")


def _note_closed(assignment: Assignment) -> None:
    """Warn when the times just saved shut the assignment to every student: a due time already past, with late
    work refused, is more often a slip of the date picker than a wish."""
    if closed_to_new_attempts(assignment, utcnow()):
        due = local_time(assignment.due_at, current_user)
        flash(f"Its due time, {due}, has already passed and late work is refused, so no student can start it. "
              "Edit it to set a later due time, or to accept late work.", "error")


def _settings_of(assignment: Assignment) -> dict[str, object]:
    """An assignment's settings as the form shows them, times in the instructor's own zone."""
    return {"title": assignment.title, "selection": assignment.selection, "topics": assignment.topics,
            "tags": assignment.tags, "questions": assignment.question_ids, "draw_count": assignment.draw_count,
            "shuffle_choices": assignment.shuffle_choices, "opens_at": _local(assignment.opens_at),
            "due_at": _local(assignment.due_at), "attempt_limit": assignment.attempt_limit,
            "time_limit_minutes": assignment.time_limit_minutes, "feedback_policy": assignment.feedback_policy,
            "late_policy": assignment.late_policy, "grading": assignment.grading}


def _assignment_form(bank: Bank, settings: dict[str, object] | None = None) -> AssignmentForm:
    form = AssignmentForm(data=settings)
    form.zone = user_zone(current_user)
    form.bank.choices = [SelectChoice(bank.id, bank.title)]
    form.bank.data = bank.id
    rows = db.session.execute(
        select(Question, QuestionRevision.data)
        .join(QuestionRevision, is_current_revision())
        .where(Question.bank_id == bank.id, Question.retired_at.is_(None), Question.type.in_(GRADED_TYPES))
        .order_by(Question.topic, Question.id)
    ).all()
    form.topics.choices = [SelectChoice(t, t) for t in sorted({q.topic for q, _ in rows})]
    form.tags.choices = [SelectChoice(t, t) for t in sorted({t for q, _ in rows for t in (q.tags or [])})]
    form.questions.choices = [SelectChoice(q.id, f"{q.topic}: {question_gist(data)}") for q, data in rows]
    form.candidates = tuple((q.id, q.topic, tuple(q.tags or ())) for q, _ in rows)
    # A bank without tags (or topics) offers no selection by them: there would be nothing to tick.
    offered = {"topics": form.topics.choices, "tags": form.tags.choices}
    form.selection.choices = [choice for choice in form.selection.choices if offered.get(choice.value, True)]
    return form


def _keep_selection(form: AssignmentForm, assignment: Assignment) -> None:
    """Hold the form's selection to the assignment's own, whatever was sent, offering nothing else to choose."""
    form.selection.data, form.topics.data = assignment.selection, list(assignment.topics or [])
    form.tags.data, form.questions.data = list(assignment.tags or []), list(assignment.question_ids or [])
    form.selection.choices = [SelectChoice(assignment.selection, SELECTIONS.get(assignment.selection, ""))]
    form.topics.choices = [SelectChoice(topic, topic) for topic in form.topics.data]
    form.tags.choices = [SelectChoice(tag, tag) for tag in form.tags.data]
    form.questions.choices = [SelectChoice(question_id, str(question_id)) for question_id in form.questions.data]


def _title_refused(form: AssignmentForm, classroom_id: int, editing: int | None = None) -> bool:
    """Refuse a title the class already has: in the gradebook two alike could not be told apart, and most often
    the same form was sent twice."""
    taken = title_taken(db.session, classroom_id, form.title.data, editing)
    if taken is None:
        return False
    form.title.errors.append(f"This class already has an assignment named “{taken.title}” (perhaps this form was "
                             "sent twice). Open it from the class page, or give this one another title.")
    return True


def _apply(form: AssignmentForm, assignment: Assignment) -> None:
    assignment.title = form.title.data.strip()
    assignment.selection = form.selection.data
    assignment.topics = form.topics.data if form.selection.data == "topics" else []
    assignment.tags = form.tags.data if form.selection.data == "tags" else []
    assignment.question_ids = form.questions.data if form.selection.data == "questions" else []
    assignment.draw_count = form.draw_count.data
    assignment.shuffle_choices = form.shuffle_choices.data
    assignment.opens_at = form.moment("opens_at")
    assignment.due_at = form.moment("due_at")
    assignment.attempt_limit = form.attempt_limit.data
    assignment.time_limit_minutes = form.time_limit_minutes.data
    assignment.feedback_policy = form.feedback_policy.data
    assignment.late_policy = form.late_policy.data
    assignment.grading = form.grading.data

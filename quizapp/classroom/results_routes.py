"""What instructors read: the gradebook, its CSV exports, every response, and item statistics."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from sqlalchemy import select

from quizapp.classroom import bp
from quizapp.classroom.access import assignment_taught, class_taught, teacher_required
from quizapp.classroom.assignments import holds_question
from quizapp.classroom.export import PLAIN, SEMICOLONS, CsvStyle, grades_csv, responses_csv, statistics_csv
from quizapp.classroom.gradebook import Cell, attempt_scores, build_gradebook, counted_attempt, standing
from quizapp.classroom.item_analysis import item_statistics, typed_answers
from quizapp.classroom.membership import membership_of
from quizapp.extensions import db
from quizapp.http import attachment
from quizapp.models import STUDENT, Question, QuestionRevision, QuizAttempt, User
from quizapp.models.types import INTEGER_MAX, utcnow
from quizapp.quiz.deadlines import close_if_expired
from quizapp.quiz.present import correct_in_table, given_in_table, preview_context
from quizapp.quiz.service import WHOLE_ATTEMPT


@bp.get("/<int:classroom_id>/gradebook")
@teacher_required
def gradebook(classroom_id: int):
    """Students by assignments, each cell the attempt that counts."""
    classroom = class_taught(classroom_id)
    return render_template("classroom/gradebook.html", book=build_gradebook(db.session, classroom))


@bp.get("/<int:classroom_id>/grades.csv")
@teacher_required
def grades_export(classroom_id: int):
    """The gradebook as CSV: one row per student per assignment."""
    classroom, style = class_taught(classroom_id), _style()
    return _csv(grades_csv(build_gradebook(db.session, classroom), style),
                _disposition(f"class-{classroom.id}-grades", f"{classroom.name} grades", style))


@bp.get("/<int:classroom_id>/responses.csv")
@teacher_required
def responses_export(classroom_id: int):
    """Every response of the class as CSV: one row per question of every attempt."""
    classroom, style = class_taught(classroom_id), _style()
    book = build_gradebook(db.session, classroom)
    return _csv(responses_csv(db.session, book, style),
                _disposition(f"class-{classroom.id}-responses", f"{classroom.name} responses", style))


@bp.get("/<int:classroom_id>/students/<int:user_id>")
@teacher_required
def student_work(classroom_id: int, user_id: int):
    """One student's attempts at the class's assignments."""
    classroom = class_taught(classroom_id)
    student = db.session.get(User, user_id) or abort(404)
    membership = membership_of(db.session, student, classroom)
    if membership is None or membership.role != STUDENT:
        abort(404)
    assignments = list(classroom.assignments)
    scores = attempt_scores(db.session, [a.id for a in assignments], user_id=student.id)
    by_assignment = {a.id: [s for s in scores if s.assignment_id == a.id] for a in assignments}
    # The attempt each grade comes from, picked as the gradebook picks it, so that the page shows why.
    counted = {a.id: counted_attempt(by_assignment[a.id], a.grading) for a in assignments}
    # Missed, not merely not started, as the gradebook says it.
    now = utcnow()
    standings = {a.id: standing(Cell(by_assignment[a.id], counted[a.id]), a, now) for a in assignments}
    return render_template("classroom/student_work.html", classroom=classroom, student=student,
                           assignments=assignments, scores=by_assignment, counted=counted, standings=standings)


@bp.get("/<int:classroom_id>/attempts/<int:attempt_id>")
@teacher_required
def attempt_detail(classroom_id: int, attempt_id: int):
    """One attempt at an assignment, question by question, with the answers given and the keys."""
    classroom = class_taught(classroom_id)
    attempt = db.session.get(QuizAttempt, attempt_id, options=[WHOLE_ATTEMPT]) or abort(404)
    if attempt.assignment is None or attempt.assignment.classroom_id != classroom.id:
        abort(404)
    lapsed = close_if_expired(attempt, utcnow())  # its time ran out while nobody had it open
    rows = []
    for item in attempt.items:
        qtype, data = item.question.type, item.revision.data
        given = item.response.given if item.response else None
        rows.append((item, given_in_table(qtype, data, given) if item.response else "(not answered)",
                     correct_in_table(qtype, data)))
    if lapsed:
        db.session.commit()
    # Whose work this is, and whether they are still on the roster (their page is reachable only then).
    student = db.session.get(User, attempt.user_id)
    membership = membership_of(db.session, student, classroom)
    # Its score as the gradebook reckons it, so that both pages show the same figures.
    scores = attempt_scores(db.session, [attempt.assignment_id], user_id=attempt.user_id)
    score = next(s for s in scores if s.attempt_id == attempt.id)
    return render_template("classroom/attempt_detail.html", classroom=classroom, attempt=attempt, rows=rows,
                           student=student, enrolled=membership is not None and membership.role == STUDENT,
                           score=score, counted=counted_attempt(scores, attempt.assignment.grading))


@bp.get("/<int:classroom_id>/assignments/<int:assignment_id>/statistics")
@teacher_required
def statistics(classroom_id: int, assignment_id: int):
    """Item statistics of an assignment: facility, discrimination and choices picked, flagged items first."""
    classroom, assignment = assignment_taught(classroom_id, assignment_id)
    return render_template("classroom/statistics.html", classroom=classroom, assignment=assignment,
                           items=item_statistics(db.session, assignment))


@bp.get("/<int:classroom_id>/assignments/<int:assignment_id>/statistics.csv")
@teacher_required
def statistics_export(classroom_id: int, assignment_id: int):
    """The item statistics as CSV: one row per version of a question, with the figures the page shows."""
    classroom, assignment = assignment_taught(classroom_id, assignment_id)
    style = _style()
    return _csv(statistics_csv(db.session, assignment, style),
                _disposition(f"class-{classroom.id}-assignment-{assignment.id}-statistics",
                             f"{classroom.name} {assignment.title} statistics", style))


@bp.get("/<int:classroom_id>/assignments/<int:assignment_id>/questions/<int:question_id>")
@teacher_required
def item_view(classroom_id: int, assignment_id: int, question_id: int):
    """A question of an assignment as students see it, with its key, source passage and the answers typed to it:
    the version given by ?version= (the one an attempt showed, which a bank update may since have changed), else
    the current one."""
    classroom, assignment = assignment_taught(classroom_id, assignment_id)
    question = db.session.get(Question, question_id)
    # Only the assignment's own questions: the rest of its bank may be another instructor's, unpublished since.
    if question is None or not holds_question(db.session, assignment, question):
        abort(404)
    number = request.args.get("version", type=int) or question.revision
    if not 0 < number <= INTEGER_MAX:
        abort(404)  # names no revision, and the database driver could not even send it
    revision = db.session.scalar(select(QuestionRevision).where(
        QuestionRevision.question_id == question.id, QuestionRevision.number == number)) or abort(404)
    # Back to the version read, asked for or not: without it the page shows another once the bank changes it.
    back = url_for("classroom.item_view", classroom_id=classroom.id, assignment_id=assignment.id,
                   question_id=question.id, version=revision.number)
    context = preview_context(db.session, question.type, revision, back)
    return render_template("classroom/item.html", classroom=classroom, assignment=assignment, question=question,
                           revision=revision, typed=typed_answers(db.session, assignment, question.type, revision),
                           **context)


def _style() -> CsvStyle:
    """?separator=semicolon asks for the file Excel in Russian or Kazakh settings reads; anything else, plain CSV."""
    return SEMICOLONS if request.args.get("separator") == "semicolon" else PLAIN


def _disposition(fallback: str, name: str, style: CsvStyle) -> str:
    """The download's Content-Disposition: saved under the class's name ("Civics 9B grades.csv"), as an instructor
    of several classes tells the files apart, with the plain ASCII `fallback` for programs that read no other; the
    plain file and Excel's may be downloaded side by side."""
    excel = style is SEMICOLONS
    return attachment(f"{fallback}{'-excel' if excel else ''}.csv", f"{name}{' (Excel)' if excel else ''}.csv")


def _csv(text: str, disposition: str) -> Response:
    return Response(text.encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition})

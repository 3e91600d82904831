"""Quiz pages: start, one question per page with feedback, results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.grading import grade
from quizapp.models import QuizAttempt
from quizapp.quiz import bp
from quizapp.quiz.forms import SelfGradeForm, answer_form, given_answer, start_form
from quizapp.quiz.present import cloze_html, correct_answer, feedback_context, given_answer_text
from quizapp.quiz.service import (
    NoQuestions,
    Progress,
    attempt_progress,
    attempt_score,
    bank_overviews,
    get_item,
    next_unanswered,
    record_self_grade,
    start_quiz,
    submit_answer,
)


@bp.post("/start/<int:bank_id>")
@login_required
def start(bank_id: int):
    overviews = bank_overviews(db.session, current_user)
    overview = next((o for o in overviews if o.bank.id == bank_id), None) or abort(404)
    form = start_form(bank_id, overview.topics)
    if form.validate_on_submit():
        try:
            attempt = start_quiz(db.session, current_user, overview.bank, form.topic.data or None, form.length.data)
        except NoQuestions:
            form.topic.errors.append("This bank has no questions on that topic. Choose another topic.")
        else:
            db.session.commit()
            return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))
    forms = {o.bank.id: start_form(o.bank.id, o.topics) for o in overviews} | {bank_id: form}
    return render_template("main/index.html", overviews=overviews, forms=forms), 422


@bp.route("/<int:attempt_id>/q/<int:position>", methods=["GET", "POST"])
@login_required
def question(attempt_id: int, position: int):
    item = get_item(db.session, current_user, attempt_id, position) or abort(404)
    qtype, data = item.question.type, item.revision.data
    if item.response is None:
        form = answer_form(qtype, data, item.choice_order)
        if form.validate_on_submit():
            submit_answer(db.session, item, given_answer(qtype, form, item.choice_order))
            db.session.commit()
            return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))
        status = 422 if form.errors else 200
        return render_template("quiz/question.html", item=item, form=form, data=data,
                               cloze=_cloze_inputs(form, data) if qtype == "cloze" else None,
                               total=attempt_progress(db.session, attempt_id).total), status
    return _feedback(item)


@bp.post("/<int:attempt_id>/q/<int:position>/grade")
@login_required
def self_grade(attempt_id: int, position: int):
    item = get_item(db.session, current_user, attempt_id, position) or abort(404)
    form = SelfGradeForm()
    if form.validate_on_submit():
        record_self_grade(db.session, item, knew=bool(form.knew.data))
        db.session.commit()
    return redirect(_after(item))


def _after(item, progress: Progress | None = None) -> str:
    following = (progress or attempt_progress(db.session, item.attempt_id)).next_position
    if following is None:
        return url_for("quiz.results", attempt_id=item.attempt_id)
    return url_for("quiz.question", attempt_id=item.attempt_id, position=following)


def _cloze_inputs(form, data) -> Markup:
    inputs = [entry(class_="blank-input", autocomplete="off", spellcheck="false",
                    **{"aria-label": f"Blank {index + 1} of {len(data['blanks'])}"})
              for index, entry in enumerate(form.blanks)]
    return cloze_html(data["text"], [Markup(i) for i in inputs])


def _feedback(item):
    qtype, response = item.question.type, item.response
    progress = attempt_progress(db.session, item.attempt_id)
    result = None if qtype == "flashcard" else grade(qtype, item.revision.data, response.given)
    return render_template(
        "quiz/feedback.html", item=item, response=response,
        **feedback_context(db.session, qtype, item.revision, response.given, result),
        grade_form=SelfGradeForm() if qtype == "flashcard" and response.given is None else None,
        next_url=_after(item, progress), total=progress.total,
    )


@bp.get("/<int:attempt_id>/results")
@login_required
def results(attempt_id: int):
    attempt = db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.id == attempt_id, QuizAttempt.user_id == current_user.id)
    ) or abort(404)
    remaining = next_unanswered(attempt)
    if remaining is not None:
        flash("Answer every question to see your results.", "info")
        return redirect(url_for("quiz.question", attempt_id=attempt.id, position=remaining.position))
    earned, possible = attempt_score(attempt)
    rows = [
        (item, given_answer_text(item.question.type, item.revision.data, item.response.given),
         correct_answer(item.question.type, item.revision.data))
        for item in attempt.items
    ]
    return render_template("quiz/results.html", attempt=attempt, earned=earned, possible=possible, rows=rows)

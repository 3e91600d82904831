"""Quiz pages: start, one question per page with feedback, results."""

from __future__ import annotations

from flask import Response as FlaskResponse
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.banks.visibility import practice_allowed
from quizapp.extensions import db, login_manager
from quizapp.failures import RETRY_AFTER_SECONDS, database_busy
from quizapp.figures import percent_of
from quizapp.grading import grade
from quizapp.models import QuizAttempt
from quizapp.models.types import utcnow
from quizapp.quiz import bp
from quizapp.quiz.deadlines import (
    LEFT_CLASS,
    NO_HAND_IN,
    SUBMITTED,
    answer_refusal,
    close_if_expired,
    feedback_visible,
    hand_in_refusal,
    is_past_due,
    off_the_roster,
    submit_attempt,
)
from quizapp.quiz.forms import HandInForm, SelfGradeForm, answer_form, given_answer, prefill, start_form
from quizapp.quiz.item_page import ItemPage, load_item_page
from quizapp.quiz.present import cloze_inputs, correct_in_table, feedback_context, given_in_table
from quizapp.quiz.quick import quick_answer, session_login
from quizapp.quiz.service import (
    BankGone,
    NoQuestions,
    Progress,
    attempt_progress,
    attempt_score,
    bank_overviews,
    enqueue_attempt_misses,
    get_item,
    next_unanswered,
    own_attempt,
    queued_count,
    queued_for_study,
    record_self_grade,
    release_held_misses,
    start_quiz,
    submit_answer,
)
from quizapp.web import preload_login

TIME_UP = "Time is up: your attempt was handed in with the answers you had given."
TIME_UP_UNSAVED = ("Time was up before this answer arrived, so it was not saved: your attempt was handed in with "
                   "the answers given before.")
ANSWER_NOT_SAVED = ("The server was too busy to save your answer just now, so it was not saved. It is still filled "
                    "in below: send it again in a moment.")


@bp.post("/start/<int:bank_id>")
@login_required
def start(bank_id: int):
    """Start a practice quiz on a bank, for a topic or all of them, and open its first question."""
    overviews = bank_overviews(db.session, current_user)
    overview = next((o for o in overviews if o.bank.id == bank_id), None) or abort(404)
    form = start_form(bank_id, overview.topics)
    if form.validate_on_submit():
        try:
            attempt = start_quiz(db.session, current_user, overview.bank, form.topic.data or None, form.length.data)
        except NoQuestions:
            form.topic.errors.append("This bank has no questions on that topic. Choose another topic.")
        except BankGone:
            db.session.rollback()
            flash("That bank has just been deleted by its author, so no quiz was started.", "error")
            return redirect(url_for("main.index"))
        else:
            db.session.commit()
            if len(attempt.items) < form.length.data:
                flash(fewer_than_asked(len(attempt.items), form.topic.data), "info")
            return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))
    forms = {o.bank.id: start_form(o.bank.id, o.topics) for o in overviews} | {bank_id: form}
    return render_template("main/index.html", overviews=overviews, forms=forms), 422


@bp.post("/<int:attempt_id>/q/<int:position>")
def answer(attempt_id: int, position: int):
    # Most answers of a lecture hall are recorded by one query and one insert; the rest, and every answer the
    # full path must explain (deadlines, messages, login), go through question() below.
    """Record an answer, then show its feedback at the question's own address."""
    try:
        if quick_answer(db.engine, attempt_id, position, request.form):
            if db.session.registry.has():
                db.session.expire_all()  # written outside the session: what it holds of this attempt is stale
            return _see_feedback()
        return question(attempt_id, position)
    except Exception as error:
        if not database_busy(error):
            raise
        return _answer_not_saved(attempt_id, position)


def _answer_not_saved(attempt_id: int, position: int):
    """The question again, its answer as typed, saying that it was not saved: the database was too busy.

    The answer inputs turn off autocomplete, so a browser's Back button would bring them back empty."""
    db.session.rollback()
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    item = get_item(db.session, current_user, attempt_id, position) or abort(404)
    form = answer_form(item.question.type, item.revision.data, item.choice_order)
    deferred = item.attempt.assignment_id is not None and not feedback_visible(item.attempt, utcnow())
    flash(ANSWER_NOT_SAVED, "error")
    page = _question_page(item, form, deferred, attempt_progress(db.session, attempt_id).total)
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _question_page(item, form, deferred: bool, total: int) -> str:
    """A question with its answer form (empty, prefilled or refused)."""
    data = item.revision.data
    return render_template("quiz/question.html", item=item, form=form, data=data, deferred=deferred,
                           cloze=cloze_inputs(form, data) if item.question.type == "cloze" else None, total=total)


def _differs_from_recorded(item) -> bool:
    """Whether a resent answer form holds another answer than the one recorded (not a mere double click)."""
    qtype = item.question.type
    form = answer_form(qtype, item.revision.data, item.choice_order)
    return form.validate_on_submit() and given_answer(qtype, form, item.choice_order) != item.response.given


def fewer_than_asked(count: int, topic: str | None) -> str:
    """Why a quiz is shorter than the student asked: the bank (or topic) holds no more."""
    where = f" on {topic}" if topic else ""
    questions = "1 question" if count == 1 else f"{count} questions"
    return f"This bank has only {questions}{where}, so the quiz has {'that one' if count == 1 else f'all {count}'}."


def _see_feedback() -> FlaskResponse:
    """Send the browser back to the address it posted to, which now shows the feedback. Built plainly,
    without the note in HTML that werkzeug writes for clients that do not follow redirects."""
    return current_app.response_class(status=302, headers={"Location": request.script_root + request.path})


@bp.get("/<int:attempt_id>/q/<int:position>")
def question(attempt_id: int, position: int):
    """A question to answer, or its feedback once answered."""
    page = _item_page(attempt_id, position)
    if not current_user.is_authenticated:  # what @login_required does, once the page's query has run
        return login_manager.unauthorized()
    if page is None:
        item = get_item(db.session, current_user, attempt_id, position) or abort(404)
        page = ItemPage(current_user, item, attempt_progress(db.session, attempt_id),
                        practice_allowed(db.session, current_user, item.attempt.bank_id))
    item, progress = page.item, page.progress
    attempt, now = item.attempt, utcnow()
    closed = attempt.assignment_id is None and not page.practice_open
    if closed and item.response is None:
        # A practice quiz on a bank closed to practice takes no more answers; the results say so.
        return redirect(url_for("quiz.results", attempt_id=attempt.id))
    time_up = attempt.assignment_id is not None and close_if_expired(attempt, now)
    if time_up:
        db.session.commit()
        flash(TIME_UP_UNSAVED if request.method == "POST" else TIME_UP, "info")
    # Assignments that show feedback later keep the answer form open, prefilled, until the attempt is handed in.
    deferred = attempt.assignment_id is not None and not feedback_visible(attempt, now)
    if attempt.finished_at is not None and (deferred or item.response is None):
        # Nothing left to answer here: a handed-in attempt's open questions stay unanswered.
        if request.method == "POST" and not time_up:
            flash(SUBMITTED, "error")
        return redirect(url_for("quiz.results", attempt_id=attempt.id))
    if item.response is not None and not deferred:
        # A second submission (a double click, a resent form) changes nothing and lands on the feedback.
        if request.method == "GET":
            # Feedback held back until now: its misses join the study queue before the page says they have.
            if release_held_misses(db.session, attempt):
                db.session.commit()
            return _feedback(item, progress, closed, page.practice_open)
        if _differs_from_recorded(item):
            if attempt.assignment_id is None or attempt.finished_at is None:
                flash("This question had already been answered (in another tab, perhaps): the first answer "
                      "stands.", "info")
            elif not time_up:
                # An answer that could be changed until the hand-in: the hand-in (in another tab) is what stops it.
                flash(SUBMITTED, "error")
        return redirect(request.script_root + request.path)
    if request.method == "GET" and attempt.assignment_id is not None and off_the_roster(attempt):
        # An answer form here would be refused when sent (a tab left open, or a link in the history).
        flash(LEFT_CLASS, "error")
        return redirect(url_for("classroom.index"))
    qtype, data = item.question.type, item.revision.data
    form = answer_form(qtype, data, item.choice_order)
    if form.validate_on_submit():
        refusal = answer_refusal(attempt, now)
        if refusal:
            flash(refusal, "error")
            # Off the roster, the results would send on to the hand-in page, which it takes no more than answers.
            if refusal == LEFT_CLASS:
                return redirect(url_for("classroom.index"))
            return redirect(url_for("quiz.results", attempt_id=attempt.id))
        submit_answer(db.session, item, given_answer(qtype, form, item.choice_order), replace=deferred)
        db.session.commit()
        if deferred:
            # No feedback follows to show the answer arrived: the next page says so.
            flash(f"Your answer to question {position} was saved.", "success")
            return redirect(_after(item, saved=True, progress=progress))
        return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))
    if request.method == "GET" and item.response is not None:
        prefill(form, qtype, item.response.given, item.choice_order)
    return _question_page(item, form, deferred, progress.total), 422 if form.errors else 200


@bp.post("/<int:attempt_id>/q/<int:position>/grade")
@login_required
def self_grade(attempt_id: int, position: int):
    """Record whether the student knew a flashcard's answer."""
    item = get_item(db.session, current_user, attempt_id, position) or abort(404)
    if item.attempt.assignment_id is None and not practice_allowed(db.session, current_user, item.attempt.bank_id):
        return redirect(url_for("quiz.results", attempt_id=attempt_id))
    form = SelfGradeForm()
    if form.validate_on_submit():
        record_self_grade(db.session, item, knew=bool(form.knew.data))
        db.session.commit()
    return redirect(_after(item))


def _after(item, *, saved: bool = False, progress: Progress | None = None) -> str:
    """Where to go once an item is done: the next unanswered one, else the results (or, for assignments,
    the page to hand in). A saved answer of a deferred-feedback assignment moves on to the next position."""
    attempt = item.attempt
    progress = progress or attempt_progress(db.session, item.attempt_id)
    if saved and item.position < progress.total:
        return url_for("quiz.question", attempt_id=attempt.id, position=item.position + 1)
    following = None if saved else progress.next_position
    if following is not None:
        return url_for("quiz.question", attempt_id=attempt.id, position=following)
    if attempt.assignment_id is not None and attempt.finished_at is None:
        return url_for("quiz.hand_in", attempt_id=attempt.id)
    return url_for("quiz.results", attempt_id=attempt.id)


def _item_page(attempt_id: int, position: int) -> ItemPage | None:
    """The item and the login read in one query, when the session names a login and the item is its own."""
    login = session_login()
    page = load_item_page(db.session, login, attempt_id, position) if login is not None else None
    if page is not None:
        preload_login(page.user)
    return page


def _feedback(item, progress: Progress, closed: bool, bank_open: bool):
    """The feedback page; a flashcard waiting for its self-grade offers none once practice is closed. A miss says
    it is in the study queue when study shows it (`bank_open`: the attempt's bank is open to the student)."""
    qtype, response = item.question.type, item.response
    result = None if qtype == "flashcard" else grade(qtype, item.revision.data, response.given)
    return render_template(
        "quiz/feedback.html", item=item, response=response,
        # Back from the full text at the sources read, where the next question is a little below: the top of the
        # page is a long scroll from it on a phone. The fragment keeps the verdict from taking the focus again.
        **feedback_context(db.session, qtype, item.revision, response.given, result,
                           back=url_for("quiz.question", attempt_id=item.attempt_id, position=item.position,
                                        _anchor="source-heading")),
        grade_form=SelfGradeForm() if qtype == "flashcard" and response.given is None and not closed else None,
        next_url=_after(item, progress=progress), total=progress.total,
        queued=queued_for_study(item, bank_open),
    )


@bp.route("/<int:attempt_id>/hand-in", methods=["GET", "POST"])
@login_required
def hand_in(attempt_id: int):
    """Confirm and hand in an assignment attempt."""
    attempt = _own_attempt(attempt_id)
    if attempt.assignment_id is None:
        abort(404, description=NO_HAND_IN)
    now = utcnow()
    if close_if_expired(attempt, now):
        flash(TIME_UP, "info")  # the page's countdown reloads it at the end: say what became of the attempt
    refusal = hand_in_refusal(attempt)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("classroom.index"))
    if attempt.finished_at is None:
        form = HandInForm()
        if form.validate_on_submit():
            submit_attempt(attempt, now)
            if feedback_visible(attempt, now):
                enqueue_attempt_misses(db.session, attempt)
            db.session.commit()
            flash("Your answers have been handed in.", "success")
            return redirect(url_for("quiz.results", attempt_id=attempt.id))
        return render_template("quiz/hand_in.html", attempt=attempt, form=form,
                               late=is_past_due(attempt.assignment, now))
    db.session.commit()
    return redirect(url_for("quiz.results", attempt_id=attempt.id))


@bp.get("/<int:attempt_id>/results")
@login_required
def results(attempt_id: int):
    """The score and each question with the answer given and the correct one."""
    attempt = _own_attempt(attempt_id)
    now, closed = utcnow(), False
    if attempt.assignment_id is not None:
        if close_if_expired(attempt, now):
            db.session.commit()
            flash(TIME_UP, "info")
        if attempt.finished_at is None:
            return redirect(url_for("quiz.hand_in", attempt_id=attempt.id))
        if not feedback_visible(attempt, now):
            return render_template("quiz/handed_in.html", attempt=attempt)
        enqueue_attempt_misses(db.session, attempt)
        db.session.commit()
    else:
        remaining = next_unanswered(attempt)
        closed = remaining is not None and not practice_allowed(db.session, current_user, attempt.bank_id)
        if remaining is not None and not closed:
            flash("Answer every question to see your results.", "info")
            return redirect(url_for("quiz.question", attempt_id=attempt.id, position=remaining.position))
    earned, possible = attempt_score(attempt)
    # Once practice is closed, the questions left unanswered keep their keys: only answers given get feedback.
    rows = [
        (item, given_in_table(item.question.type, item.revision.data, item.response.given if item.response else None),
         None if closed and item.response is None else correct_in_table(item.question.type, item.revision.data))
        for item in attempt.items
    ]
    return render_template("quiz/results.html", attempt=attempt, earned=earned, possible=possible,
                           percent=percent_of(earned, possible), rows=rows, closed=closed,
                           missed_in_study=queued_count(db.session, current_user, attempt))


def _own_attempt(attempt_id: int) -> QuizAttempt:
    return own_attempt(db.session, current_user, attempt_id) or abort(404)

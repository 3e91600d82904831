"""Study pages: the next card's front, its back with a rating, and the study settings."""

from __future__ import annotations

import random
import time
from datetime import datetime
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import Select, select
from werkzeug.datastructures import MultiDict

from quizapp.banks.visibility import visible_banks
from quizapp.classroom.membership import is_teacher
from quizapp.extensions import db
from quizapp.grading import grade
from quizapp.models import Bank, Card, Question, QuestionRevision
from quizapp.models.types import parse_id, utcnow
from quizapp.quiz.forms import answer_form, given_answer
from quizapp.quiz.present import cloze_inputs, feedback_context
from quizapp.quiz.service import catch_up_assignments, choice_order, misses_to_study
from quizapp.srs.queue import (
    NewCardLimitReached,
    QuestionGone,
    chosen_question,
    due_count,
    new_available,
    next_card,
    next_due_at,
    rating_after,
    record_rating,
    review_count,
    studyable,
)
from quizapp.srs.scheduling import AGAIN, GOOD, RATING_NAMES
from quizapp.srs.undo import UndoRefused, undo_entry, undo_rating, undoable
from quizapp.study import bp
from quizapp.study.forms import SettingsForm, StudyAnswerForm, rate_form

LONGEST_REVIEW_MS = 60 * 60 * 1000
CARD_GONE = "That card is no longer in study."
CARD_REVISED = "This card was revised while you had it open; here it is as it stands now."
BANK_CLOSED = "That bank is not open for study now, so cards from all your banks are shown."
CARD_NOT_DUE = "That question is not due for study now."
MISSES_GONE_OVER = "You have gone over the questions you missed in that quiz."
UNDONE = "Your last rating was undone. Rate this card again."
UNDO_REFUSED = ("Nothing was undone: a rating can be undone once, within 10 minutes, while the card has not been "
                "rated or changed since.")
# In the session: the last rating given in study, while it may be undone (see quizapp.srs.undo.undo_entry), and the
# question whose first rating was just undone, to be served as a new card once more.
UNDO_KEY, UNDONE_NEW_KEY = "study_undo", "study_undone_new"


@bp.get("/")
@login_required
def index():
    """The next card due (first the card of question `card`, or those of the questions missed in quiz attempt
    `quiz`, while they are the student's and due), else a new one, else how long until the next."""
    chosen, first, quiz = (request.args.get(name, "") for name in ("bank", "card", "quiz"))
    first_id, quiz_id = (parse_id(value) if value else None for value in (first, quiz))
    if (chosen and parse_id(chosen) is None) or (first and first_id is None) or (quiz and quiz_id is None):
        abort(404)  # no bank, question or attempt could have that id, so saying so tells nothing of hidden ones
    bank_id = _bank_filter(chosen)
    if chosen and bank_id is None:
        flash(BANK_CLOSED, "info")
        return redirect(url_for("study.index"))
    now = utcnow()
    if catch_up_assignments(db.session, current_user.id, now):
        db.session.commit()  # attempts whose time ran out are handed in, misses released since queued
    # A card asked for that is not the student's to study now (rated in another tab, say) is passed over in silence,
    # as is someone else's quiz: the same page as without it, so it tells nothing of other students or hidden banks.
    # Only the question whose first rating was just undone may be served new ahead of the queue, and only once.
    undone_new = session.pop(UNDONE_NEW_KEY, None)
    upcoming = next_card(db.session, current_user, now, bank_id, first=_first_choice(first_id, quiz_id, now),
                         new_first=first_id if first_id is not None and undone_new == first_id else None)
    if (first_id or quiz_id) and not (upcoming and upcoming.chosen):
        # Said alike whoever's question or quiz it was: an old link, or the last miss just rated.
        flash(CARD_NOT_DUE if first_id else MISSES_GONE_OVER, "info")
    if upcoming is None:
        return render_template("study/done.html", **_queue_context(bank_id),
                               next_due=next_due_at(db.session, current_user, bank_id), now=now)
    question = upcoming.question
    # The quiz is carried on to the next card only while its misses come first; after the last, the usual queue.
    carried = str(quiz_id) if quiz_id is not None and upcoming.chosen else ""
    return _fresh_front(question, _current_revision(question), upcoming.card, str(bank_id or ""), carried)


@bp.post("/<int:question_id>/answer")
@login_required
def answer(question_id: int):
    """The back of a card, with a typed or chosen answer graded and a rating suggested."""
    found = studyable(db.session, current_user, question_id)
    if found is None:
        return _card_gone()
    question, revision = found
    reviews = parse_id(request.form.get("reviews", ""))
    if reviews is None:
        abort(400)
    if parse_id(request.form.get("revision", "")) != revision.id:
        # Graded against the new wording, the answer could be marked against choices the student never saw.
        flash(CARD_REVISED, "info")
        return _fresh_front(question, revision, _card_of(question), request.form.get("bank", ""),
                            request.form.get("quiz", ""))
    form = _front_form(question, revision, reviews)
    if not form.validate_on_submit():
        return _front(question, revision, form, _card_of(question)), 422
    qtype = question.type
    given = given_answer(qtype, form, _choice_order(question, revision.data, reviews))
    result = None if qtype == "flashcard" else grade(qtype, revision.data, given)
    rating = rate_form(current_user.again_good_only)
    rating.reviews.data, rating.shown_at.data, rating.bank.data = reviews, form.shown_at.data, form.bank.data
    rating.quiz.data = form.quiz.data
    return render_template(
        "study/back.html", question=question, form=rating, ratings=_ratings(),
        suggested=None if result is None else (GOOD if result.correct else AGAIN),
        **feedback_context(db.session, qtype, revision, given, result),
    )


@bp.post("/<int:question_id>/rate")
@login_required
def rate(question_id: int):
    """Rate how well the card was remembered and schedule it, then go on to the next."""
    found = studyable(db.session, current_user, question_id)
    if found is None:
        return _card_gone()
    question, _revision = found
    form = rate_form(current_user.again_good_only)
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(_study_url(form.bank.data, form.quiz.data))
    try:
        rated = record_rating(db.session, current_user, question, form.rating.data, form.reviews.data,
                              duration_ms=_duration(form.shown_at.data))
    except QuestionGone:
        return _card_gone()
    except NewCardLimitReached as refused:
        # Another tab started the last new card of the day first: this one stays new for another day.
        flash(f"You have reached today's limit of new cards ({refused.limit}); that card was not rated and "
              "stays new for another day.", "info")
        return redirect(_study_url(form.bank.data, form.quiz.data))
    # The same rating sent twice (a double press or double click) is just what was recorded: nothing to say.
    if rated is None and rating_after(db.session, current_user, question.id, form.reviews.data) != form.rating.data:
        flash("That card had already been rated; your first rating stands.", "info")
    entry = None if rated is None else undo_entry(rated)
    db.session.commit()
    if entry is not None:
        session[UNDO_KEY] = entry  # only once committed: a rating that failed has nothing to undo
    return redirect(_study_url(form.bank.data, form.quiz.data))


@bp.post("/undo")
@login_required
def undo():
    """Take back the last rating given in study, if nothing has happened to the card since, and show it again."""
    entry = session.pop(UNDO_KEY, None)
    bank, quiz = request.form.get("bank", ""), request.form.get("quiz", "")
    if not undoable(entry, current_user.id, utcnow()):
        flash(UNDO_REFUSED, "info")
        return redirect(_study_url(bank, quiz))
    try:
        question_id = undo_rating(db.session, current_user, entry)
    except UndoRefused:
        flash(UNDO_REFUSED, "info")
        return redirect(_study_url(bank, quiz))
    db.session.commit()
    if entry["before"] is None:
        session[UNDONE_NEW_KEY] = question_id
    flash(UNDONE, "info")
    bank_id = _bank_filter(bank)
    return redirect(url_for("study.index", card=question_id, bank=bank_id, quiz=parse_id(quiz) if quiz else None))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Study settings: time zone, the hour the study day starts, new cards per day, desired retention, Again/Good
    only."""
    form = SettingsForm(obj=current_user, sets_assignments=is_teacher(current_user))
    if request.method == "GET":
        form.desired_retention.data = Decimal(str(current_user.desired_retention))
    if form.validate_on_submit():
        current_user.timezone = form.timezone.data
        current_user.day_starts_at = form.day_starts_at.data
        current_user.new_cards_per_day = form.new_cards_per_day.data
        current_user.desired_retention = float(form.desired_retention.data)
        current_user.again_good_only = form.again_good_only.data
        db.session.commit()
        flash("Study settings saved.", "success")
        return redirect(url_for("study.settings"))
    return render_template("study/settings.html", form=form), 422 if form.errors else 200


def _bank_filter(value: str | None) -> int | None:
    """The bank the student chose to study, while they may see it; None for all banks."""
    bank_id = parse_id(value) if value else None
    if bank_id is None:
        return None
    return db.session.scalar(visible_banks(current_user).with_only_columns(Bank.id).where(Bank.id == bank_id))


def _first_choice(question_id: int | None, attempt_id: int | None,
                  now: datetime) -> Select[tuple[int, int, datetime | None]] | None:
    """The questions to study first: the one asked for, else those missed in the quiz asked for, else none."""
    if question_id is not None:
        return chosen_question(question_id)
    return misses_to_study(current_user, attempt_id, now) if attempt_id is not None else None


def _study_url(bank: str | None, quiz: str | None = None) -> str:
    """The study page, kept to the chosen bank if the student may still study it, saying so if not, and to the
    quiz whose misses come first."""
    bank_id = _bank_filter(bank)
    if bank and bank_id is None:
        # One message for a bank closed, unpublished, left with a class or never there: nothing tells them apart.
        flash(BANK_CLOSED, "info")
    return url_for("study.index", bank=bank_id, quiz=parse_id(quiz) if quiz else None)


def _card_gone():
    """Back to the queue for a card that left study while open (retired, or its bank closed to the student)."""
    # Ids that never existed get the same answer, so it tells nobody which questions hidden banks hold.
    flash(CARD_GONE, "info")
    return redirect(_study_url(request.form.get("bank", ""), request.form.get("quiz", "")))


def _queue_context(bank_id: int | None, quiz: str = "") -> dict:
    now = utcnow()
    entry = session.get(UNDO_KEY)
    if not undoable(entry, current_user.id, now):
        entry = None
    return {
        "due": due_count(db.session, current_user, now, bank_id),
        "new": new_available(db.session, current_user, now, bank_id),
        "banks": db.session.scalars(visible_banks(current_user).order_by(Bank.title)).all(),
        "bank_id": bank_id,
        # The rating that may be undone, named: whether it still can be is found out on undoing, at no cost here.
        "undo_rating": None if entry is None else RATING_NAMES.get(entry.get("rating")),
        "quiz": quiz,
    }


def _current_revision(question: Question) -> QuestionRevision:
    return db.session.scalar(select(QuestionRevision).where(
        QuestionRevision.question_id == question.id, QuestionRevision.number == question.revision))


def _card_of(question: Question) -> Card | None:
    return db.session.scalar(select(Card).where(Card.user_id == current_user.id, Card.question_id == question.id))


def _choice_order(question: Question, data: dict, reviews: int) -> list[int] | None:
    """Shuffled choices that stay put between the front and the back of one review of a card."""
    return choice_order(question.type, data, random.Random(f"{current_user.id}:{question.id}:{reviews}"))


def _front_form(question: Question, revision: QuestionRevision, reviews: int, formdata: MultiDict | None = None):
    form = answer_form(question.type, revision.data, _choice_order(question, revision.data, reviews),
                       formdata=formdata, base=StudyAnswerForm)
    if question.type == "flashcard":
        form.submit.label.text = "Show answer"
    return form


def _fresh_front(question: Question, revision: QuestionRevision, card: Card | None, bank: str, quiz: str):
    """A card's front as it stands, with nothing filled in, carrying the revision it shows, the bank studied and the
    quiz whose misses come first."""
    reviews = review_count(db.session, current_user, question.id) if card else 0
    # An empty form: an answer posted for an earlier revision must not fill this one's fields.
    form = _front_form(question, revision, reviews, formdata=MultiDict())
    form.reviews.data, form.revision.data = reviews, revision.id
    form.shown_at.data, form.bank.data, form.quiz.data = int(time.time() * 1000), bank, quiz
    return _front(question, revision, form, card)


def _front(question: Question, revision: QuestionRevision, form, card: Card | None):
    data = revision.data
    cloze = cloze_inputs(form, data) if question.type == "cloze" else None
    return render_template("study/front.html", question=question, data=data, form=form, cloze=cloze, card=card,
                           **_queue_context(_bank_filter(form.bank.data), form.quiz.data or ""))


def _ratings() -> list[tuple[int, str]]:
    names = RATING_NAMES.items()
    if current_user.again_good_only:
        return [(value, name) for value, name in names if value in (AGAIN, GOOD)]
    return list(names)


def _duration(shown_at: int | None) -> int | None:
    if shown_at is None:
        return None
    elapsed = int(time.time() * 1000) - shown_at
    return elapsed if 0 <= elapsed <= LONGEST_REVIEW_MS else None

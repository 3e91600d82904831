"""The progress page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from quizapp.extensions import db
from quizapp.models.types import utcnow
from quizapp.progress import bp
from quizapp.progress.stats import (
    RECENT_ATTEMPTS,
    accuracy_by_topic,
    most_missed,
    overall_accuracy,
    recent_attempts,
)
from quizapp.progress.study import study_progress
from quizapp.quiz.service import catch_up_assignments


@bp.get("/")
@login_required
def index():
    """The student's progress: study figures and charts, quiz accuracy, questions missed most, past quizzes."""
    now = utcnow()
    if catch_up_assignments(db.session, current_user.id, now):
        db.session.commit()  # attempts whose time ran out are handed in, misses released since due now
    return render_template(
        "progress/index.html",
        overall=overall_accuracy(db.session, current_user.id),
        topics=accuracy_by_topic(db.session, current_user.id),
        attempts=recent_attempts(db.session, current_user.id, RECENT_ATTEMPTS),
        attempts_shown=RECENT_ATTEMPTS,
        missed=most_missed(db.session, current_user.id),
        study=study_progress(db.session, current_user, now),
        now=now,
    )

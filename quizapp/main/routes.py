"""Home page."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from quizapp.classroom.invitations import invitation_count
from quizapp.extensions import db
from quizapp.main import bp
from quizapp.quiz.forms import start_form
from quizapp.quiz.service import bank_overviews


@bp.get("/")
def index():
    """The home page: each bank with its topics, question counts and a form to start a quiz."""
    overviews = bank_overviews(db.session, current_user)
    forms = {o.bank.id: start_form(o.bank.id, o.topics) for o in overviews}
    # Told here too, where instructors land after logging in, so that an invitation does not wait unseen.
    invited = invitation_count(db.session, current_user) if current_user.is_authenticated else 0
    return render_template("main/index.html", overviews=overviews, forms=forms, invited=invited)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links; point them at the icon we ship."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)

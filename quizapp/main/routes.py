"""Home page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from quizapp.extensions import db
from quizapp.main import bp
from quizapp.quiz.forms import start_form
from quizapp.quiz.service import bank_overviews


@bp.get("/")
def index():
    overviews = bank_overviews(db.session, current_user)
    forms = {o.bank.id: start_form(o.bank.id, o.topics) for o in overviews}
    return render_template("main/index.html", overviews=overviews, forms=forms)

"""Inputs written by the templates are the markup WTForms would write: choices in every state, the question
page's CSRF field and button."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from quizapp.extensions import db
from quizapp.models import Bank
from quizapp.quiz.forms import answer_form
from quizapp.quiz.service import start_quiz
from tests.conftest import csrf_from
from tests.test_answer_keys import TYPES

DATA = {"choices": [{"text": "*Mazhilis* <b>98</b>"}, {"text": "Senate & co"}, {"text": "\"Kurultai\""}],
        "correct": [0]}
INVALID = {"aria-describedby": "answer-error", "aria-invalid": "true"}


@pytest.mark.parametrize("qtype", ["single_choice", "multiple_response", "true_false"])
@pytest.mark.parametrize("typed", [None, ["1"], ["0", "2"], ["true"], ["9"]])
@pytest.mark.parametrize("invalid", [{}, INVALID])
def test_template_choices_match_the_wtforms_widgets(app, qtype, typed, invalid):
    with app.test_request_context(method="POST"):
        formdata = MultiDict([("answer", value) for value in typed]) if typed else None
        form = answer_form(qtype, DATA, [2, 0, 1] if qtype != "true_false" else None, formdata=formdata)
        choice_input = app.jinja_env.get_template("quiz/_choice_input.html").module.choice_input
        kind = "checkbox" if qtype == "multiple_response" else "radio"
        written = [str(choice_input(choice, index, kind, invalid))
                   for index, choice in enumerate(form.answer.iter_choices())]
        widgets = [f"{option(**invalid)} {option.label()}" for option in form.answer]
    assert written == widgets
    offered = {"true", "false"} if qtype == "true_false" else {"0", "1", "2"}
    assert any("checked" in w for w in widgets) == bool(typed and typed[0] in offered)  # states were covered


@pytest.mark.parametrize("qtype", TYPES)
def test_question_page_csrf_field_and_button_match_the_wtforms_widgets(app, logged_in, fixture_bank, student, qtype):
    attempt = start_quiz(db.session, student, db.session.scalar(select(Bank)), None, 8)
    db.session.commit()
    item = next(i for i in attempt.items if i.question.type == qtype)
    page = logged_in.get(f"/quiz/{item.attempt_id}/q/{item.position}").get_data(as_text=True)
    with app.test_request_context():
        form = answer_form(qtype, item.revision.data, item.choice_order)
        button, hidden = str(form.submit(class_="button primary")), str(form.hidden_tag())
    token = csrf_from(page)
    assert hidden.replace(form.csrf_token.current_token, token) in page
    assert button in page

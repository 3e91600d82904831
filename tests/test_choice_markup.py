"""Choice inputs written by the template are the markup WTForms would write, in every state."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from quizapp.quiz.forms import answer_form

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

"""The quiz start form and the answer form built for each question type."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    FieldList,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.content.markdown import render_inline
from quizapp.form_helpers import WholeNumberField
from quizapp.grading.checkers import numeric_refusal

ANSWER_MAX = 200


class StartQuizForm(FlaskForm):
    """One per bank on the home page; the prefix keeps the banks' field ids apart."""

    topic = SelectField("Topic", validators=[Optional()], default="")
    length = WholeNumberField("Number of questions", default=10, validators=[
        InputRequired("Give a number of questions."),
        NumberRange(min=1, max=50, message="Choose between 1 and 50 questions.")])
    submit = SubmitField("Start quiz")


def start_form(bank_id: int, topics: list[tuple[str, int]]) -> StartQuizForm:
    """The start form of one bank, offering its topics."""
    form = StartQuizForm(prefix=f"bank{bank_id}")
    form.topic.choices = [SelectChoice("", "All topics")] + [SelectChoice(t, f"{t} ({n})") for t, n in topics]
    return form


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AnswerForm(FlaskForm):
    submit = SubmitField("Check answer")


class HandInForm(FlaskForm):
    submit = SubmitField("Hand in my answers")


class SelfGradeForm(FlaskForm):
    knew = SubmitField("I knew it")
    missed = SubmitField("I did not know it")


def answer_form(qtype: str, data: dict[str, Any], choice_order: list[int] | None,
                formdata: Any = None, base: type[AnswerForm] = AnswerForm) -> AnswerForm:
    """An answer form with the field(s) a question of this type needs, on top of `base`'s fields."""
    form_class = _answer_form_class(qtype, len(data["blanks"]) if qtype == "cloze" else 0, base)
    form = form_class(formdata=formdata) if formdata is not None else form_class()
    if qtype in ("single_choice", "multiple_response"):
        # The choices are the question's own: set on the instance, checked when the form validates.
        form.answer.choices = [SelectChoice(str(pos), Markup(render_inline(data["choices"][index]["text"])))
                               for pos, index in enumerate(choice_order or [])]
    return form


def _some_blank_filled(form: AnswerForm, field: FieldList) -> None:
    """A stray Enter on an empty cloze is not an answer: at least one blank must hold something."""
    if not any((entry.data or "").strip() for entry in field):
        raise ValidationError("Fill in at least one blank.")


def _reads_one_way(form: AnswerForm, field: StringField) -> None:
    """A number that could mean two things ("20.000") goes back to the student instead of being graded."""
    refusal = None if field.errors else numeric_refusal(field.data or "")
    if refusal:
        raise ValidationError(refusal)


@cache
def _answer_form_class(qtype: str, blanks: int, base: type[AnswerForm]) -> type[AnswerForm]:
    """The form class of a question type, built once: WTForms does real work for every new class."""

    class Form(base):
        pass

    if qtype in ("single_choice", "multiple_response"):
        field_class = RadioField if qtype == "single_choice" else MultiCheckboxField
        message = "Choose an answer." if qtype == "single_choice" else "Choose at least one answer."
        Form.answer = field_class("Your answer", choices=[], validators=[InputRequired(message)])
    elif qtype == "true_false":
        Form.answer = RadioField("Your answer", choices=[SelectChoice("true", "True"), SelectChoice("false", "False")],
                                 validators=[InputRequired("Choose True or False.")])
    elif qtype in ("numeric", "short_text"):
        # Spaces alone are no answer (the answer is stripped, and would be graded as an empty one).
        validators = [DataRequired("Type an answer."), Length(max=ANSWER_MAX)]
        if qtype == "numeric":
            validators.append(_reads_one_way)
        Form.answer = StringField("Your answer", validators=validators)
    elif qtype == "cloze":
        Form.blanks = FieldList(StringField("Blank", validators=[Length(max=ANSWER_MAX)]),
                                min_entries=blanks, max_entries=blanks, validators=[_some_blank_filled])
    elif qtype == "flashcard":
        Form.submit = SubmitField("Show answer")
    return Form


def answer_errors(form: AnswerForm) -> list[str]:
    """The answer form's messages as sentences; those of a cloze blank say which blank."""
    messages = []
    for errors in form.errors.values():
        for index, error in enumerate(errors):
            if isinstance(error, list):  # a FieldList gives one list of messages per entry
                messages += [f"Blank {index + 1}: {message}" for message in error]
            else:
                messages.append(error)
    return messages


def given_answer(qtype: str, form: AnswerForm, choice_order: list[int] | None) -> Any:
    """What the student answered, in the terms the checkers use (choice indexes, bool, text)."""
    if qtype == "single_choice":
        return (choice_order or [])[int(form.answer.data)]
    if qtype == "multiple_response":
        return sorted((choice_order or [])[int(pos)] for pos in form.answer.data)
    if qtype == "true_false":
        return form.answer.data == "true"
    if qtype in ("numeric", "short_text"):
        return form.answer.data.strip()
    if qtype == "cloze":
        return [(entry.data or "").strip() for entry in form.blanks]
    return None


def prefill(form: AnswerForm, qtype: str, given: Any, choice_order: list[int] | None) -> None:
    """Put a recorded answer back into the form, so a student can see and change it before handing in."""
    if given is None:
        return
    if qtype == "single_choice":
        form.answer.data = str((choice_order or []).index(given))
    elif qtype == "multiple_response":
        form.answer.data = [str((choice_order or []).index(i)) for i in given]
    elif qtype == "true_false":
        form.answer.data = "true" if given else "false"
    elif qtype in ("numeric", "short_text"):
        form.answer.data = given
    elif qtype == "cloze":
        for entry, typed in zip(form.blanks, given, strict=False):
            entry.data = typed

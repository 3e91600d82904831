"""Forms for classes, rosters and assignments."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.classroom.assignments import FEEDBACK_POLICIES, GRADING_POLICIES, LATE_POLICIES, SELECTIONS, selection_test
from quizapp.form_helpers import WholeNumberField
from quizapp.timezones import clock_time
from quizapp.wall_clock import skipped, typed_moment


def options(labels: dict[str, str]) -> list[SelectChoice]:
    """Radio choices from a mapping of stored value to label."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class ClassForm(FlaskForm):
    name = StringField("Class name", validators=[DataRequired("Give the class a name."), Length(max=120)])
    submit = SubmitField("Create class")


class RenameForm(FlaskForm):
    name = StringField("Class name", validators=[DataRequired("Give the class a name."), Length(max=120)])
    submit = SubmitField("Rename")


class JoinForm(FlaskForm):
    code = StringField("Join code", description="The code your instructor gave you, for example KQX-7HT.",
                       validators=[DataRequired("Type the join code."), Length(max=20)])
    submit = SubmitField("Join class")


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token is all it carries."""

    submit = SubmitField("Confirm")


class InstructorForm(FlaskForm):
    email = EmailField("Instructor's email",
                       description="They teach the class once they accept, on their Classes page.",
                       validators=[DataRequired("Type an email."), Email("Type a valid email.")])
    submit = SubmitField("Invite instructor")


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# Far enough either way for any school year, and near enough that every time zone can still show the date.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999
DATE_BOUNDS = {"min": f"{EARLIEST_YEAR}-01-01T00:00", "max": f"{LATEST_YEAR}-12-31T23:59"}


def within_school_years(form, field) -> None:
    """A date the app can store and show in every time zone."""
    if field.data and not EARLIEST_YEAR <= field.data.year <= LATEST_YEAR:
        raise ValidationError(f"Choose a date between the years {EARLIEST_YEAR} and {LATEST_YEAR}.")


def on_the_clock(form, field) -> None:
    """A time the clocks of the instructor's zone show: not one they skip when they go forward."""
    # A date already refused may lie where no zone can reach it.
    gap = skipped(field.data, form.zone) if field.data and not field.errors else None
    if gap is not None:
        raise ValidationError(f"There is no {field.data:%H:%M} on {field.data:%Y-%m-%d} in {form.zone.key}: the "
                              f"clocks go forward from {gap[0]:%H:%M} to {gap[1]:%H:%M}. Choose a time outside "
                              "that gap.")


DATE_CHECKS = [Optional(), within_school_years, on_the_clock]

# The lists a selection can take its questions from, with what one of their boxes stands for.
TICK_LISTS = {"topics": ("topic", "topics"), "tags": ("tag", "tags"), "questions": ("question", "questions")}


def ticks_left_out(chosen: str, left_out: dict[str, int]) -> str:
    """What to do about boxes ticked in lists the chosen selection does not take its questions from."""
    ticked = _listed([f"{count} {TICK_LISTS[name][count != 1]}" for name, count in left_out.items()])
    said = f"You ticked {ticked}, but “{SELECTIONS.get(chosen, chosen)}” is chosen"
    if len(left_out) > 1:
        choices = _listed([f"“{SELECTIONS[name]}”" for name in left_out], "or")
        return f"{said}. Questions come from one list only: choose {choices} and untick the rest, or untick them all."
    name, count = next(iter(left_out.items()))
    if name == "questions":
        alone = "those" if count != 1 else "that one"
    else:
        alone = "their questions" if count != 1 else "its questions"
    return f"{said}: choose “{SELECTIONS[name]}” to set only {alone}, or untick {'them' if count != 1 else 'it'}."


def _listed(words: list[str], last: str = "and") -> str:
    """Words as a sentence lists them: "a", "a and b", "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


class AssignmentForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Give the assignment a title."), Length(max=200)])
    bank = SelectField("Question bank", coerce=int, validators=[InputRequired("Choose a bank.")])
    selection = RadioField("Questions from", choices=options(SELECTIONS), default="all")
    topics = CheckboxesField("Topics", validate_choice=True)
    tags = CheckboxesField("Tags", validate_choice=True)
    questions = CheckboxesField("Questions", coerce=int, validate_choice=True)
    draw_count = WholeNumberField(
        "Questions per student", description="Leave empty for every selected question.",
        validators=[Optional(), NumberRange(min=1, max=500, message="Draw between 1 and 500 questions, or leave this "
                                                                    "empty for every selected question.")])
    shuffle_choices = BooleanField("Shuffle the choices", default=True)
    opens_at = DateTimeLocalField("Opens", format="%Y-%m-%dT%H:%M", validators=DATE_CHECKS,
                                  render_kw=DATE_BOUNDS, description="Leave empty to open now.")
    due_at = DateTimeLocalField("Due", format="%Y-%m-%dT%H:%M", validators=DATE_CHECKS,
                                render_kw=DATE_BOUNDS, description="Leave empty for no due date.")
    attempt_limit = WholeNumberField(
        "Attempts allowed", description="Leave empty for no limit.",
        validators=[Optional(), NumberRange(min=1, max=100, message="Allow between 1 and 100 attempts, or leave "
                                                                    "this empty for no limit.")])
    time_limit_minutes = WholeNumberField(
        "Time limit (minutes)", description="Leave empty for no time limit.",
        validators=[Optional(), NumberRange(min=1, max=600, message="Give between 1 and 600 minutes, or leave this "
                                                                    "empty for no time limit.")])
    feedback_policy = RadioField(
        "Students see keys and explanations", choices=options(FEEDBACK_POLICIES), default="each",
        description="Every attempt asks a student the same questions: with more than one attempt allowed, keys "
                    "seen before the due date help with the next one.")
    late_policy = RadioField("Late work", choices=options(LATE_POLICIES), default="refuse")
    grading = RadioField("Grade by", choices=options(GRADING_POLICIES), default="best")
    submit = SubmitField("Create assignment")

    # The bank's auto-graded questions as (id, topic, tags), set by the view, so the selection can be counted.
    candidates: tuple[tuple[int, str, tuple[str, ...]], ...] = ()
    # The instructor's time zone, set by the view: the dates are typed on its clocks.
    zone: ZoneInfo = ZoneInfo("UTC")
    # The times stored by field name, set by the view when editing: a time sent back as shown keeps its moment.
    stored: dict[str, datetime | None] = {}
    # The boxes ticked when the form opened, by list, set by the view when editing: the assignment's own ticks,
    # which may stay behind when it changes to a wider selection. Any other tick is a choice not to drop unsaid.
    opened: dict[str, frozenset[str | int]] = {}

    def validate(self, extra_validators=None) -> bool:
        """The fields, then whether the selection holds questions enough to draw from."""
        if not super().validate(extra_validators):
            return False
        selected = self.selected_count()
        if selected == 0:
            self.selection.errors.append("This selection holds no questions that can be graded automatically.")
            return False
        if self.draw_count.data is not None and self.draw_count.data > selected:
            self.draw_count.errors.append(f"Only {selected} questions match this selection: draw at most "
                                          f"{selected}, or leave this empty for all of them.")
            return False
        return True

    def left_out(self) -> dict[str, int]:
        """How many boxes ticked since the form opened lie in each list the chosen selection leaves out."""
        counts = {name: len(set(getattr(self, name).data or ()) - self.opened.get(name, frozenset()))
                  for name in TICK_LISTS if name != self.selection.data}
        return {name: count for name, count in counts.items() if count}

    def validate_selection(self, field) -> None:
        """Ticks in a list the selection leaves out would be dropped without a word: ask which is meant."""
        left_out = {} if field.errors else self.left_out()  # a choice not offered is told first
        if left_out:
            raise ValidationError(ticks_left_out(field.data, left_out))

    def selected_count(self) -> int:
        """How many of the bank's auto-graded questions the chosen selection takes."""
        chosen = selection_test(self.selection.data, self.topics.data, self.tags.data, self.questions.data)
        return sum(chosen(qid, topic, tags) for qid, topic, tags in self.candidates)

    def moment(self, name: str) -> datetime | None:
        """The UTC moment of the opening or due time as typed, or as stored when sent back unchanged."""
        return typed_moment(getattr(self, name).data, self.zone, self.stored.get(name))

    def validate_due_at(self, field) -> None:
        """The due date comes after the opening, compared as moments: in the hour the clocks go back, a later
        wall time may be the earlier moment."""
        if not field.data or not self.opens_at.data or field.errors or self.opens_at.errors:
            return
        opens, due = self.moment("opens_at"), self.moment("due_at")
        if due > opens:
            return
        message = "The due time must come after the opening time."
        if field.data > self.opens_at.data:  # in order on the clock, not in time: say why
            shown = opens.astimezone(self.zone)
            which = "second" if shown.fold else "first"
            typed = due.astimezone(self.zone)
            message += (f" In {self.zone.key} the opening is the {which} {shown:%H:%M} of {shown:%Y-%m-%d} "
                        f"({clock_time(shown)}), after the clocks go back; {typed:%H:%M} is read as "
                        f"{clock_time(typed)}, before it.")
        raise ValidationError(message)

    def validate_feedback_policy(self, field) -> None:
        """Feedback after the due date needs a due date."""
        if field.data == "due" and not self.due_at.data:
            raise ValidationError("Feedback after the due date needs a due date.")

    def validate_topics(self, field) -> None:
        """A selection by topics names at least one."""
        if self.selection.data == "topics" and not field.data:
            raise ValidationError("Choose at least one topic.")

    def validate_tags(self, field) -> None:
        """A selection by tags names at least one."""
        if self.selection.data == "tags" and not field.data:
            raise ValidationError("Choose at least one tag.")

    def validate_questions(self, field) -> None:
        """A hand-picked selection picks at least one question."""
        if self.selection.data == "questions" and not field.data:
            raise ValidationError("Choose at least one question.")

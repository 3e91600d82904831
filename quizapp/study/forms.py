"""Study forms: the rating of a reviewed card, and the study settings."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, HiddenField, IntegerField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, NumberRange, Optional
from wtforms.widgets import HiddenInput

from quizapp.form_helpers import WholeNumberField
from quizapp.models.types import INTEGER_MAX
from quizapp.quiz.forms import AnswerForm
from quizapp.srs.days import day_start_label
from quizapp.srs.scheduling import AGAIN, EASY, GOOD, HARD
from quizapp.timezones import timezone_choices

MIN_RETENTION, MAX_RETENTION = Decimal("0.70"), Decimal("0.97")
DAY_START_REFUSED = "Choose an hour from 0:00 to 23:00."
ZONE_SHOWN = "Your study day starts in this time zone, and every date and time is shown in it."
# Only instructors type times (when an assignment opens and is due): a student told of it would wonder which.
ZONE_SHOWN_AND_TYPED = ("Your study day starts in this time zone, and every date and time is shown in it (and "
                        "typed in it, for assignments you set).")


class CardState:
    """What the front of a card carries to its back and on to the rating: how many ratings the card had when
    shown (a rating given since refuses this one), when it was shown, the bank being studied, and the quiz whose
    misses come first."""

    reviews = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0, max=INTEGER_MAX)])
    shown_at = IntegerField(widget=HiddenInput(), validators=[Optional()])
    bank = HiddenField()
    quiz = HiddenField()


class StudyAnswerForm(CardState, AnswerForm):
    # The question revision shown: an answer is graded against it only while it is still the current one.
    revision = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=INTEGER_MAX)])


class RateForm(CardState, FlaskForm):
    rating = IntegerField("Rating", validators=[InputRequired("Choose how well you remembered.")])


def rate_form(again_good_only: bool) -> RateForm:
    """The rating form, accepting only Again and Good in that mode."""
    allowed = [AGAIN, GOOD] if again_good_only else [AGAIN, HARD, GOOD, EASY]
    form = RateForm()
    form.rating.validators = [*form.rating.validators, AnyOf(allowed, message="That rating is not available.")]
    return form


class SettingsForm(FlaskForm):
    timezone = SelectField("Time zone", validators=[InputRequired()], description=ZONE_SHOWN)
    day_starts_at = SelectField(
        "Your study day starts at", coerce=int, validators=[InputRequired(DAY_START_REFUSED)],
        invalid_value_message=DAY_START_REFUSED, invalid_choice_message=DAY_START_REFUSED,
        choices=[SelectChoice(hour, "0:00 (midnight)" if hour == 0 else day_start_label(hour)) for hour in range(24)],
        description="New cards, cards due today and your streak start a new day at this hour. "
                    "With 4:00, a session that runs past midnight still counts as the evening's.")
    new_cards_per_day = WholeNumberField(
        "New cards per day", description="How many cards you have not studied before to add each day.",
        validators=[InputRequired("Give a number of new cards."),
                    NumberRange(min=0, max=1000, message="Choose between 0 and 1000 new cards a day.")])
    desired_retention = DecimalField(
        "Desired retention", places=2,
        description="The chance of remembering a card when it comes due, from 0.70 to 0.97. "
                    "Higher means more reviews.",
        validators=[InputRequired("Give a retention between 0.70 and 0.97."),
                    NumberRange(min=MIN_RETENTION, max=MAX_RETENTION,
                                message="Choose a retention between 0.70 and 0.97.")])
    again_good_only = BooleanField(
        "Rate with Again and Good only",
        description="With Again and Good only, you rate each card as forgotten or remembered.")
    submit = SubmitField("Save settings")

    def __init__(self, *args, sets_assignments: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice(zone, zone) for zone in timezone_choices()]
        if sets_assignments:
            self.timezone.description = ZONE_SHOWN_AND_TYPED

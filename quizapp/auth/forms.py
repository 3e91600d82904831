"""Account forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from quizapp.auth.accounts import name_problem, unmailable

PASSWORD_MIN = 10
PASSWORD_MAX = 128
TYPE_EMAIL = "Type your email address."


def new_password(label: str) -> PasswordField:
    """A password field under the length policy."""
    # "Choose a password." on the sign-up form, "Choose a new password." where one is changed.
    return PasswordField(label, validators=[InputRequired(f"Choose a {label.lower()}."),
                                            Length(min=PASSWORD_MIN, max=PASSWORD_MAX)],
                         description=f"At least {PASSWORD_MIN} characters.")


def repeated_password(label: str) -> PasswordField:
    """The same password typed again."""
    return PasswordField(label, validators=[InputRequired("Type the password again."),
                                            EqualTo("password", message="The passwords differ.")])


def _trimmed(text: str | None) -> str | None:
    return text.strip() if isinstance(text, str) else text


def _acceptable_name(_form: FlaskForm, field: Field) -> None:
    problem = name_problem(field.data)
    if problem:
        raise ValidationError(problem)


def display_name_field(label: str) -> StringField:
    """The name others see, trimmed, under the rules of quizapp.auth.accounts.name_problem."""
    return StringField(label, filters=[_trimmed],
                       validators=[DataRequired("Give the name others will see."), _acceptable_name])


def _mailable(_form: FlaskForm, field: Field) -> None:
    problem = unmailable(field.data or "")
    if problem:
        raise ValidationError(problem)


def email_field() -> EmailField:
    """An email address our mails can reach, checked for its form only (no lookup of the domain)."""
    return EmailField("Email", validators=[InputRequired(TYPE_EMAIL), Email(check_deliverability=False), _mailable,
                                           Length(max=254)])


class RegisterForm(FlaskForm):
    email = email_field()
    display_name = display_name_field("Name shown to others")
    password = new_password("Password")
    confirm = repeated_password("Repeat password")
    submit = SubmitField("Create account")


class ConfirmForm(FlaskForm):
    # Only whoever chose the password may finish: a later sign-up for the same address cannot slip its own in.
    password = PasswordField("The password you chose when signing up",
                             validators=[InputRequired("Type the password you chose."), Length(max=PASSWORD_MAX)])
    # Filled in by device-zone.js: the account starts in the time zone this browser reports.
    device_zone = HiddenField()
    submit = SubmitField("Create my account")


class ForgotForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send me a link")


class ResetForm(FlaskForm):
    password = new_password("New password")
    confirm = repeated_password("Repeat new password")
    submit = SubmitField("Set the new password")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(TYPE_EMAIL), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired("Type your password."), Length(max=PASSWORD_MAX)])
    remember = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password",
                            validators=[InputRequired("Type your current password."), Length(max=PASSWORD_MAX)])
    password = new_password("New password")
    confirm = repeated_password("Repeat new password")
    submit = SubmitField("Change password")


class LogoutForm(FlaskForm):
    submit = SubmitField("Log out")


class NameForm(FlaskForm):
    display_name = display_name_field("Your name")
    submit = SubmitField("Change name")


class TokenForm(FlaskForm):
    name = StringField("What the token is for", description="For example: grade export script.",
                       validators=[DataRequired("Say what the token is for."), Length(max=100)])
    submit = SubmitField("Make a token")


class RevokeForm(FlaskForm):
    submit = SubmitField("Revoke")

"""Account forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

PASSWORD_MIN = 10
PASSWORD_MAX = 128


def new_password(label: str) -> PasswordField:
    """A password field under the length policy."""
    return PasswordField(label, validators=[InputRequired(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX)],
                         description=f"At least {PASSWORD_MIN} characters.")


def repeated_password(label: str) -> PasswordField:
    """The same password typed again."""
    return PasswordField(label, validators=[InputRequired(), EqualTo("password", message="The passwords differ.")])


class RegisterForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    display_name = StringField("Name shown to others", validators=[InputRequired(), Length(max=80)])
    password = new_password("Password")
    confirm = repeated_password("Repeat password")
    submit = SubmitField("Create account")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=PASSWORD_MAX)])
    remember = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[InputRequired(), Length(max=PASSWORD_MAX)])
    password = new_password("New password")
    confirm = repeated_password("Repeat new password")
    submit = SubmitField("Change password")


class LogoutForm(FlaskForm):
    submit = SubmitField("Log out")


class TokenForm(FlaskForm):
    name = StringField("What the token is for", description="For example: grade export script.",
                       validators=[DataRequired("Say what the token is for."), Length(max=100)])
    submit = SubmitField("Make a token")


class RevokeForm(FlaskForm):
    submit = SubmitField("Revoke")

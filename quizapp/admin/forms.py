"""Admin forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from quizapp.models import Role

ROLE_CHOICES = [SelectChoice(r.value, r.value.title()) for r in Role]


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change role")


class AccountForm(FlaskForm):
    """A button that deactivates or reactivates an account: the CSRF token is all it carries."""

    submit = SubmitField("Confirm")


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Name or email", validators=[Optional(), Length(max=100)])
    role = SelectField("Role", choices=[SelectChoice("", "All roles"), *ROLE_CHOICES], validators=[Optional()])

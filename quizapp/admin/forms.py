"""Admin forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from quizapp.auth.batch import MAX_ACCOUNTS
from quizapp.models import Role

ROLE_CHOICES = [SelectChoice(r.value, r.value.title()) for r in Role]


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change role")


class AccountForm(FlaskForm):
    """A button that deactivates or reactivates an account: the CSRF token is all it carries."""

    submit = SubmitField("Confirm")


class TemporaryPasswordForm(FlaskForm):
    """Confirm a temporary password, and choose whether the account's API tokens stop working too."""

    # Off by default: most temporary passwords replace a forgotten one, and revoking would stop the owner's
    # scripts; after a break-in the admin ticks it, since a token made with the account needs no password.
    revoke_tokens = BooleanField("Also revoke its API tokens", default=False,
                                 description="Tick this if someone else may have used the account: a token made "
                                             "with it works without the password. The owner's scripts that use "
                                             "one stop working until they make a new token.")
    # The password the form was opened with (quizapp.auth.temporary.confirmation_token): the same form sent again,
    # by a reload of the page that showed the new password, gives no second one.
    password_state = HiddenField()
    submit = SubmitField("Set a temporary password")


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Name or email", validators=[Optional(), Length(max=100)])
    role = SelectField("Role", choices=[SelectChoice("", "All roles"), *ROLE_CHOICES], validators=[Optional()])
    # Named as the table's Account column, which says Active or Deactivated.
    status = SelectField("Account", choices=[SelectChoice("", "All accounts"), SelectChoice("active", "Active"),
                                             SelectChoice("deactivated", "Deactivated")], validators=[Optional()])


class NewAccountsForm(FlaskForm):
    """Lines of name, email and role, typed or pasted, or a CSV file of them."""

    lines = TextAreaField("Accounts, one a line", validators=[Optional(), Length(max=60_000)],
                          description=f"name, email and, if you like, role (student or instructor; student when "
                                      f"left out), separated by commas, semicolons or tabs (as pasted from a "
                                      f"spreadsheet). Up to {MAX_ACCOUNTS} accounts at once.")
    file = FileField("Or a CSV file with the same columns",
                     description="In UTF-8: in Excel, save as “CSV UTF-8” or as “Unicode Text”.",
                     validators=[FileAllowed(["csv", "txt", "tsv"], "Upload a .csv, .tsv or .txt file: in Excel, "
                                                                   "save it as “CSV UTF-8” first."),
                                 FileSize(100_000, message="The file is larger than 100 KB: split the list.")])
    submit = SubmitField("Check and make the accounts")

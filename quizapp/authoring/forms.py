"""Upload and publish forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice


class UploadForm(FlaskForm):
    file = FileField("Bank file", description="A YAML bank file (.yaml, .yml) or a zip of a bank folder, up to 5 MB.",
                     validators=[FileRequired("Choose a file to upload."),
                                 FileAllowed(["yaml", "yml", "zip"], "Upload a .yaml, .yml or .zip file.")])
    submit = SubmitField("Upload and check")


class PublishForm(FlaskForm):
    visibility = RadioField("Who may see it", default="classes", choices=[
        SelectChoice("classes", "Students of my classes"), SelectChoice("public", "Everyone")])
    practice_open = BooleanField("Students may also practise with it (free quizzes and study)", default=True)
    submit = SubmitField("Publish")


class UnpublishForm(FlaskForm):
    submit = SubmitField("Unpublish")

"""Upload and publish forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

FORMATS = [
    SelectChoice("", "Our YAML bank, or a zip of a bank folder (or guess from the file name)"),
    SelectChoice("gift", "GIFT (Moodle)"),
    SelectChoice("moodlexml", "Moodle XML"),
    SelectChoice("aiken", "Aiken"),
    SelectChoice("anki", "Anki text export (Notes in Plain Text)"),
    SelectChoice("csv", "CSV or TSV: question, answer"),
]


class UploadForm(FlaskForm):
    file = FileField("Bank file", description="Up to 5 MB: .yaml, .yml, .zip, or a GIFT, Aiken, Moodle XML, "
                                              "Anki or CSV export.",
                     validators=[FileRequired("Choose a file to upload."),
                                 FileAllowed(["yaml", "yml", "zip", "gift", "aiken", "txt", "xml", "csv", "tsv"],
                                             "Upload a .yaml, .yml, .zip, .gift, .aiken, .txt, .xml, .csv or .tsv "
                                             "file.")])
    format = SelectField("Format", choices=FORMATS, default="")
    replace = BooleanField("Update my bank with the same id",
                           description="Its questions become this file's: those the file no longer holds are "
                                       "retired. Students keep what they answered.")
    submit = SubmitField("Upload and check")


class PublishForm(FlaskForm):
    visibility = RadioField("Who may see it", default="classes", choices=[
        SelectChoice("classes", "Students of my classes"), SelectChoice("public", "Everyone")])
    practice_open = BooleanField("Students may also practise with it (free quizzes and study)", default=True)
    submit = SubmitField("Publish")


class UnpublishForm(FlaskForm):
    submit = SubmitField("Unpublish")

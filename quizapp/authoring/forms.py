"""Upload and publish forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

FORMATS = [
    SelectChoice("", "Our bank (YAML or zip)"),
    SelectChoice("gift", "GIFT (Moodle)"),
    SelectChoice("moodlexml", "Moodle XML"),
    SelectChoice("aiken", "Aiken"),
    SelectChoice("anki", "Anki text export"),
    SelectChoice("csv", "CSV or TSV"),
]
# The labels stay short enough to read in a phone's closed menu; what each format is, the hint says.
FORMATS_HINT = ("Our bank: a .yaml file, or a zip of a bank folder. Left at this choice, a .gift, .aiken, .xml, "
                ".csv or .tsv file is read in the format its name says. Anki text export: “Notes in Plain Text” "
                "(.txt). CSV or TSV: a question and its answer on each row.")


def _not_an_anki_package(_form: FlaskForm, field: FileField) -> None:
    """Refuse an Anki package with the export that can be read instead: it is a database with media, not text."""
    name = (getattr(field.data, "filename", None) or "").lower()
    if name.endswith((".apkg", ".colpkg")):
        raise StopValidation("An Anki package (.apkg) cannot be read here. In Anki, choose File › Export…, "
                             "“Notes in Plain Text (.txt)”, tick “Include HTML and media references”, and upload "
                             "that .txt file with the format “Anki text export”.")


class UploadForm(FlaskForm):
    file = FileField("Bank file", description="Up to 5 MB: .yaml, .yml, .zip, or a GIFT, Aiken, Moodle XML, "
                                              "Anki or CSV export.",
                     validators=[FileRequired("Choose a file to upload."), _not_an_anki_package,
                                 FileAllowed(["yaml", "yml", "zip", "gift", "aiken", "txt", "xml", "csv", "tsv"],
                                             "Upload a .yaml, .yml, .zip, .gift, .aiken, .txt, .xml, .csv or .tsv "
                                             "file.")])
    format = SelectField("Format", choices=FORMATS, default="", description=FORMATS_HINT)
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

"""My banks, upload, preview and publishing."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from quizapp.authoring import bp
from quizapp.authoring.deletion import bank_use, delete_unused_bank
from quizapp.authoring.export import DOWNLOADS, stored_bank
from quizapp.authoring.forms import PublishForm, UnpublishForm, UploadForm
from quizapp.authoring.uploads import UploadRefused, load_upload
from quizapp.classroom.access import teacher_required
from quizapp.classroom.forms import ActionForm
from quizapp.content.documents import load_catalogue
from quizapp.extensions import db
from quizapp.formats.model import FormatError
from quizapp.formats.service import export_bank, export_notes
from quizapp.models import Bank, Question, QuestionRevision
from quizapp.models.content import is_current_revision
from quizapp.quiz.present import preview_context


@bp.get("/mine")
@teacher_required
def mine():
    """The banks this instructor has uploaded, published or not."""
    banks = db.session.scalars(select(Bank).where(Bank.owner_id == current_user.id).order_by(Bank.title)).all()
    counts = dict(db.session.execute(
        select(Question.bank_id, func.count()).where(Question.bank_id.in_([b.id for b in banks]),
                                                     Question.retired_at.is_(None)).group_by(Question.bank_id)
    ).all())
    return render_template("authoring/mine.html", banks=banks, counts=counts)


@bp.route("/upload", methods=["GET", "POST"])
@teacher_required
def upload():
    """Upload a bank (a YAML file or a zipped folder), checked in full before anything is loaded."""
    form = UploadForm()
    problems = []
    if form.validate_on_submit():
        storage = form.file.data
        try:
            outcome = load_upload(db.session, current_user, storage.filename or "", storage.read(),
                                  Path(current_app.config["QUESTIONS_DIR"]), form.format.data or None,
                                  replace=form.replace.data)
        except UploadRefused as refusal:
            form.file.errors.append(str(refusal))
        else:
            if outcome.ok:
                bank = outcome.banks[0]
                after = ("It is published: students see the changes now." if bank.is_published
                         else "Preview it, then publish it.")
                flash(f"“{bank.title}” checked and loaded ({outcome.report}). {after}", "success")
                for note in outcome.skipped:
                    flash(f"Not converted: {note}", "info")
                for note in outcome.changed:
                    flash(f"Converted with changes: {note}", "info")
                return redirect(url_for("authoring.preview", bank_id=bank.id))
            problems = outcome.problems
            db.session.rollback()
    return render_template("authoring/upload.html", form=form, problems=problems), (
        422 if form.errors or problems else 200)


@bp.get("/<int:bank_id>/preview")
@teacher_required
def preview(bank_id: int):
    """Every question of an uploaded bank as students will see it, with its key and source passage."""
    bank = _own_bank(bank_id)
    rows = db.session.execute(
        select(Question, QuestionRevision)
        .join(QuestionRevision, is_current_revision())
        .where(Question.bank_id == bank.id, Question.retired_at.is_(None)).order_by(Question.id)
    ).all()
    # The full text links back to the answer read (details.js opens its section), not to the top of a page of
    # them all.
    previews = [(question, preview_context(db.session, question.type, revision,
                                           url_for("authoring.preview", bank_id=bank.id,
                                                   _anchor=f"answer-{question.id}")))
                for question, revision in rows]
    return render_template("authoring/preview.html", bank=bank, previews=previews,
                           publish_form=PublishForm(visibility="public" if bank.is_public else "classes",
                                                    practice_open=bank.practice_open),
                           unpublish_form=UnpublishForm(), downloads=DOWNLOADS, use=bank_use(db.session, bank))


@bp.post("/<int:bank_id>/publish")
@teacher_required
def publish(bank_id: int):
    """Make a bank visible to the students of one's classes, or to everyone."""
    bank = _own_bank(bank_id)
    form = PublishForm()
    if form.validate_on_submit():
        bank.is_published, bank.is_public = True, form.visibility.data == "public"
        bank.practice_open = form.practice_open.data
        db.session.commit()
        flash(f"“{bank.title}” is published to {'everyone' if bank.is_public else 'the students of your classes'}.",
              "success")
    else:
        flash("Choose who may see the bank: the students of your classes, or everyone.", "error")
    return redirect(url_for("authoring.preview", bank_id=bank.id))


@bp.post("/<int:bank_id>/unpublish")
@teacher_required
def unpublish(bank_id: int):
    """Hide a bank from students again."""
    bank = _own_bank(bank_id)
    if UnpublishForm().validate_on_submit():
        bank.is_published = False
        db.session.commit()
        flash(f"“{bank.title}” is no longer published; existing assignments keep working.", "success")
    return redirect(url_for("authoring.preview", bank_id=bank.id))


@bp.route("/<int:bank_id>/delete", methods=["GET", "POST"])
@teacher_required
def delete(bank_id: int):
    """Ask, then delete a bank nobody else has used; a used bank stays, and the page says why."""
    bank = _own_bank(bank_id)
    form, title = ActionForm(), bank.title
    if form.validate_on_submit():
        use = delete_unused_bank(db.session, bank)
        if use is None:
            flash(f"“{title}” deleted, with its questions.", "success")
            return redirect(url_for("authoring.mine"))
        # Used since the page was shown (or the page was skipped): the page now says by whom.
        status = 409
    else:
        use, status = bank_use(db.session, bank), 200
    return render_template("authoring/delete.html", bank=bank, use=use, form=form,
                           unpublish_form=UnpublishForm()), status


@bp.get("/<int:bank_id>/downloads")
@teacher_required
def downloads(bank_id: int):
    """The formats one's bank downloads in, each with what it would leave out, before anything is downloaded."""
    bank = _own_bank(bank_id)
    parsed, documents = stored_bank(db.session, bank), _documents()
    formats = []
    for fmt, (name, _suffix, _media_type) in DOWNLOADS.items():
        try:
            formats.append((fmt, name, export_notes(parsed, fmt, documents), ""))
        except FormatError as error:
            formats.append((fmt, name, [], str(error)))
    return render_template("authoring/downloads.html", bank=bank, formats=formats)


@bp.get("/<int:bank_id>/export/<fmt>")
@teacher_required
def export(bank_id: int, fmt: str):
    """Download one's uploaded bank in another tool's format (what the format cannot hold is left out)."""
    bank = _own_bank(bank_id)
    if fmt not in DOWNLOADS:
        abort(404)
    try:
        text, _notes = export_bank(stored_bank(db.session, bank), fmt, _documents())
    except FormatError as error:
        flash(f"“{bank.title}” cannot be written as {DOWNLOADS[fmt][0]}: {error}.", "error")
        return redirect(url_for("authoring.preview", bank_id=bank.id))
    _name, suffix, media_type = DOWNLOADS[fmt]
    filename = f"{bank.slug}{suffix}"
    return current_app.response_class(text.encode("utf-8"), content_type=f"{media_type}; charset=utf-8",
                                      headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _documents() -> dict:
    """The source documents exports cite passages from."""
    return load_catalogue(Path(current_app.config["QUESTIONS_DIR"]) / "sources")


def _own_bank(bank_id: int) -> Bank:
    bank = db.session.get(Bank, bank_id)
    if bank is None or bank.owner_id != current_user.id:
        abort(404)
    return bank

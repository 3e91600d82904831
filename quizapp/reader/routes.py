"""Source text pages."""

from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import select

from quizapp.content.passages import document_blocks
from quizapp.extensions import db
from quizapp.http import own_page
from quizapp.models import SourceDocument
from quizapp.reader import bp


@bp.get("/")
def index():
    """The source texts, with their titles, authors and dates."""
    documents = db.session.scalars(select(SourceDocument).order_by(SourceDocument.title)).all()
    return render_template("reader/index.html", documents=documents)


@bp.get("/<document_id>")
def document(document_id: str):
    """A source text in full, scrolled to and highlighting a cited passage if one is asked for, with a link back to
    the question it was opened from."""
    doc = db.session.get(SourceDocument, document_id) or abort(404)
    start = request.args.get("start", type=int)
    end = request.args.get("end", type=int)
    if start is None or end is None or not 0 <= start < end <= len(doc.text):
        start = end = None
    blocks = document_blocks(doc.text, doc.sections or [], start, end)
    return render_template("reader/document.html", doc=doc, blocks=blocks, highlighted=start is not None,
                           back=own_page(request.args.get("back")))

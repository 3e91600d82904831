"""Turn stored questions and answers into what the pages show."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from flask import url_for
from markupsafe import Markup
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from quizapp.banks.schema import CLOZE_BLANK
from quizapp.content.markdown import plain_text, render_inline, render_markdown
from quizapp.content.passages import Paragraph, passage_in_context, section_body
from quizapp.content.quotes import quote_span
from quizapp.grading.registry import Grade
from quizapp.models import QuestionRevision, SourceDocument

_BLANK_TOKEN = "\u2983BLANK{}.{}\u2984"
_TAGS = re.compile(r"(<[^>]*>)")


def format_number(value: float) -> str:
    """98.0 -> '98', 29.4 -> '29.4'."""
    return f"{value:,.10g}".replace(",", "\u202f") if abs(value) >= 10000 else f"{value:.10g}"


def score_text(value: float) -> str:
    """Points as people write them: 2.0 -> '2', 1.5 -> '1.5', 4/3 -> '1.33'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def correct_choices(qtype: str, data: dict[str, Any]) -> list[str] | None:
    """A multiple-answer question's right choices as plain text, one each; None for other types.

    Pages list them: joined in one line they were hard to tell apart on a phone."""
    return _choice_texts(data, data["correct"]) if qtype == "multiple_response" else None


def given_choices(qtype: str, data: dict[str, Any], given: Any) -> list[str] | None:
    """A multiple-answer question's choices the student picked as plain text, one each, listed as the right ones
    are; None for other types and when none was picked."""
    return _choice_texts(data, given) if qtype == "multiple_response" and given else None


def _choice_texts(data: dict[str, Any], indexes: list[int]) -> list[str]:
    return [plain_text(data["choices"][i]["text"]) for i in indexes]


def correct_answer(qtype: str, data: dict[str, Any]) -> str:
    """The right answer as plain text."""
    if qtype in ("single_choice", "multiple_response"):
        return "; ".join(_choice_texts(data, data["correct"]))
    if qtype == "true_false":
        return "True" if data["answer"] else "False"
    if qtype == "numeric":
        unit = data.get("unit") or ""
        text = format_number(data["answer"]) + ("%" if unit == "%" else f" {unit}" if unit else "")
        if data.get("tolerance"):
            text += f" (± {format_number(data['tolerance'])})"
        return text
    if qtype == "short_text":
        return data["answers"][0]
    if qtype == "cloze":
        return " / ".join(blank[0] for blank in data["blanks"])
    return plain_text(data.get("back", ""))


def given_answer_text(qtype: str, data: dict[str, Any], given: Any) -> str:
    """What the student answered, as plain text."""
    if given is None:
        return "—"
    if qtype == "single_choice":
        return plain_text(data["choices"][given]["text"])
    if qtype == "multiple_response":
        return "; ".join(_choice_texts(data, given)) or "(nothing chosen)"
    if qtype == "true_false":
        return "True" if given else "False"
    if qtype == "cloze":
        return " / ".join(g or "(blank)" for g in given)
    if qtype == "flashcard":
        return "Knew it" if given == "knew" else "Did not know it"
    return str(given)


def given_in_table(qtype: str, data: dict[str, Any], given: Any) -> str | list[str]:
    """The answer given as a table cell shows it: a multiple-answer question's choices as a list, any other as text."""
    return given_choices(qtype, data, given) or given_answer_text(qtype, data, given)


def correct_in_table(qtype: str, data: dict[str, Any]) -> str | list[str]:
    """The right answer as a table cell shows it: a multiple-answer question's choices as a list, any other as text."""
    return correct_choices(qtype, data) or correct_answer(qtype, data)


def cloze_html(text: str, fill: list[Markup]) -> Markup:
    """Render a cloze text with each blank replaced by the given markup (inputs or answers).

    The blanks become placeholder tokens, the text is rendered and sanitized, and then each token is swapped
    for its markup, but only where it stands in text between tags: a blank that the author put inside a link
    title must not carry an input into an attribute. The tokens are salted so that the text cannot spell one
    out, directly or through an entity, and so move markup somewhere it was not meant to go.
    """
    for salt in itertools.count():
        prefix = _BLANK_TOKEN.format(salt, "")[:-1]
        tokens = [_BLANK_TOKEN.format(salt, index) for index in range(len(fill))]
        counter = iter(tokens)
        html = str(render_markdown(CLOZE_BLANK.sub(lambda _m, c=counter: next(c), text)))
        counts = [html.count(token) for token in tokens]
        if html.count(prefix) == sum(counts) and max(counts, default=0) <= 1:
            break
    # nh3 escapes < and > inside attribute values, so every piece that starts with < is one whole tag.
    pieces = _TAGS.split(html)
    for position, piece in enumerate(pieces):
        if prefix in piece:
            # Decided once per piece: after the first swap a text piece may itself start with the markup's "<".
            inside_tag = piece.startswith("<")
            for token, markup in zip(tokens, fill, strict=True):
                piece = piece.replace(token, "______" if inside_tag else str(markup))
            pieces[position] = piece
    return Markup("".join(pieces))


def cloze_inputs(form: Any, data: dict[str, Any]) -> Markup:
    """A cloze text with an input in each blank; a blank with an error points to the form's message."""
    count, inputs, focused = len(data["blanks"]), [], False
    whole = any(isinstance(error, str) for error in form.blanks.errors)  # about all blanks, e.g. all left empty
    for index, entry in enumerate(form.blanks):
        attrs = {"aria-label": f"Blank {index + 1} of {count}"}
        if entry.errors or whole:
            attrs |= {"aria-describedby": "answer-error", "aria-invalid": "true"}
            # After a refused answer the reader starts on the first blank at fault, its message read with it.
            attrs |= {} if focused else {"autofocus": True}
            focused = True
        inputs.append(Markup(entry(class_="blank-input", autocomplete="off", spellcheck="false",
                                    autocorrect="off", **attrs)))
    return cloze_html(data["text"], inputs)


def cloze_blanks(text: str) -> Markup:
    """A cloze text with empty blanks, as a student first sees it."""
    blank = Markup('<span class="blank empty">______<span class="visually-hidden"> (blank)</span></span>')
    return cloze_html(text, [blank] * len(CLOZE_BLANK.findall(text)))


def cloze_feedback(data: dict[str, Any], given: list[str], parts: tuple[bool, ...]) -> Markup:
    """The cloze text with each blank showing what was typed and, where wrong, the answer."""
    fill = []
    for index, blank in enumerate(data["blanks"]):
        typed = given[index] if index < len(given) else ""
        right = index < len(parts) and parts[index]
        # A mark for the eye as the verdict has: a tint alone says nothing on a projector, in grey print or to
        # someone who cannot tell green from red. Screen readers get the words instead.
        if right:
            fill.append(Markup('<span class="blank right"><span aria-hidden="true">✓ </span>{} '
                               '<span class="visually-hidden">(right)</span></span>').format(typed))
        else:
            fill.append(Markup('<span class="blank wrong"><span aria-hidden="true">✗ </span><del>{}</del> <ins>{}</ins>'
                               '<span class="visually-hidden"> (wrong; the answer is {})</span></span>')
                        .format(typed or "blank", blank[0], blank[0]))
    return cloze_html(data["text"], fill)


@dataclass(frozen=True)
class SourceView:
    document: Any  # a source_document row: id, text and the citation's fields
    paragraphs: tuple[Paragraph, ...]
    link: str | None  # None when the text was edited and no longer holds the quote: nothing to point at
    quote: str


def source_views(revision: QuestionRevision, documents: dict[str, Any], back: str | None = None) -> list[SourceView]:
    """Each cited passage in its context, with a link to it in the full text (which links to `back` if given)."""
    views = []
    for source in revision.data.get("sources", []):
        document = documents.get(source["document"])
        if document is None:
            continue
        # The offsets were found in the text as it was when this revision was loaded; a reload with an edited
        # text moves the passage, so they are checked against the quote before use.
        span = quote_span(document.text, source["quote"], source.get("start"), source.get("end"))
        if span is None:
            views.append(SourceView(document, (Paragraph(((source["quote"], False),), False, 0),), None,
                                    source["quote"]))
            continue
        # The context stays in the passage's section: the next heading would read as part of the quoted text.
        within = section_body(document.text, document.sections or [], *span)
        paragraphs = passage_in_context(document.text, *span, within)
        link = url_for("reader.document", document_id=document.id, start=span[0], end=span[1], back=back,
                       _anchor="passage")
        views.append(SourceView(document, paragraphs, link, source["quote"]))
    return views


def choice_label(data: dict[str, Any], index: int) -> Markup:
    """A choice's text as inline Markdown."""
    return render_inline(data["choices"][index]["text"])


# Plain rows rather than entities: nothing on the page changes a document, and rows cost about two thirds of
# what entities do.
_documents = SourceDocument.__table__
_CITED_DOCUMENTS = (
    select(*(_documents.c[name]
             for name in ("id", "title", "authors", "publisher", "published", "address", "text", "sections")))
    .where(_documents.c.id.in_(bindparam("ids", expanding=True)))
)


def feedback_context(session: Session, qtype: str, revision: QuestionRevision, given: Any,
                     result: Grade | None, back: str | None = None) -> dict[str, Any]:
    """What the answer-feedback partial shows: the answers in words, choice feedback, cloze and sources, whose
    full text links to `back`, the page showing them, if given."""
    data = revision.data
    cited = [s["document"] for s in data.get("sources", [])]
    documents = {d.id: d for d in session.execute(_CITED_DOCUMENTS, {"ids": cited})} if cited else {}
    chosen = []
    if qtype in ("single_choice", "multiple_response") and given is not None:
        picked = given if isinstance(given, list) else [given]
        chosen = [(choice_label(data, i), data["choices"][i]["feedback"], i in data["correct"]) for i in picked]
    return {
        "data": data, "qtype": qtype, "result": result, "chosen": chosen,
        "correct": correct_answer(qtype, data), "correct_choices": correct_choices(qtype, data),
        "given": given_answer_text(qtype, data, given), "given_choices": given_choices(qtype, data, given),
        "sources": source_views(revision, documents, back),
        "cloze": cloze_feedback(data, given, result.parts) if qtype == "cloze" and result else None,
    }


def preview_context(session: Session, qtype: str, revision: QuestionRevision,
                    back: str | None = None) -> dict[str, Any]:
    """A question with its key, for instructors: the answer in words, each choice marked, and the sources, whose full
    text links to `back`, the page showing them, if given."""
    data = revision.data
    cloze = None
    if qtype == "cloze":
        cloze = cloze_html(data["text"], [Markup('<span class="blank right">{}</span>').format(" / ".join(b))
                                          for b in data["blanks"]])
    context = feedback_context(session, qtype, revision, None, None, back)
    context.update(cloze=cloze, choices=[(render_inline(c["text"]), i in data.get("correct", []), c.get("feedback"))
                                         for i, c in enumerate(data.get("choices", []))])
    return context

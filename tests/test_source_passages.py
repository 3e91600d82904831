"""The passage shown with each answer of the shipped banks: the quote highlighted in its own section's
sentences, the citation, and the link that opens the full text at it."""

from __future__ import annotations

import re
from html import unescape
from random import Random

import pytest
from markupsafe import escape
from sqlalchemy import select

from quizapp.api.tokens import create_token
from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.content.documents import Document
from quizapp.content.quotes import normalize_quote
from quizapp.extensions import db
from quizapp.models import Question, QuestionRevision, QuizAttempt, QuizItem
from quizapp.models.content import is_current_revision
from quizapp.quiz.service import choice_order
from tests.conftest import QUESTIONS, csrf_from
from tests.test_api import json_answer
from tests.test_quiz_flow import right_answer_form

_SOURCE = re.compile(r'<figure class="source">(.*?)</figure>', re.S)
_BLOCKQUOTE = re.compile(r"<blockquote[^>]*>(.*?)</blockquote>", re.S)


@pytest.fixture
def shipped(app) -> None:
    """The banks under questions/, loaded as `questions load` does."""
    result = check_paths([QUESTIONS], QUESTIONS)
    assert result.ok, [str(p) for p in result.problems]
    load_banks(db.session, result)


def items_of(student, keys: list[str] | None = None) -> list[QuizItem]:
    """Quizzes holding the questions with those keys (all active ones by default), one per bank, in key order."""
    query = (select(Question.id, Question.bank_id, Question.type, QuestionRevision.id, QuestionRevision.data)
             .join(QuestionRevision, is_current_revision())
             .where(Question.retired_at.is_(None)).order_by(Question.bank_id, Question.key))
    if keys is not None:
        query = query.where(Question.key.in_(keys))
    attempts: dict[int, QuizAttempt] = {}
    for question_id, bank_id, qtype, revision_id, data in db.session.execute(query):
        attempt = attempts.setdefault(bank_id, QuizAttempt(user_id=student.id, bank_id=bank_id))
        attempt.items.append(QuizItem(position=len(attempt.items) + 1, question_id=question_id,
                                      revision_id=revision_id, choice_order=choice_order(qtype, data, Random(1))))
    db.session.add_all(attempts.values())
    db.session.commit()
    return [item for attempt in attempts.values() for item in attempt.items]


def feedback_page(client, item: QuizItem) -> str:
    """Answer an item rightly and return its feedback page."""
    url = f"/quiz/{item.attempt_id}/q/{item.position}"
    page = client.get(url).get_data(as_text=True)
    posted = client.post(url, data={"csrf_token": csrf_from(page), **right_answer_form(item)})
    assert posted.status_code == 302, posted.get_data(as_text=True)[:500]
    return client.get(url).get_data(as_text=True)


def quoted_paragraphs(figure: str) -> list[str]:
    """The paragraphs of a source block as text."""
    quoted = _BLOCKQUOTE.search(figure).group(1)
    return [unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", quoted, re.S)]


@pytest.mark.parametrize(("key", "heading"), [
    ("osw1-intro-ukraine", "Four days that shocked the country"),  # the next section's heading
    ("osw1-lpg-zhanaozen-cloze", "Four days that shocked the country"),  # the passage's own heading
    ("cb2-analysis-focus", "No Sea Change?"),
    ("both-death-penalty", "Kazakhstan’s trade in 2021"),
])
def test_the_context_of_a_passage_stays_in_its_section(shipped, logged_in, student, key, heading):
    [item] = items_of(student, [key])
    figures = _SOURCE.findall(feedback_page(logged_in, item))
    assert figures
    for figure in figures:
        paragraphs = quoted_paragraphs(figure)
        assert heading not in paragraphs, paragraphs


def test_the_api_gives_a_passage_over_two_list_items_with_a_space_between(shipped, client, student):
    [item] = items_of(student, ["osw2-president-party-family"])
    _token, secret = create_token(db.session, student, "tests")
    db.session.commit()
    response = client.post(f"/api/v1/quizzes/{item.attempt_id}/items/{item.position}/answer",
                           json={"answer": json_answer(item)}, headers={"Authorization": f"Bearer {secret}"})
    [source] = response.get_json()["feedback"]["sources"]
    assert "may not belong to a political party; - members of his close family" in source["quote"]
    assert normalize_quote(source["quote"]) == normalize_quote(item.revision.data["sources"][0]["quote"])


_LINK = re.compile(r'<a href="(/sources/([\w-]+)\?start=(\d+)&amp;end=(\d+)(?:&amp;back=[^"#]*)?#passage)">'
                   r"Read this passage in the full text</a>")
_MARK = re.compile(r"<mark[^>]*>(.*?)</mark>", re.S)
# The reader draws a list item's dash as the list's marker, outside the highlight of an item marked from its start.
_ITEM_MARK = re.compile(r"(<li>)?<mark[^>]*>(.*?)</mark>", re.S)
_NOTE = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079\u207d]|\(https?://")
_ABBREVIATION_END = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]|Mr|Dr)\.\s*$")


def marked_text(html: str) -> str:
    """The highlighted words of a page or block, a space between separate marks."""
    return " ".join(unescape(run) for run in _MARK.findall(html))


def byline(document) -> str:
    """Authors, publisher and date as the pages write them after the title."""
    return escape(f"{document.authors}. {document.publisher}, {document.published}.")


def check_passage(figure: str, quote: str, document: Document, headings: set[str], where: tuple) -> str:
    """Check one source block of a feedback page; the address of its link into the full text."""
    # The highlight is the quote, in whole sentences of its own section.
    assert normalize_quote(marked_text(_BLOCKQUOTE.search(figure).group(1))) == quote, where
    paragraphs = [normalize_quote(p) for p in quoted_paragraphs(figure)]
    assert not headings & set(paragraphs), where
    # Nor is a footnote the extraction left between the paragraphs ("⁹ See ...", a web address) any context.
    for paragraph in re.findall(r"<p>(.*?)</p>", _BLOCKQUOTE.search(figure).group(1), re.S):
        assert "<mark" in paragraph or not _NOTE.match(unescape(paragraph)), (where, paragraph)
    text = document.folded.text
    for paragraph in paragraphs:
        # Folding joins a hyphen ending a paragraph ("joint-center-") to the next one's first word.
        at = text.find(paragraph.removesuffix("-"))
        assert at >= 0, (where, paragraph)
        # It starts a word in the text as written.
        at = document.folded.offsets[at]
        assert at == 0 or not document.text[at - 1].isalnum(), (where, paragraph)
    # Neither "Mr." nor "U.S." ends the sentence before the context or its last one, which keeps the
    # quotation mark or bracket that closes it.
    first, last = paragraphs[0], paragraphs[-1]
    assert not _ABBREVIATION_END.search(text[:text.find(first)]), (where, first)
    assert not _ABBREVIATION_END.search(last), (where, last)
    assert text[text.find(last) + len(last):][:1] not in {'"', "'", ")"}, (where, last)
    # The citation is the catalogue's; the link points at the quote, which the text holds only once (a quote
    # is looked for from the start of the text: one found twice could mark the wrong place).
    assert f"<cite>{escape(document.title)}</cite>, {byline(document)}" in figure, where
    link, document_id, start, end = _LINK.search(figure).groups()
    assert document_id == document.id
    assert normalize_quote(document.text[int(start):int(end)]) == quote, where
    assert document.folded.text.count(quote) == 1, where
    return unescape(link)


def check_reader(page: str, quote: str, document: Document, where: tuple) -> None:
    """Check the full text opened at a passage: the quote marked, the first mark the link's target."""
    assert page.count('id="passage"') == 1, where
    assert '<mark id="passage" tabindex="-1">' in page, where
    marked = " ".join(("- " if item else "") + unescape(run) for item, run in _ITEM_MARK.findall(page))
    assert normalize_quote(marked) in {quote, f"- {quote}"}, where
    assert not re.search(r"<h2[^>]*>[^<]*<mark", page), where
    assert f"<h1><cite>{escape(document.title)}</cite></h1>" in page and byline(document) in page, where


def test_every_shipped_question_shows_its_passages_and_links_to_them(shipped, logged_in, student):
    catalogue = check_paths([QUESTIONS], QUESTIONS).documents
    headings = {document.id: {normalize_quote(document.text[s.start:].partition("\n")[0]) for s in document.sections}
                | {s.title for s in document.sections} for document in catalogue.values()}
    items = items_of(student)
    assert len(items) > 200
    readers: dict[str, str] = {}
    for item in items:
        page = feedback_page(logged_in, item)
        if item.question.type == "flashcard":  # the back, with its source, follows the self-grade
            url = f"/quiz/{item.attempt_id}/q/{item.position}"
            logged_in.post(url + "/grade", data={"csrf_token": csrf_from(page), "knew": "I knew it"})
            page = logged_in.get(url).get_data(as_text=True)
        sources = item.revision.data["sources"]
        figures = _SOURCE.findall(page)
        assert len(figures) == len(sources), item.question.key
        for figure, source in zip(figures, sources, strict=True):
            where = (item.question.key, source["quote"])
            document, quote = catalogue[source["document"]], normalize_quote(source["quote"])
            link = check_passage(figure, quote, document, headings[document.id], where)
            if link not in readers:
                readers[link] = logged_in.get(link).get_data(as_text=True)
            check_reader(readers[link], quote, document, where)


def test_the_full_text_opened_from_feedback_links_back_to_the_question(shipped, logged_in, student):
    [item] = items_of(student, ["osw1-intro-ukraine"])
    feedback = feedback_page(logged_in, item)
    link = unescape(_LINK.search(feedback).group(1))
    reader = logged_in.get(link).get_data(as_text=True)
    back = re.search(r'<a href="([^"]*)">Back to the question</a>', reader)
    # Back at the sources read, the next question a little below, not at the top of the whole feedback again.
    assert back and unescape(back.group(1)) == f"/quiz/{item.attempt_id}/q/{item.position}#source-heading"
    assert '<h2 id="source-heading">' in feedback

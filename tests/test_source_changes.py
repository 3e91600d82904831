"""Feedback given before a source text was edited still shows its quote: highlighted where it now stands, or,
once the text no longer holds it, alone and said to be gone."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select

from quizapp.api.tokens import create_token
from quizapp.extensions import db
from quizapp.models import Question, QuestionRevision, QuizItem, SourceDocument
from tests.conftest import QUESTIONS, csrf_from

QUOTE = "only in late February did President Tokayev replace the Minister of Interior"
ADDED = "A sentence added near the start of the text. "
BANK = """id: sources-bank
title: Sources bank
description: One question on a passage of the second text.
"""
QUESTION = f"""questions:
  - id: cb2-interior-minister-replaced
    type: short_text
    prompt: Which minister did Tokayev replace only in late February 2022?
    answers: [Minister of Interior, Interior Minister]
    explanation: Tokayev replaced the Minister of Interior.
    source: {{document: cornell-barro-2022, quote: "{QUOTE}"}}
    topic: Security sector
    difficulty: recall
"""
TEXT_FILE = "001_a23d0b135ca46f70.txt"
_MARK = re.compile(r"<mark[^>]*>(.*?)</mark>", re.S)
_LINK = re.compile(r'href="(/sources/cornell-barro-2022\?start=(\d+)&amp;end=(\d+)&amp;back=[^"#]*#passage)"')


@pytest.fixture
def questions(app, tmp_path: Path) -> Path:
    """A copy of the questions folder (the source texts and a one-question bank) that the app loads from."""
    folder = tmp_path / "questions"
    shutil.copytree(QUESTIONS / "sources", folder / "sources")
    (folder / "bank").mkdir()
    (folder / "bank" / "bank.yaml").write_text(BANK, encoding="utf-8")
    (folder / "bank" / "questions.yaml").write_text(QUESTION, encoding="utf-8")
    app.config["QUESTIONS_DIR"] = str(folder)
    return folder


def load(runner, questions: Path) -> None:
    result = runner.invoke(args=["questions", "load", str(questions / "bank")])
    assert result.exit_code == 0, result.output


def answered_feedback_url(client) -> str:
    """Answer the question in a quiz; the address of its feedback."""
    home = client.get("/").get_data(as_text=True)
    bank_id = int(re.search(r'action="/quiz/start/(\d+)"', home).group(1))
    client.post(f"/quiz/start/{bank_id}", data={"csrf_token": csrf_from(home), f"bank{bank_id}-length": "1"})
    item = db.session.scalar(select(QuizItem))
    url = f"/quiz/{item.attempt_id}/q/{item.position}"
    page = client.get(url).get_data(as_text=True)
    assert client.post(url, data={"csrf_token": csrf_from(page), "answer": "Interior Minister"}).status_code == 302
    return url


def edit_stored_text(old: str, new: str) -> str:
    """Change the stored text as a restore or another loader might, without touching the questions."""
    document = db.session.get(SourceDocument, "cornell-barro-2022")
    assert old in document.text
    document.text = document.text.replace(old, new, 1)
    db.session.commit()
    return document.text


def marked(page: str) -> list[str]:
    return [unescape(run) for run in _MARK.findall(page)]


def assert_marks_the_quote(client, feedback: str, text: str) -> None:
    assert marked(feedback) == [QUOTE]
    link, start, end = _LINK.search(feedback).groups()
    assert text[int(start):int(end)] == QUOTE
    assert marked(client.get(unescape(link)).get_data(as_text=True)) == [QUOTE]


def test_earlier_feedback_marks_the_quote_after_the_text_is_edited_and_reloaded(logged_in, runner, questions):
    load(runner, questions)
    url = answered_feedback_url(logged_in)
    assert_marks_the_quote(logged_in, logged_in.get(url).get_data(as_text=True),
                           db.session.get(SourceDocument, "cornell-barro-2022").text)
    path = questions / "sources" / TEXT_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("The violence of", ADDED + "The violence of", 1),
                    encoding="utf-8")
    load(runner, questions)
    db.session.expire_all()
    item = db.session.scalar(select(QuizItem))
    assert (item.revision.number, item.question.revision) == (1, 2)  # the feedback stays on the earlier revision
    assert_marks_the_quote(logged_in, logged_in.get(url).get_data(as_text=True),
                           db.session.get(SourceDocument, "cornell-barro-2022").text)


def test_a_reload_points_earlier_revisions_at_where_their_quote_now_stands(app, runner, questions):
    load(runner, questions)
    path = questions / "sources" / TEXT_FILE
    path.write_text(ADDED + path.read_text(encoding="utf-8"), encoding="utf-8")
    load(runner, questions)
    db.session.expire_all()
    text = db.session.get(SourceDocument, "cornell-barro-2022").text
    revisions = db.session.scalars(select(QuestionRevision).join(Question)
                                   .where(Question.key == "cb2-interior-minister-replaced")).all()
    assert len(revisions) == 2
    for revision in revisions:
        source = revision.data["sources"][0]
        assert text[source["start"]:source["end"]] == QUOTE
        assert source["section"] == "Missing Element: The Security Sector"


def test_feedback_finds_the_quote_again_when_its_stored_offsets_are_stale(logged_in, runner, questions):
    load(runner, questions)
    url = answered_feedback_url(logged_in)
    text = edit_stored_text("The violence of", ADDED + "The violence of")
    assert_marks_the_quote(logged_in, logged_in.get(url).get_data(as_text=True), text)


def test_a_quote_gone_from_the_text_is_shown_alone_and_said_to_be_gone(logged_in, runner, questions, student):
    load(runner, questions)
    url = answered_feedback_url(logged_in)
    edit_stored_text("only in late February did President Tokayev replace",
                     "in late February President Tokayev replaced")
    page = logged_in.get(url).get_data(as_text=True)
    assert QUOTE in page and "<mark" not in page
    assert "Read this passage in the full text" not in page
    assert "The source text has changed since this question was written" in page
    _token, secret = create_token(db.session, student, "tests")
    db.session.commit()
    item = db.session.scalar(select(QuizItem))
    quiz = logged_in.get(f"/api/v1/quizzes/{item.attempt_id}", headers={"Authorization": f"Bearer {secret}"})
    source = quiz.get_json()["items"][0]["feedback"]["sources"][0]
    assert (source["quote"], source["url"], source["text_changed"]) == (QUOTE, None, True)
    assert source["context"] == [[{"text": QUOTE, "highlighted": False}]]

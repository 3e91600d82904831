"""Where a page, a CSV file or the API shows a question's words as plain text, its Markdown is read, not shown."""

from __future__ import annotations

import pytest

from quizapp.content.markdown import plain_text
from quizapp.progress.stats import question_text
from quizapp.quiz.present import correct_answer, given_answer_text

CHOICES = {"choices": [{"text": "**ә**"}, {"text": "б, see [OSW](https://www.osw.waw.pl/en)"}], "correct": [0]}


@pytest.mark.parametrize(("markdown", "shown"), [
    ("Which letter is Kazakh-specific: **ә**, б or в?", "Which letter is Kazakh-specific: ә, б or в?"),
    ("The *upper* house; see [OSW](https://www.osw.waw.pl/en).", "The upper house; see OSW."),
    ("`98` & <b>107</b>", "98 & <b>107</b>"),  # raw HTML is text the author typed; pages escape it
    ("", ""),
])
def test_plain_text_keeps_the_words_and_drops_the_markup(markdown, shown):
    assert plain_text(markdown) == shown


def test_answers_and_prompts_are_shown_without_markup():
    assert correct_answer("single_choice", CHOICES) == "ә"
    assert given_answer_text("single_choice", CHOICES, 1) == "б, see OSW"
    assert given_answer_text("multiple_response", {**CHOICES, "correct": [0, 1]}, [0, 1]) == "ә; б, see OSW"
    assert correct_answer("flashcard", {"front": "x", "back": "The *Senate*"}) == "The Senate"
    assert question_text({"prompt": "How many **seats**?"}) == "How many seats?"
    assert question_text({"text": "From *107* to {{98}}", "blanks": [["98"]]}) == "From 107 to _____"


def test_what_a_student_typed_is_kept_as_typed():
    assert given_answer_text("short_text", {"answers": ["x"]}, "*stars* stay") == "*stars* stay"
    assert given_answer_text("cloze", {"blanks": [["a"]]}, ["**b**"]) == "**b**"


def test_struck_text_stays_struck_in_pages():
    from quizapp.content.markdown import render_inline, render_markdown

    rendered = str(render_markdown("The Mazhilis had ~~107~~ 98 seats.")).strip()
    assert rendered == "<p>The Mazhilis had <s>107</s> 98 seats.</p>"
    assert str(render_inline("~~107~~ 98")) == "<s>107</s> 98"


def test_struck_text_stays_marked_as_struck_in_plain_text():
    assert plain_text("The Mazhilis had ~~107~~ 98 seats.") == "The Mazhilis had ~~107~~ 98 seats."
    assert plain_text("~~**107**~~ 98") == "~~107~~ 98"
    struck = {"choices": [{"text": "~~107~~ 98"}, {"text": "77"}], "correct": [0]}
    assert correct_answer("single_choice", struck) == "~~107~~ 98"
    assert given_answer_text("single_choice", struck, 0) == "~~107~~ 98"
    assert question_text({"prompt": "Was it ~~107~~ 98?"}) == "Was it ~~107~~ 98?"
    assert question_text({"text": "~~107~~ {{98}} seats", "blanks": [["98"]]}) == "~~107~~ _____ seats"

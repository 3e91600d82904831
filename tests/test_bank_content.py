"""The shipped banks: valid, and covering both texts as promised (counts per type, document and section)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from quizapp.banks.checker import check_paths
from quizapp.banks.schema import CLOZE_BLANK
from quizapp.content.quotes import normalize_quote
from quizapp.grading import grade
from tests.conftest import QUESTIONS

TOPICS = {
    "Referendum and amendments", "January 2022 events", "Purges and the Nazarbayev family", "Presidency",
    "Parliament", "Elections and parties", "Courts and human rights", "Regions and local government",
    "Economy and trade", "Foreign policy and Russia", "Reform strategy and analysis", "Media and civil society",
    "Security sector",
}


@pytest.fixture(scope="module")
def result():
    checked = check_paths([QUESTIONS], QUESTIONS)
    assert checked.ok, "\n".join(map(str, checked.problems))
    return checked


@pytest.fixture(scope="module")
def questions(result):
    return [q for bank in result.banks for q in bank.questions]


@pytest.fixture(scope="module")
def quiz_questions(questions):
    return [q for q in questions if q.type != "flashcard"]


def test_enough_quiz_questions_and_flashcards(questions, quiz_questions):
    assert len(quiz_questions) >= 150
    assert sum(q.type == "flashcard" for q in questions) >= 60


@pytest.mark.parametrize(("qtype", "minimum"), [
    ("numeric", 15), ("short_text", 15), ("cloze", 10), ("multiple_response", 10),
    ("single_choice", 1), ("true_false", 1),
])
def test_minimum_per_type(quiz_questions, qtype, minimum):
    assert sum(q.type == qtype for q in quiz_questions) >= minimum


def test_no_type_dominates(quiz_questions):
    counts = Counter(q.type for q in quiz_questions)
    assert max(counts.values()) <= 0.4 * len(quiz_questions), counts


@pytest.mark.parametrize(("document", "minimum"), [("osw-2022", 60), ("cornell-barro-2022", 60)])
def test_minimum_per_document(questions, document, minimum):
    assert sum(any(s["document"] == document for s in q.data["sources"]) for q in questions) >= minimum


def test_every_section_of_both_documents_has_an_item(result, questions):
    covered = {(s["document"], s["section"]) for q in questions for s in q.data["sources"]}
    missing = [(d.id, s.title) for d in result.documents.values() for s in d.sections
               if (d.id, s.title) not in covered]
    assert missing == []


def test_cross_source_items_cite_both_documents(questions):
    both = [q for q in questions if {s["document"] for s in q.data["sources"]} == {"osw-2022", "cornell-barro-2022"}]
    assert len(both) >= 5


def test_topics_and_difficulties_are_from_the_fixed_lists(questions):
    assert {q.topic for q in questions} <= TOPICS
    assert {q.difficulty for q in questions} == {"recall", "understanding", "analysis"}


def test_terms_have_flashcards(questions):
    fronts = " ".join(q.data["front"] for q in questions if q.type == "flashcard").lower()
    for term in ("mazhilis", "maslikhat", "akim", "ulttyk kuryltai", "csto", "nsc", "apk", "amanat"):
        assert term in fronts, term


def _shown(question) -> str:
    """What a student reads before answering: the prompt (or a cloze's text without its blanks) and the options."""
    data = question.data
    text = CLOZE_BLANK.sub("…", data.get("text", "")) + " " + data.get("prompt", "")
    return text + " " + " ".join(choice["text"] for choice in data.get("choices", []))


def test_no_question_shows_the_figure_another_asks_for(quiz_questions):
    # Years and small numbers recur in every part of the texts; a figure such as 20,000 or 98 read in one stem or
    # option answers the question that asks for it.
    leaks = []
    for asked in quiz_questions:
        figure = asked.data.get("answer") if asked.type == "numeric" else None
        if figure is None or figure < 10 or 1900 <= figure <= 2100:
            continue
        spellings = {f"{figure:g}", f"{figure:,.0f}" if figure == int(figure) else f"{figure:g}"}
        # Not part of a longer number (15.9 is not 15) nor of a ratio (70-30 names no single share).
        pattern = re.compile("|".join(rf"(?<![\d.,-]){re.escape(s)}(?![\d-]|[.,]\d)" for s in spellings))
        leaks += [(asked.key, other.key) for other in quiz_questions
                  if other is not asked and pattern.search(_shown(other))]
    assert leaks == []


@pytest.mark.parametrize(("key", "typed", "right"), [
    # Transliterations of names and places that English-language sources spell both ways.
    ("osw1-masimov", "Karim Massimov", True),
    ("osw2-suleimenov", "Suleymenov", True),
    ("cb2-ulttyk-kuryltai", "Ulttyq Quryltai", True),
    ("cb2-almaty-region-centre", "Qapshagay", True),
    ("cb2-almaty-region-centre", "Taldykorgan", False),
    ("osw1-lpg-zhanaozen-cloze", ["100", "2nd", "Janaozen"], True),
    ("cb2-new-regions-capitals", ["Semey", "Zhezqazğan", "Taldykurgan"], True),
    # Numbers in words where the blank holds a small number, and ordinals for dates.
    ("osw1-zhanaozen-2011-cloze", ["2011", "fifteen"], True),
    ("osw2-trade-imports-russia-china", ["12.7", "35.5", "six"], True),
    # Other wordings of the same post, meaning or unit.
    ("cb1-security-council", "chairmanship of the Security Council", True),
    ("cb2-interior-minister-replaced", "Ministry of Interior", True),
    ("cb2-interior-minister-replaced", "Minister of Defence", False),
    ("osw1-fund-meaning", "the people of Kazakhstan", True),
    ("cb1-nurly-zhol", "16.1 bn USD", True),
    ("osw1-amendment-count", "56 changes", True),
    ("cb2-juries", "very grave crimes", True),
    ("cb2-juries", "grave crimes", False),
    ("cb1-simple-things", "Economy of Simple Things programme", True),
    ("osw1-death-toll", "227 people killed", True),
    ("osw1-death-toll", "227 deaths", True),
    ("cb2-audit-chamber-reports", "2 per year", True),
    ("cb2-audit-chamber-reports", "2 reports a year", True),
    ("osw1-de-nazarbayevication", "deNazarbayevization", True),
])
def test_reasonable_variants_of_the_answer_are_accepted(questions, key, typed, right):
    question = next(q for q in questions if q.key == key)
    assert grade(question.type, question.data, typed).correct is right


_QUOTED = re.compile(r'["\u201c]([^"\u201c\u201d]+)["\u201d]')


def test_words_in_quotation_marks_are_the_texts_own(result, questions):
    # An explanation or feedback that puts words in quotation marks tells students the source says them; a
    # paraphrase dressed as a quotation ("strengthen parliament" for "strengthening parliament") misleads them.
    texts = [normalize_quote(document.text).lower() for document in result.documents.values()]
    misquoted = []
    for question in questions:
        data = question.data
        written = [data.get(field) or "" for field in ("prompt", "explanation", "front", "back")]
        written += [choice.get("feedback") or "" for choice in data.get("choices", [])]
        for phrase in (m for text in written for m in _QUOTED.findall(text)):
            words = normalize_quote(phrase).lower().rstrip(".,")
            if not any(words in text for text in texts):
                misquoted.append((question.key, phrase))
    assert misquoted == []


def test_the_key_is_not_given_away_by_being_the_longest_option(quiz_questions):
    # A key much longer than every distractor (the one option written with care) is a cue that students learn to
    # follow without knowing the answer.
    singles = [q for q in quiz_questions if q.type == "single_choice"]
    giveaways = []
    for question in singles:
        texts = [choice["text"] for choice in question.data["choices"]]
        key = texts[question.data["correct"][0]]
        longest_other = max(len(text) for text in texts if text != key)
        if len(key) > 1.3 * longest_other:
            giveaways.append(question.key)
    assert len(giveaways) <= 0.1 * len(singles), giveaways


@pytest.mark.parametrize(("document", "passage"), [
    # Key numbers, dates and institutions of each text: a quiz question (not only a flashcard) cites each.
    ("osw-2022", "on a turnout of 68%"),
    ("osw-2022", "reduced from 107 to 98"),
    ("osw-2022", "a total of 227 people were killed"),
    ("osw-2022", "29.4% of Kazakhstan’s foreign trade"),
    ("osw-2022", "avoid involvement on two fronts"),
    ("osw-2022", "afraid of derivative sanctions"),
    ("cornell-barro-2022", "reduced from fifteen to ten"),
    ("cornell-barro-2022", "The Mazhilis will adopt new laws while the Senate approves them."),
    ("cornell-barro-2022", "especially grave crimes"),
    ("cornell-barro-2022", "70% of seats in the Mazhilis"),
])
def test_key_facts_have_a_quiz_question(quiz_questions, document, passage):
    assert any(passage in source["quote"] for q in quiz_questions for source in q.data["sources"]
               if source["document"] == document)

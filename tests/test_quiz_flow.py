"""The whole quiz loop through the test client: start, answer each type, feedback, results, progress."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Question, QuestionRevision, QuizAttempt, QuizItem, Response
from quizapp.quiz.routes import fewer_than_asked
from tests.conftest import csrf_from


def start(client, bank_slug="fixture-bank", topic="", length=8):
    home = client.get("/").get_data(as_text=True)
    bank_id = int(re.search(r'action="/quiz/start/(\d+)"', home).group(1))
    return client.post(f"/quiz/start/{bank_id}", data={
        "csrf_token": csrf_from(home), f"bank{bank_id}-topic": topic, f"bank{bank_id}-length": str(length),
    })


def item_at(position: int) -> QuizItem:
    return db.session.scalar(select(QuizItem).where(QuizItem.position == position))


def right_answer_form(item: QuizItem) -> dict[str, str | list[str]]:
    """Form data that answers an item correctly, translated into the shown choice order."""
    data, qtype = item.revision.data, item.question.type
    if qtype == "single_choice":
        return {"answer": str(item.choice_order.index(data["correct"][0]))}
    if qtype == "multiple_response":
        return {"answer": [str(item.choice_order.index(i)) for i in data["correct"]]}
    if qtype == "true_false":
        return {"answer": "true" if data["answer"] else "false"}
    if qtype == "numeric":
        return {"answer": f"{data['answer']:g}{data['unit']}"}
    if qtype == "short_text":
        return {"answer": data["answers"][0].upper()}
    if qtype == "cloze":
        return {f"blanks-{i}": blank[0] for i, blank in enumerate(data["blanks"])}
    return {}


def test_home_lists_banks_with_topics_and_counts(client, fixture_bank):
    page = client.get("/").get_data(as_text=True)
    assert "Fixture bank" in page
    assert "8 questions" in page
    assert re.search(r"<li>Parliament <span class=\"count\">3</span></li>", page)


def test_start_form_offers_topics_to_students(logged_in, fixture_bank):
    page = logged_in.get("/").get_data(as_text=True)
    assert "Parliament (3)" in page


def test_starting_a_quiz_requires_login(client, fixture_bank):
    response = client.post("/quiz/start/1", data={})
    assert response.status_code in (302, 400)
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 0


def test_whole_quiz_all_right(logged_in, fixture_bank):
    response = start(logged_in)
    assert response.status_code == 302
    attempt = db.session.scalar(select(QuizAttempt))
    assert len(attempt.items) == 8
    for item in attempt.items:
        url = f"/quiz/{attempt.id}/q/{item.position}"
        page = logged_in.get(url).get_data(as_text=True)
        answer = right_answer_form(item)
        posted = logged_in.post(url, data={"csrf_token": csrf_from(page), **answer})
        assert posted.status_code == 302, posted.get_data(as_text=True)[:2000]
        feedback = logged_in.get(url).get_data(as_text=True)
        if item.question.type == "flashcard":
            assert "Did you know it?" in feedback
            graded = logged_in.post(url + "/grade", data={"csrf_token": csrf_from(feedback), "knew": "I knew it"})
            assert graded.status_code == 302
            feedback = logged_in.get(url).get_data(as_text=True)
            assert "You knew it" in feedback
        else:
            assert re.search(r'id="verdict"[^>]*>Right</h1>', feedback)
            assert "Correct answer" in feedback
        # The verdict leads the title, which a screen reader announces first.
        verdict = "You knew it" if item.question.type == "flashcard" else "Right"
        assert f"<title>{verdict}: question {item.position} · quizapp</title>" in feedback
        assert "<mark>" in feedback
        assert "Read this passage in the full text" in feedback
    results = logged_in.get(f"/quiz/{attempt.id}/results")
    assert results.status_code == 200
    assert "<strong>8 / 8</strong>" in results.get_data(as_text=True)
    # The frame whose width, in the reader's type size, turns the table into one card per question.
    assert re.search(r'<div class="results-frame">\s*<table class="results">', results.get_data(as_text=True))


@pytest.mark.parametrize("wrong", [{"answer": "99"}, {"answer": "98 km"}, {"answer": "abc"}])
def test_wrong_numeric_answer_is_explained(logged_in, fixture_bank, wrong):
    start(logged_in, topic="Economy and trade", length=1)
    item = item_at(1)
    url = f"/quiz/{item.attempt_id}/q/1"
    page = logged_in.get(url).get_data(as_text=True)
    logged_in.post(url, data={"csrf_token": csrf_from(page), **wrong})
    feedback = logged_in.get(url).get_data(as_text=True)
    assert "Wrong" in feedback
    assert "29.4%" in feedback
    assert "The EU as a whole was Kazakhstan" in feedback


def test_empty_answer_rerenders_with_message(logged_in, fixture_bank):
    start(logged_in, topic="Economy and trade", length=1)
    url = f"/quiz/{item_at(1).attempt_id}/q/1"
    page = logged_in.get(url).get_data(as_text=True)
    response = logged_in.post(url, data={"csrf_token": csrf_from(page), "answer": ""})
    assert response.status_code == 422
    assert "Type an answer." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


@pytest.mark.parametrize(("topic", "blank"), [("Economy and trade", "   "), ("Media and civil society", " \t "),
                                              ("Economy and trade", "\u00a0")])
def test_an_answer_of_spaces_only_is_not_graded(logged_in, fixture_bank, topic, blank):
    # A numeric and a short text question: spaces alone are no more an answer than an empty field.
    start(logged_in, topic=topic, length=1)
    url = f"/quiz/{item_at(1).attempt_id}/q/1"
    page = logged_in.get(url).get_data(as_text=True)
    response = logged_in.post(url, data={"csrf_token": csrf_from(page), "answer": blank})
    assert response.status_code == 422
    assert "Type an answer." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_quiz_shorter_than_asked_says_why(logged_in, fixture_bank):
    topic = "Economy and trade"
    held = db.session.scalar(select(func.count()).select_from(Question).where(Question.topic == topic))
    response = start(logged_in, topic=topic, length=held + 5)
    page = logged_in.get(response.location).get_data(as_text=True)
    expected = fewer_than_asked(held, topic)
    assert f"only {held} question" in expected and escape(expected) in page
    assert "so the quiz has" not in logged_in.get(start(logged_in, topic=topic, length=held).location).get_data(
        as_text=True)


@pytest.mark.parametrize(("typed", "said"), [
    ("3.5", "Type a whole number in figures, such as 10."),
    ("ten", "Type a whole number in figures, such as 10."),
    ("0", "Choose between 1 and 50 questions."),
    ("51", "Choose between 1 and 50 questions."),
])
def test_a_number_of_questions_refused_gets_one_message_in_plain_words(logged_in, fixture_bank, typed, said):
    home = logged_in.get("/").get_data(as_text=True)
    bank_id = int(re.search(r'action="/quiz/start/(\d+)"', home).group(1))
    response = logged_in.post(f"/quiz/start/{bank_id}", data={"csrf_token": csrf_from(home),
                                                               f"bank{bank_id}-length": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and page.count(said) >= 1
    assert "Not a valid integer value." not in page and "Number must be" not in page


def test_double_submit_records_one_answer(logged_in, fixture_bank):
    start(logged_in, topic="Economy and trade", length=1)
    url = f"/quiz/{item_at(1).attempt_id}/q/1"
    token = csrf_from(logged_in.get(url).get_data(as_text=True))
    logged_in.post(url, data={"csrf_token": token, "answer": "29.4"})
    again = logged_in.post(url, data={"csrf_token": token, "answer": "29.4"}, follow_redirects=True)
    assert "the first answer stands" not in again.get_data(as_text=True)  # a double click needs no notice
    other_tab = logged_in.post(url, data={"csrf_token": token, "answer": "1"}, follow_redirects=True)
    assert "already been answered (in another tab, perhaps): the first answer stands" in other_tab.get_data(
        as_text=True)
    responses = db.session.scalars(select(Response)).all()
    assert len(responses) == 1
    assert responses[0].is_correct


def test_feedback_leads_to_the_first_question_still_unanswered(logged_in, fixture_bank):
    start(logged_in, length=8)
    attempt = db.session.scalar(select(QuizAttempt))
    # Two questions answered out of order, by address; a flashcard would wait for its self-grade instead.
    later = [item for item in attempt.items if item.position > 1 and item.question.type != "flashcard"][-2:]
    token = csrf_from(logged_in.get(f"/quiz/{attempt.id}/q/1").get_data(as_text=True))
    for item in later:
        answer = {"csrf_token": token, **right_answer_form(item)}
        logged_in.post(f"/quiz/{attempt.id}/q/{item.position}", data=answer)
    feedback = logged_in.get(f"/quiz/{attempt.id}/q/{later[-1].position}").get_data(as_text=True)
    assert f'href="/quiz/{attempt.id}/q/1"' in feedback and f"/quiz/{attempt.id}/results" not in feedback


def test_other_students_cannot_open_an_attempt(client, fixture_bank, make_user):
    from tests.conftest import login

    owner, other = make_user(), make_user()
    login(client, owner.email)
    start(client, length=1)
    attempt = db.session.scalar(select(QuizAttempt))
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login(client, other.email)
    assert client.get(f"/quiz/{attempt.id}/q/1").status_code == 404
    assert client.get(f"/quiz/{attempt.id}/results").status_code == 404


def test_results_mark_a_partly_right_answer_as_partly_not_as_wrong(logged_in, fixture_bank):
    """The feedback said "Partly right" in its own colour: the results row says it in the same, not in the red of
    a wrong answer."""
    start(logged_in)
    attempt = db.session.scalar(select(QuizAttempt))
    for item in attempt.items:
        url = f"/quiz/{attempt.id}/q/{item.position}"
        page = logged_in.get(url).get_data(as_text=True)
        # Two blanks of the cloze's three right; every other question right.
        answer = ({"blanks-0": "107", "blanks-1": "98", "blanks-2": "x"} if item.question.type == "cloze"
                  else right_answer_form(item))
        logged_in.post(url, data={"csrf_token": csrf_from(page), **answer})
        if item.question.type == "flashcard":
            feedback = logged_in.get(url).get_data(as_text=True)
            logged_in.post(url + "/grade", data={"csrf_token": csrf_from(feedback), "knew": "I knew it"})
    results = logged_in.get(f"/quiz/{attempt.id}/results").get_data(as_text=True)
    assert re.search(r'<td class="partly">\s*Partly \(67%\)</td>', results), results[-3000:]


def test_results_wait_for_every_answer(logged_in, fixture_bank):
    start(logged_in, length=2)
    attempt = db.session.scalar(select(QuizAttempt))
    response = logged_in.get(f"/quiz/{attempt.id}/results")
    assert response.status_code == 302
    assert response.location.endswith(f"/quiz/{attempt.id}/q/1")


def test_progress_shows_accuracy_by_topic_and_missed(logged_in, fixture_bank):
    start(logged_in, topic="Economy and trade", length=1)
    url = f"/quiz/{item_at(1).attempt_id}/q/1"
    logged_in.post(url, data={"csrf_token": csrf_from(logged_in.get(url).get_data(as_text=True)), "answer": "18.2"})
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert "0.0%" in page
    assert "Economy and trade" in page
    assert "What share of Kazakhstan" in page
    assert "missed 1 of 1" in page


def test_typed_answers_are_not_autocorrected_by_a_phone(logged_in, fixture_bank):
    """A phone's keyboard would swap a name it does not know for a word it does, and the answer be marked wrong."""
    start(logged_in)
    fields = []
    for position in range(1, 9):
        page = logged_in.get(f"/quiz/{item_at(position).attempt_id}/q/{position}").get_data(as_text=True)
        fields += re.findall(r'<input[^>]*type="text"[^>]*>', page)
    assert len(fields) >= 3  # a short text, a number and the blanks of a cloze
    assert all('autocorrect="off"' in field for field in fields), fields


def _multiple_answer_pages(client, answer_form) -> tuple[str, str]:
    """Answer a one-question quiz of a multiple-answer question with the fields answer_form(item) gives: its
    feedback page, and the quiz's results."""
    start(client, topic="Courts and human rights", length=1)
    item = item_at(1)
    assert item.question.type == "multiple_response"
    url = f"/quiz/{item.attempt_id}/q/1"
    page = client.get(url).get_data(as_text=True)
    client.post(url, data={"csrf_token": csrf_from(page), **answer_form(item)})
    results = client.get(f"/quiz/{item.attempt_id}/results").get_data(as_text=True)
    return client.get(url).get_data(as_text=True), results


def test_the_correct_choices_of_a_multiple_answer_question_show_as_a_list(logged_in, fixture_bank):
    """One line of choices joined by semicolons was hard to tell apart on a phone: each choice is an item of a list,
    on the feedback page and in the results."""
    feedback, results = _multiple_answer_pages(logged_in, right_answer_form)
    choices = (r'<ul class="choice-list">\s*<li>A Constitutional Court was established</li>\s*'
               r'<li>The death penalty was removed from the constitution</li>\s*</ul>')
    assert re.search(r'<dt>Correct answer</dt>\s*<dd class="correct-answer">\s*' + choices, feedback), feedback
    assert re.search(r'<td data-label="Correct answer">\s*' + choices, results), results[-3000:]
    assert "established; The death penalty" not in results.split('data-label="Correct answer"')[1]


def test_the_students_own_choices_of_a_multiple_answer_question_show_as_a_list(logged_in, fixture_bank):
    """As the correct choices: one line of choices joined by semicolons was hard to tell apart on a phone."""
    # One right choice and one wrong.
    feedback, results = _multiple_answer_pages(
        logged_in, lambda item: {"answer": [str(item.choice_order.index(i)) for i in (0, 2)]})
    choices = (r'<ul class="choice-list">\s*<li>A Constitutional Court was established</li>\s*'
               r'<li>Juries for all criminal cases</li>\s*</ul>')
    assert re.search(r'<dt>Your answer</dt>\s*<dd>\s*' + choices, feedback), feedback
    assert re.search(r'<td data-label="Your answer">\s*' + choices, results), results[-3000:]
    assert "established; Juries" not in feedback + results


LONG_KEY = ("The Ulttyk Kuryltai, a National Congress that meets once a year and advises the President on the "
            "questions of the domestic policy of the state")


def lengthen_key() -> str:
    """Make LONG_KEY, over 120 characters, the first accepted answer of the fixture bank's short-text question."""
    question = db.session.scalar(select(Question).where(Question.key == "ncpt-successor"))
    revision = db.session.scalar(select(QuestionRevision).where(QuestionRevision.question_id == question.id))
    revision.data = {**revision.data, "answers": [LONG_KEY, *revision.data["answers"]]}
    db.session.commit()
    return LONG_KEY


def test_results_show_a_long_correct_answer_in_full(logged_in, fixture_bank):
    """A student studies from the results: a correct answer cut at 120 characters and "…" leaves out its end."""
    key = lengthen_key()
    assert len(key) > 120
    start(logged_in, topic="Media and civil society", length=1)
    url = f"/quiz/{item_at(1).attempt_id}/q/1"
    logged_in.post(url, data={"csrf_token": csrf_from(logged_in.get(url).get_data(as_text=True)),
                              "answer": "the Senate"})
    results = logged_in.get(f"/quiz/{item_at(1).attempt_id}/results").get_data(as_text=True)
    assert re.search(r'<td data-label="Correct answer"[^>]*>\s*' + re.escape(key) + r"\s*</td>", results), \
        results[-3000:]

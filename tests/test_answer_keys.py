"""Before a student answers, nothing the server sends contains the answer key."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Question, QuizItem
from quizapp.quiz.present import correct_answer
from tests.conftest import csrf_from, without_varying_values
from tests.test_quiz_flow import start
from tests.test_uploads import GOOD_BANK, upload

# Words in the fixture bank's answers, explanations and feedback that appear nowhere in the prompt or choices.
SECRETS = {
    "seats-choice": ["The appendix lists", "before</strong> the referendum", "before** the referendum"],
    "court-and-penalty": ["Both changes stand under"],
    "new-constitution": ["was modified, not replaced", "a new constitution was not adopted"],
    "eu-share": ["29.4", "largest trading partner"],
    "ncpt-successor": ["Ulttyk", "Kuryltai", "National Congress"],
    "mazhilis-cloze": ["107", "98", "mixed", "in the appendix under Parliament"],
    "however-quote": ["foregone conclusion", "They call support"],
    "mazhilis-card": ["lower house", "98 deputies"],
}
TYPES = ["single_choice", "multiple_response", "true_false", "numeric", "short_text", "cloze", "flashcard"]



@pytest.mark.parametrize("qtype", TYPES)
def test_question_page_holds_no_key(logged_in, fixture_bank, qtype):
    start(logged_in, length=8)
    item = next(i for i in db.session.scalars(select(QuizItem)) if i.question.type == qtype)
    response = logged_in.get(f"/quiz/{item.attempt_id}/q/{item.position}")
    html = response.get_data(as_text=True)
    for secret in SECRETS[item.question.key]:
        assert secret not in without_varying_values(html), f"{secret!r} leaked before answering"
    data = item.revision.data
    if qtype == "true_false":
        assert "True" in html and "False" in html
    if qtype in ("single_choice", "multiple_response"):
        # The shown order is shuffled per student, and the values are display positions, not indexes.
        inputs = re.findall(r'<input[^>]*name="answer"[^>]*>', html)
        values = sorted(int(re.search(r'value="(\d+)"', tag).group(1)) for tag in inputs)
        assert values == list(range(len(data["choices"])))
    assert "explanation" not in html.lower()
    assert (correct_answer(qtype, data) not in without_varying_values(html)
            or qtype in ("single_choice", "true_false", "multiple_response"))


def test_feedback_shows_key_after_answering(logged_in, fixture_bank):
    start(logged_in, topic="Economy and trade", length=1)
    item = db.session.scalar(select(QuizItem))
    url = f"/quiz/{item.attempt_id}/q/1"
    logged_in.post(url, data={"csrf_token": csrf_from(logged_in.get(url).get_data(as_text=True)), "answer": "1"})
    feedback = logged_in.get(url)
    html = feedback.get_data(as_text=True)
    for secret in SECRETS["eu-share"]:
        assert secret in html
    # Whoever sits at the computer next must not get the key back from the browser's cache or Back button.
    assert feedback.headers["Cache-Control"] == "no-store"


def test_pages_of_an_account_are_not_cached_and_public_ones_may_be(client, teacher):
    preview = teacher.get(upload(teacher, "civics.yaml", GOOD_BANK.encode()).location)
    assert "has been reduced from 107 to 98" in preview.get_data(as_text=True)
    assert preview.headers["Cache-Control"] == "no-store"
    # The tokens page keeps its own value; public pages and static files carry none of this.
    assert teacher.get("/auth/tokens").headers.get_all("Cache-Control") == ["no-store"]
    for url in ("/auth/login", "/sources/"):
        assert "no-store" not in client.get(url).headers.get("Cache-Control", "")
    static = teacher.get("/static/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_choice_feedback_only_for_the_choice_picked(logged_in, fixture_bank):
    start(logged_in, topic="Parliament", length=3)
    item = next(i for i in db.session.scalars(select(QuizItem)) if i.question.key == "seats-choice")
    url = f"/quiz/{item.attempt_id}/q/{item.position}"
    wrong_position = item.choice_order.index(1)  # "107", which carries feedback
    logged_in.post(url, data={"csrf_token": csrf_from(logged_in.get(url).get_data(as_text=True)),
                              "answer": str(wrong_position)})
    html = logged_in.get(url).get_data(as_text=True)
    assert "<strong>before</strong> the referendum" in html
    assert "Wrong" in html


def test_shuffled_orders_differ_between_attempts(logged_in, fixture_bank):
    orders = set()
    for _ in range(12):
        start(logged_in, topic="Courts and human rights", length=1)
    for item in db.session.scalars(select(QuizItem)):
        orders.add(tuple(item.choice_order))
    assert len(orders) > 1
    question = db.session.scalar(select(Question).where(Question.key == "court-and-penalty"))
    assert question.type == "multiple_response"

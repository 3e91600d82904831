"""The study pages through the test client: front, back with a suggested rating, rating, settings, missed questions."""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Card, Question, QuestionRevision, ReviewLog
from quizapp.models.types import utcnow
from quizapp.srs.scheduling import AGAIN, GOOD, HARD
from tests.conftest import csrf_from, without_varying_values
from tests.test_answer_keys import SECRETS
from tests.test_quiz_flow import item_at, right_answer_form, start

QUESTION_TYPES = ["single_choice", "multiple_response", "true_false", "numeric", "short_text", "cloze", "flashcard"]


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def retire_all_but(question_type: str) -> None:
    """Leave only the fixture bank's question of one type active."""
    for question in db.session.scalars(select(Question).where(Question.type != question_type)):
        question.retired_at = question.retired_at or utcnow()
    db.session.commit()


def front_of(client, question_type: str | None = None) -> tuple[int, str]:
    """Open the study page (narrowed to one question type if given) and return its question and page."""
    if question_type:
        retire_all_but(question_type)
    page = client.get("/study/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return int(re.search(r'action="/study/(\d+)/answer"', html).group(1)), html


def answer(client, question_id: int, html: str, fields: dict):
    data = {"csrf_token": csrf_from(html), "reviews": hidden(html, "reviews"), "revision": hidden(html, "revision"),
            "shown_at": hidden(html, "shown_at"), "bank": "", **fields}
    return client.post(f"/study/{question_id}/answer", data=data)


def rate(client, question_id: int, back_html: str, rating: int):
    return client.post(f"/study/{question_id}/rate", data={
        "csrf_token": csrf_from(back_html), "reviews": hidden(back_html, "reviews"),
        "shown_at": hidden(back_html, "shown_at"), "bank": "", "rating": str(rating)})


def shown_form(question: Question, student_id: int, reviews: int) -> dict:
    """A right answer in the terms of the shuffled choices the study page showed."""
    revision = db.session.scalar(select(QuestionRevision).where(
        QuestionRevision.question_id == question.id, QuestionRevision.number == question.revision))
    order = list(range(len(revision.data.get("choices", []))))
    if question.type in ("single_choice", "multiple_response") and revision.data.get("shuffle", True):
        random.Random(f"{student_id}:{question.id}:{reviews}").shuffle(order)
    return right_answer_form(SimpleNamespace(question=question, revision=revision, choice_order=order))


@pytest.mark.parametrize("question_type", QUESTION_TYPES)
def test_every_type_studies_as_a_card_with_the_key_kept_until_answered(logged_in, student, fixture_bank,
                                                                         question_type):
    question_id, front = front_of(logged_in, question_type)
    question = db.session.get(Question, question_id)
    for secret in SECRETS[question.key]:
        assert secret not in without_varying_values(front), f"{secret!r} leaked before answering"
    assert "<mark>" not in front
    back = answer(logged_in, question_id, front, shown_form(question, student.id, 0))
    assert back.status_code == 200
    html = back.get_data(as_text=True)
    assert "<mark>" in html and "Read this passage in the full text" in html
    # The back was posted: no address brings it back, so the full text opens beside it rather than over it.
    assert re.search(r'<a href="/sources/[^"]*" target="_blank" rel="noopener">Read this passage in the full text '
                     r"\(opens in a new tab\)</a>", html)
    assert any(secret in html for secret in SECRETS[question.key])
    if question_type == "flashcard":
        assert "We suggest" not in html and "<title>Answer: study · quizapp</title>" in html
    else:
        assert ">Right<" in html.replace("\n", "").replace("  ", "")
        assert "<title>Right: study · quizapp</title>" in html  # announced first by a screen reader
        assert re.search(rf'value="{GOOD}"[^>]*class="[^"]*suggested[^"]*"[^>]*data-suggested', html)
    response = rate(logged_in, question_id, html, GOOD)
    assert response.status_code == 302 and response.location.endswith("/study/")
    card = db.session.scalar(select(Card).where(Card.question_id == question_id))
    assert card.user_id == student.id and card.last_review is not None and card.origin == "new"


def test_a_multiple_answer_cards_back_lists_the_choices_given(logged_in, student, fixture_bank):
    """The back shares the feedback's answers: the student's choices, as the correct ones, are a list."""
    question_id, front = front_of(logged_in, "multiple_response")
    question = db.session.get(Question, question_id)
    html = answer(logged_in, question_id, front, shown_form(question, student.id, 0)).get_data(as_text=True)
    choices = (r'<ul class="choice-list">\s*<li>A Constitutional Court was established</li>\s*'
               r'<li>The death penalty was removed from the constitution</li>\s*</ul>')
    assert re.search(r'<dt>Your answer</dt>\s*<dd>\s*' + choices, html), html


def test_a_wrong_answer_suggests_again_and_the_student_may_change_it(logged_in, fixture_bank):
    question_id, front = front_of(logged_in, "numeric")
    back = answer(logged_in, question_id, front, {"answer": "12345"}).get_data(as_text=True)
    assert "<title>Wrong: study · quizapp</title>" in back
    assert re.search(rf'value="{AGAIN}"[^>]*class="[^"]*suggested', back)
    rate(logged_in, question_id, back, HARD)
    assert db.session.scalar(select(ReviewLog.rating)) == HARD


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_answer_rerenders_the_front_with_a_message(logged_in, fixture_bank, blank):
    question_id, front = front_of(logged_in, "short_text")
    response = answer(logged_in, question_id, front, {"answer": blank})
    assert response.status_code == 422
    assert "Type an answer." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0


def test_a_double_submitted_rating_is_recorded_once(logged_in, fixture_bank):
    question_id, front = front_of(logged_in, "flashcard")
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    rate(logged_in, question_id, back, GOOD)
    second = rate(logged_in, question_id, back, AGAIN)
    assert second.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1
    assert "already been rated" in logged_in.get("/study/").get_data(as_text=True)


def test_the_same_rating_sent_twice_is_recorded_once_without_a_message(logged_in, fixture_bank):
    # A double press of a rating key (or a double click) sends the form twice before the next card loads.
    question_id, front = front_of(logged_in, "flashcard")
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    rate(logged_in, question_id, back, GOOD)
    assert rate(logged_in, question_id, back, GOOD).status_code == 302
    assert db.session.scalars(select(ReviewLog.rating)).all() == [GOOD]
    assert "already been rated" not in logged_in.get("/study/").get_data(as_text=True)


def test_again_good_only_mode_offers_two_ratings_and_refuses_the_others(logged_in, student, fixture_bank):
    student.again_good_only = True
    db.session.commit()
    question_id, front = front_of(logged_in, "flashcard")
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    assert 'data-key="1"' in back and 'data-key="3"' in back
    assert 'data-key="2"' not in back and 'data-key="4"' not in back
    assert "Press 1 or 3 to rate." in back  # not "Press 1, 3", which reads as a list of four with two missing
    rate(logged_in, question_id, back, HARD)
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0
    rate(logged_in, question_id, back, GOOD)
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1


def test_a_flashcard_not_known_in_a_quiz_enters_the_queue(logged_in, fixture_bank):
    retire_all_but("flashcard")
    start(logged_in, length=1)
    page = logged_in.get("/quiz/1/q/1").get_data(as_text=True)
    logged_in.post("/quiz/1/q/1", data={"csrf_token": csrf_from(page)})
    feedback = logged_in.get("/quiz/1/q/1").get_data(as_text=True)
    logged_in.post("/quiz/1/q/1/grade", data={"csrf_token": csrf_from(feedback), "missed": "I did not know it"})
    card = db.session.scalar(select(Card))
    assert card is not None and card.origin == "missed" and card.question_id == item_at(1).question_id


def test_a_right_quiz_answer_leaves_the_queue_alone(logged_in, fixture_bank):
    retire_all_but("numeric")
    start(logged_in, length=1)
    page = logged_in.get("/quiz/1/q/1").get_data(as_text=True)
    logged_in.post("/quiz/1/q/1", data={"csrf_token": csrf_from(page), **right_answer_form(item_at(1))})
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0


def test_a_wrong_numeric_quiz_answer_enqueues_the_question(logged_in, fixture_bank):
    retire_all_but("numeric")
    start(logged_in, length=1)
    page = logged_in.get("/quiz/1/q/1").get_data(as_text=True)
    logged_in.post("/quiz/1/q/1", data={"csrf_token": csrf_from(page), "answer": "1"})
    card = db.session.scalar(select(Card))
    assert card is not None and card.origin == "missed" and card.question_id == item_at(1).question_id
    question_id, study = front_of(logged_in)
    assert question_id == card.question_id and "Missed in a quiz" in study


def test_study_is_for_logged_in_users_and_visible_questions(client, logged_in, fixture_bank):
    # A bank that was never there is answered like one closed to the student: the page names neither.
    unknown = logged_in.get("/study/?bank=999")
    assert unknown.status_code == 302 and unknown.location.endswith("/study/")
    assert "That bank is not open for study now" in logged_in.get("/study/").get_data(as_text=True)
    assert logged_in.post("/study/99999/answer", data={}).status_code in (400, 404)
    logged_in.post("/auth/logout", data={"csrf_token": csrf_from(logged_in.get("/study/").get_data(as_text=True))})
    assert client.get("/study/").status_code == 302


def test_nothing_left_shows_when_the_next_card_is_due(logged_in, student, fixture_bank):
    student.new_cards_per_day = 1
    db.session.commit()
    question_id, front = front_of(logged_in, "flashcard")
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    rate(logged_in, question_id, back, 4)
    done = logged_in.get("/study/").get_data(as_text=True)
    assert "Nothing more to study right now" in done and "Your next card is due" in done
    assert "New cards: 1 a day," in done and "starting again at 4:00 (UTC)." in done


def test_after_the_last_card_its_heading_takes_the_focus(logged_in, student, fixture_bank):
    """Rated, the last card gave way to a page whose focus stood nowhere: a screen reader started again at the site's
    links, and did not say that study was over nor when the next card comes."""
    student.new_cards_per_day = 1
    db.session.commit()
    question_id, front = front_of(logged_in, "flashcard")
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    done = logged_in.get(rate(logged_in, question_id, back, 4).location).get_data(as_text=True)
    assert re.search(r'<h1 id="done-heading" tabindex="-1" autofocus>Nothing more to study right now</h1>', done)


@pytest.mark.parametrize("rating, soon", [(AGAIN, True), (4, False)])
def test_a_card_due_within_the_day_is_said_to_be_due_in_so_many_minutes(logged_in, student, fixture_bank, rating, soon):
    """Again brings a card back in minutes: the date and time alone left the student to work out that it was worth
    waiting for."""
    student.new_cards_per_day = 1
    db.session.commit()
    question_id, front = front_of(logged_in, "flashcard")
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    rate(logged_in, question_id, back, rating)
    done = " ".join(logged_in.get("/study/").get_data(as_text=True).split())
    said = re.search(r"Your next card is due <time [^>]*>[^<]*</time>(, in (?:\d+ min|less than a minute))?\.", done)
    assert said, done
    assert bool(said.group(1)) == soon


@pytest.mark.parametrize("hour, said", [(0, "midnight"), (4, "4:00"), (23, "23:00")])
def test_the_study_page_says_when_new_cards_start_again(logged_in, student, fixture_bank, hour, said):
    student.day_starts_at, student.timezone = hour, "Asia/Almaty"
    for question in db.session.scalars(select(Question)):
        question.retired_at = utcnow()  # every card studied for today, as far as the page can tell
    db.session.commit()
    done = logged_in.get("/study/").get_data(as_text=True)
    assert f"New cards: 20 a day, starting again at {said} (Asia/Almaty)." in " ".join(done.split())


def test_with_no_new_cards_a_day_the_study_page_promises_none_at_the_days_start(logged_in, student, fixture_bank):
    student.new_cards_per_day = 0
    db.session.commit()
    done = logged_in.get("/study/").get_data(as_text=True)
    assert "Nothing more to study right now" in done
    assert "No new cards come: you take 0 new cards a day." in done
    assert "starting again at" not in done


def test_before_any_bank_is_loaded_the_study_page_says_there_are_no_cards(logged_in):
    done = logged_in.get("/study/").get_data(as_text=True)
    assert "There are no cards to study: no question bank is open to you yet." in done
    assert "New cards:" not in done and "Take a quiz" not in done


def test_settings_validate_and_save(logged_in, student):
    page = logged_in.get("/study/settings").get_data(as_text=True)
    assert 'value="0.90"' in page and '<option selected value="4">4:00</option>' in page
    bad = logged_in.post("/study/settings", data={
        "csrf_token": csrf_from(page), "timezone": "Asia/Almaty", "day_starts_at": "5", "new_cards_per_day": "15",
        "desired_retention": "0.99"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "between 0.70 and 0.97" in html and 'value="15"' in html and '<option selected value="5">' in html
    good = logged_in.post("/study/settings", data={
        "csrf_token": csrf_from(page), "timezone": "Asia/Almaty", "day_starts_at": "0", "new_cards_per_day": "15",
        "desired_retention": "0.97", "again_good_only": "y"})
    assert good.status_code == 302
    # The message takes the focus, so a screen reader reads it and Tab goes on to the form again.
    saved = logged_in.get(good.location).get_data(as_text=True)
    assert re.search(r'<div class="flashes" id="notices" role="status" tabindex="-1" autofocus>\s*'
                     r'<p class="flash flash-success">Study settings saved.</p>', saved)
    db.session.refresh(student)
    assert (student.timezone, student.day_starts_at, student.new_cards_per_day, student.desired_retention,
            student.again_good_only) == ("Asia/Almaty", 0, 15, 0.97, True)
    unknown = logged_in.post("/study/settings", data={
        "csrf_token": csrf_from(page), "timezone": "Mars/Olympus", "day_starts_at": "4", "new_cards_per_day": "15",
        "desired_retention": "0.9"})
    assert unknown.status_code == 422


@pytest.mark.parametrize(("typed", "said"), [("1001", "Choose between 0 and 1000 new cards a day."),
                                             ("twenty", "Type a whole number in figures, such as 10.")])
def test_settings_say_how_many_new_cards_may_be_chosen(logged_in, typed, said):
    page = logged_in.get("/study/settings").get_data(as_text=True)
    refused = logged_in.post("/study/settings", data={
        "csrf_token": csrf_from(page), "timezone": "Asia/Almaty", "day_starts_at": "4", "new_cards_per_day": typed,
        "desired_retention": "0.9"})
    assert refused.status_code == 422 and said in refused.get_data(as_text=True)


def test_only_those_who_set_assignments_are_told_the_time_zone_is_theirs_to_type_in(logged_in, teacher):
    for client, sets_assignments in ((logged_in, False), (teacher, True)):
        page = client.get("/study/settings").get_data(as_text=True)
        assert "every date and time is shown in it" in page
        assert ("for assignments you set" in page) is sets_assignments


@pytest.mark.parametrize("hour", ["24", "-1", "x", "4.5", ""])
def test_settings_refuse_an_hour_the_day_cannot_start_at(logged_in, student, hour):
    page = logged_in.get("/study/settings").get_data(as_text=True)
    refused = logged_in.post("/study/settings", data={
        "csrf_token": csrf_from(page), "timezone": "Asia/Almaty", "day_starts_at": hour, "new_cards_per_day": "15",
        "desired_retention": "0.9"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert html.count("Choose an hour from 0:00 to 23:00.") == 2  # in the summary and at the field
    assert 'value="15"' in html
    db.session.refresh(student)
    assert (student.day_starts_at, student.timezone, student.new_cards_per_day) == (4, "UTC", 20)

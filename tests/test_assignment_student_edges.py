"""Edges a student meets doing assignments: time running out mid-answer, feedback after the due date, and
what the class pages say about each assignment."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Assignment, Card, QuizAttempt
from quizapp.models.types import utcnow
from tests.conftest import csrf_from
from tests.test_answer_keys_by_policy import wrong_answer_form
from tests.test_classroom_edges import enrolled_client, set_assignment, teaching  # noqa: F401
from tests.test_classroom_flow import answer_all, post_form, start
from tests.test_quiz_flow import right_answer_form


def started_attempt(app, teaching, make_user, **settings):  # noqa: F811
    """A new assignment of three questions and a student's client with an attempt at it, just begun."""
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, draw_count="3", **settings).status_code == 302
    student_client, _ = enrolled_client(app, make_user, classroom)
    start(student_client, db.session.scalar(select(Assignment)))
    return student_client, db.session.scalar(select(QuizAttempt))


def handed_in_wrong(app, teaching, make_user, **settings):  # noqa: F811
    """A student's attempt at a new assignment, every answer wrong, handed in; the client and the attempt."""
    student_client, attempt = started_attempt(app, teaching, make_user, **settings)
    answer_all(student_client, attempt, right=False)
    hand_in = f"/quiz/{attempt.id}/hand-in"
    assert post_form(student_client, hand_in, hand_in, {}).status_code == 302
    return student_client, attempt


def queued(attempt: QuizAttempt) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(select(Card.question_id).where(Card.user_id == attempt.user_id)))


def test_misses_join_the_review_queue_once_the_due_date_passes_without_opening_the_results(
        app, teaching, make_user):  # noqa: F811
    student_client, attempt = handed_in_wrong(app, teaching, make_user, due_at="2999-01-01T10:00",
                                              feedback_policy="due", late_policy="mark")
    missed = {item.question_id for item in attempt.items}
    student_client.get("/study/")
    assert student_client.get("/api/v1/me/due").get_json()["due_now"] == 0
    assert queued(attempt) == set(), "the queue gave the misses away before the due date"

    attempt.assignment.due_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert student_client.get("/api/v1/me/due").get_json()["due_now"] == len(missed)
    assert queued(attempt) == missed


def test_the_study_and_progress_pages_queue_released_misses_once(app, teaching, make_user):  # noqa: F811
    student_client, attempt = handed_in_wrong(app, teaching, make_user, due_at="2999-01-01T10:00",
                                              feedback_policy="due", late_policy="mark")
    attempt.assignment.due_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    page = student_client.get("/progress/").get_data(as_text=True)
    assert "<strong>3</strong> cards due now" in page
    assert queued(attempt) == {item.question_id for item in attempt.items}
    # A card reviewed since the miss keeps the schedule that review gave it.
    card = db.session.scalar(select(Card).where(Card.question_id == attempt.items[0].question_id))
    card.last_review, card.due = utcnow(), utcnow() + timedelta(days=3)
    db.session.commit()
    assert student_client.get("/study/").status_code == 200
    db.session.refresh(card)
    assert card.due > utcnow() + timedelta(days=2)


def flashes(page: str) -> list[str]:
    return [" ".join(text.split()) for text in re.findall(r'<p class="flash[^"]*">(.*?)</p>', page, re.S)]


def open_attempt(app, teaching, make_user, **settings):  # noqa: F811
    """A student's client and attempt at a new assignment, its first question answered wrongly."""
    student_client, attempt = started_attempt(app, teaching, make_user, **settings)
    url = f"/quiz/{attempt.id}/q/1"
    assert post_form(student_client, url, url, wrong_answer_form(attempt.items[0])).status_code == 302
    return student_client, attempt


def test_an_answer_changed_after_the_time_ran_out_is_said_not_saved(app, teaching, make_user):  # noqa: F811
    student_client, attempt = open_attempt(app, teaching, make_user, time_limit_minutes="10",
                                           feedback_policy="submit")
    url = f"/quiz/{attempt.id}/q/1"
    page = student_client.get(url).get_data(as_text=True)  # the page is open, the student thinks it over
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    sent = student_client.post(url, data={"csrf_token": csrf_from(page), **right_answer_form(attempt.items[0])},
                               follow_redirects=True)
    assert flashes(sent.get_data(as_text=True)) == [
        "Time was up before this answer arrived, so it was not saved: your attempt was handed in with the answers "
        "given before."]
    db.session.refresh(attempt.items[0].response)
    assert not attempt.items[0].response.is_correct


def test_an_answer_changed_in_a_tab_left_open_after_the_hand_in_says_it_was_handed_in(
        app, teaching, make_user):  # noqa: F811
    student_client, attempt = open_attempt(app, teaching, make_user, feedback_policy="submit")
    url, hand_in = f"/quiz/{attempt.id}/q/1", f"/quiz/{attempt.id}/hand-in"
    other_tab = student_client.get(url).get_data(as_text=True)
    assert post_form(student_client, hand_in, hand_in, {}).status_code == 302
    student_client.get(f"/quiz/{attempt.id}/results")  # the hand-in's own message is read there
    sent = student_client.post(url, data={"csrf_token": csrf_from(other_tab), **right_answer_form(attempt.items[0])},
                               follow_redirects=True)
    assert flashes(sent.get_data(as_text=True)) == [
        "This attempt has been handed in; its answers can no longer change."]


def row_text(page: str, title: str) -> str:
    """The words of the student's row of an assignment on a class page."""
    row = re.search(rf'<li class="card assignment">\s*<h3>{re.escape(title)}</h3>.*?</li>\s*(?=<li class="card|</ul>)',
                    page, re.S)
    assert row, f"no row for {title}"
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())


def test_a_students_rows_say_how_each_attempt_stands(app, teaching, make_user):  # noqa: F811
    client, classroom, bank_id = teaching
    for title, settings in (("Timed", {"time_limit_minutes": "20"}), ("Later", {"feedback_policy": "due"}),
                            ("Twice", {}), ("Missed", {}), ("Overdue", {"late_policy": "mark"})):
        assert set_assignment(client, classroom, bank_id, title=title, draw_count="3",
                              due_at="2999-01-01T10:00", **settings).status_code == 302
    assignments = {a.title: a for a in db.session.scalars(select(Assignment))}
    student_client, student = enrolled_client(app, make_user, classroom)
    student.timezone = "Asia/Almaty"
    db.session.commit()
    for title in ("Timed", "Later", "Twice", "Twice"):
        start(student_client, assignments[title])
        attempt = db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id.desc())).first()
        if title == "Timed":
            continue  # left open
        answer_all(student_client, attempt, right=attempt.number == 2)
        hand_in = f"/quiz/{attempt.id}/hand-in"
        assert post_form(student_client, hand_in, hand_in, {}).status_code == 302
    for title in ("Missed", "Overdue"):
        assignments[title].due_at = utcnow() - timedelta(hours=1)
    timed = db.session.scalar(select(QuizAttempt).where(QuizAttempt.assignment_id == assignments["Timed"].id))
    timed.deadline_at = datetime(2999, 1, 1, 4, 30, tzinfo=UTC)
    db.session.commit()

    page = student_client.get(f"/classes/{classroom.id}/work").get_data(as_text=True)
    assert "Attempt 1: in progress, closes at 2999-01-01 09:30 UTC+5" in row_text(page, "Timed")
    assert "Attempt 1 : handed in, results after the due date" in row_text(page, "Later")
    assert "(0.0%)" not in row_text(page, "Later")
    twice = row_text(page, "Twice")
    assert "Your grade is the best attempt handed in" in twice
    assert "Attempt 1 : 0 / 3 (0.0%) Attempt 2 : 3 / 3 (100.0%) counts for your grade" in twice
    assert "Missed: the due date passed before you started it." in row_text(page, "Missed")
    overdue = row_text(page, "Overdue")
    assert "Was due" in overdue and "The due date has passed: work handed in now is marked late." in overdue


def test_past_the_due_date_the_question_and_hand_in_pages_say_the_work_is_late(app, teaching, make_user):  # noqa: F811
    student_client, attempt = open_attempt(app, teaching, make_user, due_at="2999-01-01T10:00", late_policy="mark",
                                           feedback_policy="due")
    question = student_client.get(f"/quiz/{attempt.id}/q/2").get_data(as_text=True)
    assert "Week 1 · due <time" in question and "2999-01-01 10:00 UTC" in question
    hand_in = f"/quiz/{attempt.id}/hand-in"
    page = " ".join(student_client.get(hand_in).get_data(as_text=True).split())
    assert "marked late" not in page and "feedback after the due date" in page
    attempt.assignment.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = " ".join(re.sub(r"<[^>]+>", "", student_client.get(hand_in).get_data(as_text=True)).split())
    assert "handed in now, it is marked late." in page
    assert "You will see your results and the feedback as soon as you hand in." in page


def test_the_progress_page_says_until_when_a_score_waits(app, teaching, make_user):  # noqa: F811
    student_client, _ = open_attempt(app, teaching, make_user, due_at="2999-01-01T10:00", feedback_policy="due")
    page = student_client.get("/progress/").get_data(as_text=True)
    assert '<span class="hint">after the due date</span>' in page and "after feedback" not in page


def test_past_the_due_date_the_progress_page_says_the_score_comes_at_hand_in(app, teaching, make_user):  # noqa: F811
    # Late work is accepted and its feedback comes at once, as the hand-in page says: not "after the due date".
    student_client, attempt = open_attempt(app, teaching, make_user, due_at="2999-01-01T10:00", late_policy="mark",
                                           feedback_policy="due")
    attempt.assignment.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = student_client.get("/progress/").get_data(as_text=True)
    assert '<span class="hint">after hand-in</span>' in page and "after the due date" not in page


def test_an_attempt_whose_time_ran_out_unseen_is_handed_in_by_progress_and_its_misses_queued(
        app, teaching, make_user):  # noqa: F811
    student_client, attempt = open_attempt(app, teaching, make_user, time_limit_minutes="10",
                                           feedback_policy="submit")
    attempt.deadline_at = utcnow() - timedelta(minutes=1)  # the student left with the time running
    db.session.commit()
    page = student_client.get("/progress/").get_data(as_text=True)
    db.session.expire_all()
    assert attempt.finished_at is not None, "Progress still offered Continue for an attempt that had run out"
    assert ">Continue</a>" not in page and ">Hand in</a>" not in page
    assert queued(attempt) == {attempt.items[0].question_id}


def test_an_answer_kept_for_the_hand_in_is_said_saved_on_the_page_that_follows(app, teaching, make_user):  # noqa: F811
    """With no feedback after each answer, "Save and go on" showed the next question with nothing to say the last
    answer was kept. The question's heading, which takes the focus, is described by the message."""
    student_client, attempt = started_attempt(app, teaching, make_user, feedback_policy="submit")
    first, last = f"/quiz/{attempt.id}/q/1", f"/quiz/{attempt.id}/q/3"
    sent = post_form(student_client, first, first, wrong_answer_form(attempt.items[0]), follow_redirects=True)
    html = sent.get_data(as_text=True)
    assert "<title>Question 2 · quizapp</title>" in html
    assert flashes(html) == ["Your answer to question 1 was saved."]
    assert re.search(r'<div class="flashes" id="notices" role="status">', html)
    assert re.search(r'<h1 id="question-heading"[^>]*aria-describedby="notices"[^>]*autofocus>', html)
    # The last answer leads to the hand-in page, where nothing else takes the focus: the message does.
    sent = post_form(student_client, last, last, wrong_answer_form(attempt.items[2]), follow_redirects=True)
    html = sent.get_data(as_text=True)
    assert "<title>Hand in: " in html
    assert flashes(html) == ["Your answer to question 3 was saved."]
    assert '<div class="flashes" id="notices" role="status" tabindex="-1" autofocus>' in html
    # A question opened without a message has nothing to describe it.
    html = student_client.get(first).get_data(as_text=True)
    assert flashes(html) == [] and "aria-describedby=\"notices\"" not in html

"""The time left on a timed attempt: shown on its pages from the server's count, kept right by a reload."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Assignment
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import duration_text
from tests.test_assignment_student_edges import started_attempt
from tests.test_classroom_edges import enrolled_client, set_assignment, teaching  # noqa: F401 - fixture


def seconds_shown(page: str) -> int:
    return int(re.search(r'data-seconds-left="(\d+)"', page).group(1))


def test_a_timed_attempt_shows_the_time_left_and_a_reload_counts_from_the_server(app, teaching,  # noqa: F811
                                                                                  make_user):
    student_client, attempt = started_attempt(app, teaching, make_user, time_limit_minutes="20")
    page = student_client.get(f"/quiz/{attempt.id}/q/1").get_data(as_text=True)
    assert 20 * 60 - 5 <= seconds_shown(page) <= 20 * 60
    assert "Time left: <strong data-time-left>19 min" in page and "time_left.js" in page
    assert "data-time-warning" in page and 'role="alert" data-time-up' in page

    attempt.deadline_at = utcnow() + timedelta(minutes=4, seconds=30)  # as if 15 minutes and a half had gone
    db.session.commit()
    page = student_client.get(f"/quiz/{attempt.id}/q/1").get_data(as_text=True)
    assert 265 <= seconds_shown(page) <= 270
    hand_in = student_client.get(f"/quiz/{attempt.id}/hand-in").get_data(as_text=True)
    assert 265 <= seconds_shown(hand_in) <= 270 and "Time left: <strong data-time-left>4 min" in hand_in


def test_no_countdown_without_a_deadline_soon(app, teaching, make_user):  # noqa: F811
    due = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    student_client, attempt = started_attempt(app, teaching, make_user, due_at=due)
    assert attempt.deadline_at is not None  # late work refused: the due time ends the attempt, days away
    page = student_client.get(f"/quiz/{attempt.id}/q/1").get_data(as_text=True)
    assert "data-seconds-left" not in page and "closes at" in page


def test_durations_read_as_words():
    assert [duration_text(s) for s in (0, 45, 60, 270, 3600, 3900)] == [
        "0 s", "45 s", "1 min 0 s", "4 min 30 s", "1 h 0 min", "1 h 5 min"]


def test_the_hand_in_page_reloaded_when_the_time_is_up_says_the_attempt_was_handed_in(app, teaching,  # noqa: F811
                                                                                       make_user):
    student_client, attempt = started_attempt(app, teaching, make_user, time_limit_minutes="5")
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = student_client.get(f"/quiz/{attempt.id}/hand-in", follow_redirects=True).get_data(as_text=True)
    assert "Time is up: your attempt was handed in" in page and "Results" in page


def test_an_assignment_due_within_a_day_says_how_soon_on_the_class_page(app, teaching, make_user):  # noqa: F811
    client, classroom, bank_id = teaching
    student_client, student = enrolled_client(app, make_user, classroom)
    assert set_assignment(client, classroom, bank_id, title="Soon").status_code == 302
    assert set_assignment(client, classroom, bank_id, title="Later").status_code == 302
    soon, later = db.session.scalars(select(Assignment).order_by(Assignment.id)).all()
    soon.due_at = utcnow() + timedelta(hours=2, minutes=30, seconds=20)
    later.due_at = utcnow() + timedelta(days=3)
    db.session.commit()
    page = student_client.get(f"/classes/{classroom.id}/work").get_data(as_text=True)
    assert page.count('class="due-soon"') == 1 and '<strong class="due-soon">in 2 h 30 min</strong>' in page
    later.due_at = utcnow() + timedelta(minutes=45, seconds=20)
    db.session.commit()
    assert ">in 45 min</strong>" in student_client.get("/classes/").get_data(as_text=True)

"""Attempt rules without HTTP: opening times, attempt and time limits, due dates, feedback; shared class helpers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from quizapp.classroom.assignments import AttemptRefused, reschedule_open_attempts, start_attempt, student_tasks
from quizapp.classroom.gradebook import attempt_scores
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, QuizAttempt, User
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import GRACE, answer_refusal, close_if_expired, feedback_visible, submit_attempt
from quizapp.quiz.service import submit_answer


def class_assignment(instructor: User, class_name: str = "Civics", title: str = "Week 1") -> Assignment:
    """A new class taught by the instructor, with an assignment over the fixture bank (loaded already)."""
    classroom = create_class(db.session, instructor, class_name)
    bank = db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))
    assignment = Assignment(classroom=classroom, bank_id=bank.id, title=title, created_by=instructor.id)
    db.session.add(assignment)
    db.session.commit()
    return assignment


@pytest.fixture
def course(fixture_bank, instructor):
    """A class taught by the instructor, with an assignment over the fixture bank."""
    return class_assignment(instructor)


def enrolled(make_user, assignment):
    user = make_user()
    join_class(db.session, user, assignment.classroom.join_code)
    db.session.commit()
    return user


def given_for(item, right: bool):
    """An answer in the checkers' terms, right or wrong, for any auto-graded type."""
    data, qtype = item.revision.data, item.question.type
    if qtype == "single_choice":
        wrong = next(i for i in range(len(data["choices"])) if i not in data["correct"])
        return data["correct"][0] if right else wrong
    if qtype == "multiple_response":
        return sorted(data["correct"]) if right else []
    if qtype == "true_false":
        return data["answer"] if right else not data["answer"]
    if qtype == "numeric":
        return f"{data['answer']:g}" if right else "-1"
    if qtype == "short_text":
        return data["answers"][0] if right else "nothing like it"
    return [blank[0] if right else "nothing" for blank in data["blanks"]]


def test_not_open_yet_and_attempt_limit(course, make_user):
    student = enrolled(make_user, course)
    now = utcnow()
    course.opens_at = now + timedelta(hours=1)
    with pytest.raises(AttemptRefused, match="not open"):
        start_attempt(db.session, course, student, now)
    course.opens_at, course.attempt_limit = None, 1
    attempt = start_attempt(db.session, course, student, now)
    assert start_attempt(db.session, course, student, now) is attempt  # an open attempt is resumed
    submit_attempt(attempt, now)
    with pytest.raises(AttemptRefused, match="all your attempts"):
        start_attempt(db.session, course, student, now)


def test_time_limit_closes_the_attempt_on_the_server(course, make_user):
    course.time_limit_minutes = 10
    student = enrolled(make_user, course)
    started = utcnow()
    attempt = start_attempt(db.session, course, student, started)
    assert attempt.deadline_at == started + timedelta(minutes=10)
    assert answer_refusal(attempt, started + timedelta(minutes=10) + GRACE / 2) is None
    assert "handed in" in answer_refusal(attempt, started + timedelta(minutes=11))
    assert attempt.finished_at == attempt.deadline_at


def test_late_work_refused_or_marked(course, make_user):
    now = utcnow()
    course.due_at = now - timedelta(minutes=5)
    student = enrolled(make_user, course)
    with pytest.raises(AttemptRefused, match="due date"):
        start_attempt(db.session, course, student, now)
    course.late_policy = "mark"
    attempt = start_attempt(db.session, course, student, now)
    assert attempt.deadline_at is None
    submit_attempt(attempt, now)
    assert attempt.is_late


def test_feedback_policies(course, make_user):
    student = enrolled(make_user, course)
    now = utcnow()
    attempt = start_attempt(db.session, course, student, now)
    assert feedback_visible(attempt, now)  # "each"
    course.feedback_policy = "submit"
    assert not feedback_visible(attempt, now)
    course.feedback_policy, course.due_at, course.late_policy = "due", now + timedelta(days=1), "mark"
    submit_attempt(attempt, now)
    assert not feedback_visible(attempt, now)
    # Until the grace period is over, answers are still taken: the keys wait for it.
    assert not feedback_visible(attempt, course.due_at)
    assert not feedback_visible(attempt, course.due_at + GRACE)
    assert feedback_visible(attempt, course.due_at + GRACE + timedelta(seconds=1))


def test_no_attempt_starts_at_or_after_the_due_time_when_late_work_is_refused(course, make_user):
    now = utcnow()
    course.due_at, course.attempt_limit = now, 2
    student = enrolled(make_user, course)
    with pytest.raises(AttemptRefused, match="due date"):
        start_attempt(db.session, course, student, now)  # the grace period is for answers already on their way
    with pytest.raises(AttemptRefused, match="due date"):
        start_attempt(db.session, course, student, now + GRACE / 2)
    attempt = start_attempt(db.session, course, student, now - timedelta(seconds=1))
    assert answer_refusal(attempt, now + GRACE / 2) is None


@pytest.mark.parametrize(("setting", "attempts", "expected"), [
    ({}, 0, "start"),
    ({}, 1, "again"),
    ({"attempt_limit": 1}, 1, "used_up"),
    ({"opens_in": timedelta(hours=1)}, 0, "not_open"),
    ({"due_in": -timedelta(minutes=1)}, 0, "closed"),
    ({"due_in": -timedelta(minutes=1), "late_policy": "mark"}, 0, "start"),
])
def test_what_a_student_can_do_next(course, make_user, setting, attempts, expected):
    student = enrolled(make_user, course)
    now = utcnow()
    for _ in range(attempts):
        submit_attempt(start_attempt(db.session, course, student, now), now)
    course.attempt_limit = setting.get("attempt_limit")
    course.late_policy = setting.get("late_policy", "refuse")
    course.opens_at = now + setting["opens_in"] if "opens_in" in setting else None
    course.due_at = now + setting["due_in"] if "due_in" in setting else None
    (task,), _ = student_tasks(db.session, student, [course.classroom_id], now)
    assert task.step == expected and len(task.attempts) == attempts


def test_a_timed_attempt_left_open_is_handed_in_when_the_student_lists_their_work(course, make_user):
    course.time_limit_minutes = 5
    student = enrolled(make_user, course)
    started = utcnow() - timedelta(minutes=10)
    attempt = start_attempt(db.session, course, student, started)
    (task,), handed_in = student_tasks(db.session, student, [course.classroom_id], utcnow())
    assert attempt.finished_at == attempt.deadline_at and task.step == "again" and task.open_attempt is None
    assert handed_in


def test_a_timed_attempt_that_runs_past_the_due_time_is_late(course, make_user):
    started = utcnow() - timedelta(minutes=10)
    course.time_limit_minutes, course.late_policy, course.due_at = 5, "mark", started + timedelta(minutes=2)
    student = enrolled(make_user, course)
    attempt = start_attempt(db.session, course, student, started)
    db.session.commit()
    (score,) = attempt_scores(db.session, [course.id])
    assert score.finished_at == attempt.deadline_at and score.is_late  # counted before anyone came back
    assert close_if_expired(attempt, utcnow()) and attempt.is_late


def test_changing_the_time_limit_does_not_reopen_an_attempt_whose_time_ran_out(course, make_user):
    course.time_limit_minutes = 1
    student, other = enrolled(make_user, course), enrolled(make_user, course)
    now = utcnow()
    lapsed = start_attempt(db.session, course, student, now - timedelta(minutes=5))
    running = start_attempt(db.session, course, other, now - timedelta(seconds=20))
    course.time_limit_minutes = 30
    assert reschedule_open_attempts(db.session, course, now) == 1
    assert lapsed.finished_at == lapsed.deadline_at == lapsed.started_at + timedelta(minutes=1)
    assert running.finished_at is None and running.deadline_at == running.started_at + timedelta(minutes=30)


def test_an_attempt_under_way_goes_on_when_the_opening_moves_later(course, make_user):
    student = enrolled(make_user, course)
    now = utcnow()
    attempt = start_attempt(db.session, course, student, now)
    course.opens_at = now + timedelta(days=30)
    assert start_attempt(db.session, course, student, now) is attempt
    submit_attempt(attempt, now)
    with pytest.raises(AttemptRefused, match="not open"):
        start_attempt(db.session, course, student, now)


def hand_in(assignment: Assignment, student: User, right: list[bool]) -> QuizAttempt:
    """A handed-in attempt with the answers right or wrong in turn; questions past the list stay unanswered."""
    now = utcnow()
    attempt = start_attempt(db.session, assignment, student, now)
    for item, correct in zip(attempt.items, right, strict=False):
        submit_answer(db.session, item, given_for(item, correct))
    submit_attempt(attempt, now)
    db.session.commit()
    return attempt


def test_a_start_reads_the_assignment_afresh_after_an_edit_saved_meanwhile(course, make_user):
    course.time_limit_minutes = 30
    student = enrolled(make_user, course)
    db.session.commit()
    assert course.time_limit_minutes == 30  # loaded, as the start view has it
    with db.engine.begin() as other:  # the instructor's edit, saved by another request
        other.execute(update(Assignment).where(Assignment.id == course.id).values(time_limit_minutes=90))
    attempt = start_attempt(db.session, course, student, utcnow())
    assert attempt.deadline_at == attempt.started_at + timedelta(minutes=90)

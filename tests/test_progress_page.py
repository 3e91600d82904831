"""The progress page and its figures: held-back answers stay out of every count, cards of banks closed to practice
stay out of the forecast, Continue goes to the first open question, and whole scores read without a decimal."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.api.tokens import create_token
from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Question, User
from quizapp.models.types import utcnow
from quizapp.progress.stats import accuracy_by_topic as quiz_accuracy
from quizapp.progress.stats import most_missed, overall_accuracy
from quizapp.quiz.deadlines import submit_attempt
from quizapp.quiz.present import score_text
from quizapp.quiz.service import record_self_grade, start_quiz, submit_answer
from quizapp.srs.queue import due_count
from quizapp.srs.scheduling import AGAIN, GOOD
from quizapp.srs.stats import accuracy_by_topic, due_forecast
from tests.test_classroom_rules import given_for
from tests.test_practice_closed import close
from tests.test_srs import review


def fixture_bank_row() -> Bank:
    return db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))


def question_of(qtype: str) -> Question:
    return db.session.scalar(select(Question).where(Question.type == qtype).order_by(Question.id))


def every_count(student: User) -> dict[str, object]:
    """What each figure over quiz answers says about the student."""
    return {"chart": [(r.label, r.total, r.passed) for r in accuracy_by_topic(db.session, student)],
            "table": [(a.label, a.answered, a.correct) for a in quiz_accuracy(db.session, student.id)],
            "overall": overall_accuracy(db.session, student.id).answered,
            "missed": len(most_missed(db.session, student.id))}


@pytest.mark.parametrize("policy", ["submit", "due"])
def test_answers_whose_feedback_waits_count_nowhere_until_it_is_due(logged_in, student, instructor, fixture_bank,
                                                                     policy):
    classroom = create_class(db.session, instructor, "Civics")
    join_class(db.session, student, classroom.join_code)
    right, wrong = question_of("single_choice"), question_of("numeric")  # Parliament, Economy and trade
    assignment = Assignment(classroom=classroom, bank_id=fixture_bank_row().id, title="Week 1",
                            selection="questions", question_ids=[right.id, wrong.id], feedback_policy=policy,
                            late_policy="mark", due_at=utcnow() + timedelta(days=1) if policy == "due" else None)
    db.session.add(assignment)
    db.session.commit()
    attempt = start_attempt(db.session, assignment, student, utcnow())
    for item in attempt.items:
        submit_answer(db.session, item, given_for(item, item.question_id == right.id), replace=True)
    db.session.commit()
    _token, secret = create_token(db.session, student, "script")
    db.session.commit()

    nothing = {"chart": [], "table": [], "overall": 0, "missed": 0}
    assert every_count(student) == nothing
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert "Parliament" not in page and "Economy and trade" not in page and "No study history yet" in page
    api = logged_in.get("/api/v1/me/progress", headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert api["topics"] == [] and api["quizzes"]["answered"] == 0

    submit_attempt(attempt, utcnow())
    db.session.commit()
    if policy == "due":
        assert every_count(student) == nothing  # handed in, but the key waits for the due date
        assignment.due_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    counted = every_count(student)
    assert counted["chart"] == [("Economy and trade", 1, 0), ("Parliament", 1, 1)]
    assert counted["overall"] == 2 and counted["missed"] == 1
    assert "Parliament: 100.0% of 1 answer." in logged_in.get("/progress/").get_data(as_text=True)


@pytest.mark.parametrize("closing", ["unpublished", "closed to practice"])
def test_the_forecast_counts_only_cards_that_can_be_studied(logged_in, student, fixture_bank, closing):
    now = datetime.now(UTC)  # the page reads the clock
    first, second, third = db.session.scalars(select(Question).order_by(Question.id)).all()[:3]
    review(student, first, AGAIN, now - timedelta(days=2))   # overdue
    review(student, second, GOOD, now)                       # due later today
    for day in (0, 1, 4):
        review(student, third, GOOD, now + timedelta(days=day))  # due in days, once learned
    assert sum(d.count for d in due_forecast(db.session, student, now)) == 3
    assert due_count(db.session, student, now) == 1
    close(closing)
    assert due_count(db.session, student, now) == 0
    assert [d.count for d in due_forecast(db.session, student, now)] == [0] * 30
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert "0 cards due today (overdue included), 0 cards over the next 30 days." in page


def past_quiz_link(page: str, attempt_id: int) -> str:
    """Where the Past quizzes table sends the student for one attempt."""
    found = re.search(rf'<a href="(/quiz/{attempt_id}/[^"]*)">(Continue|Results)</a>', page)
    assert found, page
    return found.group(1)


def test_continue_goes_to_the_first_question_left_open(logged_in, student, fixture_bank):
    attempt = start_quiz(db.session, student, fixture_bank_row(), "Parliament", 3, random.Random(0))
    items = sorted(attempt.items, key=lambda item: item.position)
    gradable = [item for item in items if item.question.type != "flashcard"]
    card = next(item for item in items if item.question.type == "flashcard")
    submit_answer(db.session, items[1], None if items[1].question.type == "flashcard" else given_for(items[1], True))
    db.session.commit()
    assert past_quiz_link(logged_in.get("/progress/").get_data(as_text=True), attempt.id) == f"/quiz/{attempt.id}/q/1"
    for item in gradable:
        if item.response is None:
            submit_answer(db.session, item, given_for(item, True))
    if card.response is None:
        submit_answer(db.session, card, None)  # revealed, but waiting for its self-grade
    db.session.commit()
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert past_quiz_link(page, attempt.id) == f"/quiz/{attempt.id}/q/{card.position}"


def test_whole_scores_read_without_a_decimal_and_fractions_keep_theirs(logged_in, student, fixture_bank):
    assert [score_text(v) for v in (2.0, 0.0, 1.5, 4 / 3, 10.0, 2.25)] == ["2", "0", "1.5", "1.33", "10", "2.25"]
    attempt = start_quiz(db.session, student, fixture_bank_row(), "Parliament", 3, random.Random(0))
    for item in attempt.items:
        if item.question.type == "flashcard":
            submit_answer(db.session, item, None)
            record_self_grade(db.session, item, knew=False)
        else:
            submit_answer(db.session, item, given_for(item, True))
    db.session.commit()
    results = logged_in.get(f"/quiz/{attempt.id}/results").get_data(as_text=True)
    assert "<strong>2 / 3</strong>" in results and "2.0" not in results
    progress = logged_in.get("/progress/").get_data(as_text=True)
    assert '<td data-label="Score">2 / 3</td>' in progress and "2.0 / 3" not in progress


def test_retention_over_one_review_reads_in_the_singular(logged_in, student, fixture_bank):
    now = datetime.now(UTC)  # the page reads the clock
    question = db.session.scalars(select(Question).order_by(Question.id)).first()
    review(student, question, GOOD, now - timedelta(days=40))  # learned long ago: out of the 30 days
    review(student, question, GOOD, now - timedelta(days=35))
    review(student, question, GOOD, now - timedelta(hours=1))  # the one review of a card in review
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert "retention on review cards over the last 30 days (1 review)" in page


def test_quizzes_begun_without_an_answer_show_no_zero_percent(logged_in, student, fixture_bank):
    start_quiz(db.session, student, fixture_bank_row(), "Parliament", 3, random.Random(0))
    db.session.commit()
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert "Past quizzes" in page and "No answers counted yet" in page
    assert "0.0%" not in page and "over 0 answers" not in page and "Accuracy per topic" not in page


def test_a_flashcard_shown_but_not_yet_self_graded_is_not_counted_as_answered(logged_in, student, fixture_bank):
    attempt = start_quiz(db.session, student, fixture_bank_row(), "Parliament", 3, random.Random(0))
    card = next(item for item in attempt.items if item.question.type == "flashcard")
    for item in attempt.items:
        submit_answer(db.session, item, None if item is card else given_for(item, True))
    db.session.commit()
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert '<td data-label="Answered">2 / 3</td><td data-label="Score">2 / 3</td>' in page  # answered, then the score
    assert past_quiz_link(page, attempt.id) == f"/quiz/{attempt.id}/q/{card.position}"
    record_self_grade(db.session, card, knew=True)
    db.session.commit()
    assert '<td data-label="Answered">3 / 3</td><td data-label="Score">3 / 3</td>' in logged_in.get(
        "/progress/").get_data(as_text=True)


def test_an_assignment_attempt_answered_but_not_handed_in_asks_to_be_handed_in(logged_in, student, instructor,
                                                                                 fixture_bank):
    classroom = create_class(db.session, instructor, "Civics")
    join_class(db.session, student, classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=fixture_bank_row().id, title="Week 1",
                            selection="questions", question_ids=[question_of("single_choice").id],
                            feedback_policy="submit", late_policy="mark")
    db.session.add(assignment)
    db.session.commit()
    attempt = start_attempt(db.session, assignment, student, utcnow())
    submit_answer(db.session, attempt.items[0], given_for(attempt.items[0], True), replace=True)
    db.session.commit()
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert f'<a href="/quiz/{attempt.id}/hand-in">Hand in</a>' in page and ">Results</a>" not in page
    submit_attempt(attempt, utcnow())
    db.session.commit()
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert past_quiz_link(page, attempt.id) == f"/quiz/{attempt.id}/results"


def quiz_answering(student: User, right: dict[int, bool]) -> None:
    """A practice quiz over the whole fixture bank answering the given questions, right or wrong, and no other."""
    attempt = start_quiz(db.session, student, fixture_bank_row(), None, 100, random.Random(0))
    for item in attempt.items:
        if item.question_id in right:
            submit_answer(db.session, item, given_for(item, right[item.question_id]))
    db.session.commit()


def test_between_equal_misses_a_question_never_got_right_comes_before_one_got_right_since(logged_in, student,
                                                                                           fixture_bank):
    since_right, never_right = sorted([question_of("single_choice").id, question_of("numeric").id])
    quiz_answering(student, {since_right: False, never_right: False})
    quiz_answering(student, {since_right: True})
    missed = most_missed(db.session, student.id)
    assert [(m.question.id, m.misses, m.answered) for m in missed] == [(never_right, 1, 1), (since_right, 1, 2)]
    assert [m.question.id for m in most_missed(db.session, student.id, limit=1)] == [never_right]
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert page.index("missed 1 of 1") < page.index("missed 1 of 2")


def test_past_quizzes_name_an_assignment_attempt_by_its_assignment(logged_in, student, instructor, fixture_bank):
    classroom = create_class(db.session, instructor, "Civics")
    join_class(db.session, student, classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=fixture_bank_row().id, title="Week 1 <parliament>",
                            selection="topics", topics=["Parliament"], draw_count=1, late_policy="mark")
    db.session.add(assignment)
    db.session.commit()
    start_attempt(db.session, assignment, student, utcnow())
    db.session.commit()
    page = logged_in.get("/progress/").get_data(as_text=True)
    assert '<td data-label="Topic">Assignment: Week 1 &lt;parliament&gt;</td>' in page and "All topics" not in page


def test_past_quizzes_say_when_only_the_latest_are_listed(logged_in, student, fixture_bank, monkeypatch):
    import quizapp.progress.routes

    monkeypatch.setattr(quizapp.progress.routes, "RECENT_ATTEMPTS", 3)
    for count in range(4):
        start_quiz(db.session, student, fixture_bank_row(), "Parliament", 1, random.Random(count))
        db.session.commit()
        page = logged_in.get("/progress/").get_data(as_text=True)
        rows = len(re.findall(r'<a href="/quiz/\d+/(?:q/\d+|results)"', page.split('id="attempts-heading"')[1]))
        assert rows == min(count + 1, 3)
        assert ("Your latest 3 quizzes, latest first." in page) is (count + 1 >= 3)


def test_each_region_of_the_page_has_a_name_of_its_own(logged_in, student, fixture_bank):
    """A screen reader lists the page's regions by name: the Past quizzes table is not a second "Past quizzes"."""
    start_quiz(db.session, student, fixture_bank_row(), "Parliament", 3, random.Random(0))
    db.session.commit()
    page = logged_in.get("/progress/").get_data(as_text=True)
    # Sections and role="region" boxes are regions; a named picture (the topics chart as a phone draws it) is not.
    tags = re.findall(r'<(?:section|div)\b[^>]*>', page)
    ids = [re.search(r'aria-labelledby="([^"]+)"', tag).group(1) for tag in tags
           if "aria-labelledby=" in tag and (tag.startswith("<section") or 'role="region"' in tag)]
    names = [re.sub(r"<[^>]+>", "", re.search(rf'id="{name}"[^>]*>(.*?)</', page, re.S).group(1)).strip()
             for name in ids]
    assert "Past quizzes" in names and len(names) == len(set(names)), names

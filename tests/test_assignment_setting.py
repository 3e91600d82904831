"""Setting, editing and deleting an assignment: selections too small, the banks offered, titles, and new dates."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from quizapp.extensions import db
from quizapp.models import Assignment, Question, QuizAttempt, QuizItem
from quizapp.models.types import utcnow
from tests.test_classroom_edges import (
    FORM,
    enrolled_client,
    set_assignment,
    set_assignment_at,
    teaching,  # noqa: F401 - fixture
)
from tests.test_classroom_flow import post_form, start


def test_a_selection_without_gradable_questions_is_refused(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    db.session.execute(update(Question).where(Question.type != "flashcard").values(retired_at=utcnow()))
    db.session.commit()
    response = set_assignment(client, classroom, bank_id)
    assert response.status_code == 422
    assert "holds no questions that can be graded automatically" in response.get_data(as_text=True)


def test_drawing_more_questions_than_the_selection_holds_is_refused(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    parliament = len(db.session.scalars(select(Question).where(
        Question.topic == "Parliament", Question.type != "flashcard")).all())
    response = set_assignment(client, classroom, bank_id, selection="topics", topics="Parliament",
                              draw_count=str(parliament + 1))
    assert response.status_code == 422
    assert f"Only {parliament} questions match this selection" in response.get_data(as_text=True)
    assert set_assignment(client, classroom, bank_id, selection="topics", topics="Parliament",
                          draw_count=str(parliament)).status_code == 302


def test_editing_an_assignment_shows_its_settings_and_moves_open_deadlines(app, teaching, instructor, make_user):  # noqa: F811
    client, classroom, bank_id = teaching
    instructor.timezone = "Asia/Almaty"
    db.session.commit()
    assert set_assignment(client, classroom, bank_id, due_at="2999-01-01T10:00", time_limit_minutes="30",
                          late_policy="refuse").status_code == 302
    assignment = db.session.scalar(select(Assignment))
    student_client, _ = enrolled_client(app, make_user, classroom)
    start(student_client, assignment)
    attempt = db.session.scalar(select(QuizAttempt))
    url = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2999-01-01T10:00"' in page and 'value="Week 1"' in page and "1 student has started it" in page
    detail = client.get(f"/classes/{classroom.id}/assignments/{assignment.id}").get_data(as_text=True)
    assert "1 student has started it." in detail
    assert set_assignment_at(client, url, bank_id, title="", time_limit_minutes="30").status_code == 422
    saved = set_assignment_at(client, url, bank_id, title="Week 1, again", time_limit_minutes="90",
                              due_at="2999-01-01T10:00")
    assert saved.status_code == 302
    db.session.refresh(assignment)
    db.session.refresh(attempt)
    assert assignment.title == "Week 1, again" and assignment.due_at == datetime(2999, 1, 1, 5, 0, tzinfo=UTC)
    assert attempt.deadline_at == attempt.started_at + timedelta(minutes=90)


def test_moving_the_due_date_marks_handed_in_work_late_or_on_time_by_the_new_one(app, teaching, make_user):  # noqa: F811
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, due_at="2001-01-01T10:00", late_policy="mark").status_code == 302
    assignment = db.session.scalar(select(Assignment))
    student_client, _ = enrolled_client(app, make_user, classroom)
    start(student_client, assignment)
    attempt = db.session.scalar(select(QuizAttempt))
    hand_in = f"/quiz/{attempt.id}/hand-in"
    assert post_form(student_client, hand_in, hand_in, {}).status_code == 302
    results = f"/quiz/{attempt.id}/results"
    assert "attempt 1 (late)" in student_client.get(results).get_data(as_text=True)
    url = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
    # An extension for everyone: work handed in before the new due date is on time.
    assert set_assignment_at(client, url, bank_id, due_at="2999-01-01T10:00", late_policy="mark").status_code == 302
    assert 'class="late"' not in client.get(f"/classes/{classroom.id}/gradebook").get_data(as_text=True)
    grades = client.get(f"/classes/{classroom.id}/grades.csv").get_data(as_text=True)
    assert grades.splitlines()[1].endswith(",no,active,handed_in")  # late: no; account and status come last
    assert "(late)" not in student_client.get(results).get_data(as_text=True)
    # Set back, it is late again.
    assert set_assignment_at(client, url, bank_id, due_at="2001-01-01T10:00", late_policy="mark").status_code == 302
    assert 'class="late"' in client.get(f"/classes/{classroom.id}/gradebook").get_data(as_text=True)


def test_deleting_an_assignment_asks_first_and_takes_its_attempts(app, teaching, make_user):  # noqa: F811
    client, classroom, bank_id = teaching
    for title in ("Keep", "Drop"):
        assert set_assignment(client, classroom, bank_id, title=title).status_code == 302
    keep, drop = (db.session.scalar(select(Assignment).where(Assignment.title == t)) for t in ("Keep", "Drop"))
    student_client, _ = enrolled_client(app, make_user, classroom)
    start(student_client, keep)
    start(student_client, drop)
    url = f"/classes/{classroom.id}/assignments/{drop.id}/delete"
    page = client.get(url).get_data(as_text=True)
    assert "1 student has made 1" in " ".join(page.split()) and db.session.get(Assignment, drop.id) is not None
    response = post_form(client, url, url, {})
    assert response.status_code == 302 and response.location.endswith(f"/classes/{classroom.id}")
    db.session.expire_all()
    assert db.session.get(Assignment, drop.id) is None
    assert [a.assignment_id for a in db.session.scalars(select(QuizAttempt))] == [keep.id]
    assert db.session.scalar(select(func.count()).select_from(QuizItem).join(QuizAttempt).where(
        QuizAttempt.assignment_id == keep.id)) == db.session.scalar(select(func.count()).select_from(QuizItem))


def test_a_bank_without_tags_offers_no_selection_by_tags(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    db.session.execute(update(Question).values(tags=[]))
    db.session.commit()
    page = client.get(f"/classes/{classroom.id}/assignments/new?bank={bank_id}").get_data(as_text=True)
    assert "Some topics" in page and "Some tags" not in page
    response = set_assignment(client, classroom, bank_id, selection="tags")
    assert response.status_code == 422 and 'id="selection-error"' in response.get_data(as_text=True)


def test_an_assignment_form_sent_twice_sets_one_assignment(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id).status_code == 302
    again = set_assignment(client, classroom, bank_id, title=" week 1 ")
    assert again.status_code == 422
    assert "already has an assignment named “Week 1” (perhaps this form was sent twice)" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 1
    assert set_assignment(client, classroom, bank_id, title="Week 2").status_code == 302
    second = db.session.scalar(select(Assignment).where(Assignment.title == "Week 2"))
    edit = f"/classes/{classroom.id}/assignments/{second.id}/edit"
    renamed = post_form(client, edit, edit, {**FORM, "bank": str(bank_id), "title": "WEEK 1"})
    assert renamed.status_code == 422 and "already has an assignment named" in renamed.get_data(as_text=True)
    kept = post_form(client, edit, edit, {**FORM, "bank": str(bank_id), "title": "Week 2"})
    assert kept.status_code == 302  # its own title is no clash


def test_an_assignment_title_differing_only_in_case_is_refused_in_any_script(teaching):  # noqa: F811
    # Though SQL lower() folds only A to Z on SQLite, as on a PostgreSQL cluster of the C locale.
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, title="Неделя 1").status_code == 302
    again = set_assignment(client, classroom, bank_id, title="НЕДЕЛЯ 1")
    assert again.status_code == 422 and "already has an assignment named “Неделя 1”" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 1


def test_a_bank_without_gradable_questions_is_not_offered_for_an_assignment(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    url = f"/classes/{classroom.id}/assignments/new"
    page = client.get(url).get_data(as_text=True)
    graded = db.session.scalar(select(func.count()).select_from(Question).where(
        Question.bank_id == bank_id, Question.type != "flashcard", Question.retired_at.is_(None)))
    assert f"{url}?bank={bank_id}" in page and f"({graded} questions" in page

    db.session.execute(update(Question).where(Question.type != "flashcard").values(retired_at=utcnow()))
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert f"{url}?bank={bank_id}" not in page and "no questions an assignment can grade" in page


def test_a_long_question_is_offered_by_its_first_whole_words(teaching):  # noqa: F811
    from quizapp.models import QuestionRevision
    from quizapp.models.content import is_current_revision

    client, classroom, bank_id = teaching
    prompt = ("Which body did the amendments of June 2022 give the power to confirm the heads of the regions "
              "that the president appoints?")
    revision = db.session.scalar(select(QuestionRevision).join(Question, is_current_revision())
                                 .where(Question.bank_id == bank_id, Question.type == "single_choice"))
    revision.data = {**revision.data, "prompt": prompt}
    db.session.commit()
    page = client.get(f"/classes/{classroom.id}/assignments/new?bank={bank_id}").get_data(as_text=True)
    label = next(text for text in re.findall(r'<label for="questions-\d+">([^<]*)</label>', page)
                 if "amendments of June" in text)
    words = html.unescape(label).split(": ", 1)[1]
    assert words.endswith("…") and len(words) <= 91, words
    shown = words.removesuffix("…")
    assert prompt.startswith(shown) and prompt[len(shown)] == " ", f"a word is cut in two: {words!r}"


def test_a_link_to_set_an_assignment_from_a_bank_of_flashcards_only_goes_back_to_the_banks(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    db.session.execute(update(Question).where(Question.type != "flashcard").values(retired_at=utcnow()))
    db.session.commit()
    page = client.get(f"/classes/{classroom.id}/assignments/new?bank={bank_id}", follow_redirects=True)
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 200 and "First choose the bank its questions come from." in text
    assert "has no questions an assignment can grade (only flashcards, or none): choose another bank." in text
    assert 'name="draw_count"' not in text


def test_banks_of_the_same_title_are_told_apart_by_their_ids_when_setting_an_assignment(teaching, instructor):  # noqa: F811
    from quizapp.authoring.uploads import load_upload
    from tests.conftest import QUESTIONS
    from tests.test_uploads import GOOD_BANK

    client, classroom, _bank_id = teaching
    for slug in ("civics-a", "civics-b"):
        outcome = load_upload(db.session, instructor, f"{slug}.yaml", GOOD_BANK.replace("civics-extra", slug).encode(),
                              QUESTIONS)
        assert outcome.ok, outcome.problems
    db.session.commit()
    page = html.unescape(client.get(f"/classes/{classroom.id}/assignments/new").get_data(as_text=True))
    assert "id <code>civics-a</code>" in page and "id <code>civics-b</code>" in page
    assert "id <code>referendum-2022</code>" not in page  # a title of its own needs no id


def test_the_feedback_choice_warns_that_keys_seen_help_with_the_next_attempt(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    page = client.get(f"/classes/{classroom.id}/assignments/new?bank={bank_id}").get_data(as_text=True)
    fieldset = re.search(r'<fieldset[^>]*aria-describedby="feedback_policy-hint"[^>]*>\s*<legend>Students see keys',
                         page)
    assert fieldset is not None
    assert ('id="feedback_policy-hint">Every attempt asks a student the same questions: with more than one attempt '
            "allowed, keys seen before the due date help with the next one.</p>") in page
    # A refused field is described by its error and, where it has one, its hint.
    refused = set_assignment(client, classroom, bank_id, feedback_policy="never").get_data(as_text=True)
    assert 'aria-describedby="feedback_policy-error feedback_policy-hint"' in refused


@pytest.mark.parametrize(("field", "typed", "said"), [
    ("draw_count", "0", "Draw between 1 and 500 questions, or leave this empty for every selected question."),
    ("attempt_limit", "101", "Allow between 1 and 100 attempts, or leave this empty for no limit."),
    ("time_limit_minutes", "601", "Give between 1 and 600 minutes, or leave this empty for no time limit."),
    ("time_limit_minutes", "1.5", "Type a whole number in figures, such as 10."),
])
def test_a_number_out_of_range_says_what_may_be_given(teaching, field, typed, said):  # noqa: F811
    client, classroom, bank_id = teaching
    refused = set_assignment(client, classroom, bank_id, **{field: typed})
    assert refused.status_code == 422 and said in refused.get_data(as_text=True)

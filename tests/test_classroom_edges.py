"""The edges of running a class: selections too small, closed assignments, lapsed attempts,
instructors meeting their own class, and what the exports and searches send back."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, Question, QuizAttempt, QuizItem, Response, Role, User
from quizapp.models.types import utcnow
from tests.conftest import csrf_from, login
from tests.test_classroom_flow import create_class, fixture_bank_id, join, post_form, start
from tests.test_coteaching import accept_invitations

FORM = {"title": "Week 1", "selection": "all", "shuffle_choices": "y", "feedback_policy": "each",
        "late_policy": "refuse", "grading": "best"}


@pytest.fixture
def teaching(app, instructor, fixture_bank) -> tuple[FlaskClient, Classroom, int]:
    """An instructor's client, their class, and the fixture bank's id."""
    client = app.test_client()
    login(client, instructor.email)
    return client, create_class(client), fixture_bank_id(client)


def set_assignment(client: FlaskClient, classroom: Classroom, bank_id: int, **fields):
    url = f"/classes/{classroom.id}/assignments/new?bank={bank_id}"
    return post_form(client, url, url, {**FORM, "bank": str(bank_id), **fields})


def enrolled_client(app, make_user, classroom: Classroom) -> tuple[FlaskClient, User]:
    student = make_user()
    client = app.test_client()
    login(client, student.email)
    assert join(client, classroom.join_code).status_code == 302
    return client, student


def test_a_selection_without_gradable_questions_is_refused(teaching):
    client, classroom, bank_id = teaching
    db.session.execute(update(Question).where(Question.type != "flashcard").values(retired_at=utcnow()))
    db.session.commit()
    response = set_assignment(client, classroom, bank_id)
    assert response.status_code == 422
    assert "holds no questions that can be graded automatically" in response.get_data(as_text=True)


def test_drawing_more_questions_than_the_selection_holds_is_refused(teaching):
    client, classroom, bank_id = teaching
    parliament = len(db.session.scalars(select(Question).where(
        Question.topic == "Parliament", Question.type != "flashcard")).all())
    response = set_assignment(client, classroom, bank_id, selection="topics", topics="Parliament",
                              draw_count=str(parliament + 1))
    assert response.status_code == 422
    assert f"Only {parliament} questions match this selection" in response.get_data(as_text=True)
    assert set_assignment(client, classroom, bank_id, selection="topics", topics="Parliament",
                          draw_count=str(parliament)).status_code == 302


def test_an_instructor_typing_their_own_class_code_is_sent_to_the_class(teaching):
    client, classroom, _ = teaching
    response = join(client, classroom.join_code)
    assert response.status_code == 302 and response.location.endswith(f"/classes/{classroom.id}")
    assert f"You already teach “{classroom.name}”" in client.get(response.location).get_data(as_text=True)


def test_inviting_an_instructor_who_already_teaches_or_is_invited_says_so(app, teaching, instructor, make_user):
    client, classroom, _ = teaching
    page = f"/classes/{classroom.id}"
    action = f"/classes/{classroom.id}/instructors"
    itself = post_form(client, page, action, {"email": instructor.email})
    assert itself.status_code == 422 and "You already teach this class." in itself.get_data(as_text=True)
    colleague = make_user(Role.INSTRUCTOR)
    assert post_form(client, page, action, {"email": colleague.email}).status_code == 302
    again = post_form(client, page, action, {"email": colleague.email})
    assert again.status_code == 422 and f"{colleague.display_name} is invited already" in again.get_data(as_text=True)
    other = app.test_client()
    login(other, colleague.email)
    accept_invitations(other, colleague)
    again = post_form(client, page, action, {"email": colleague.email})
    assert again.status_code == 422 and f"{colleague.display_name} already teaches" in again.get_data(as_text=True)


def test_students_see_closed_and_unopened_assignments_without_a_start_button(app, teaching, make_user):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, title="Open one").status_code == 302
    assert set_assignment(client, classroom, bank_id, title="Later one",
                          opens_at="2999-01-01T00:00").status_code == 302
    assert set_assignment(client, classroom, bank_id, title="Past one").status_code == 302
    past = db.session.scalar(select(Assignment).where(Assignment.title == "Past one"))
    past.due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    student, _ = enrolled_client(app, make_user, classroom)
    page = student.get(f"/classes/{classroom.id}/work").get_data(as_text=True)
    assert page.index("Open one") < page.index("Later one") < page.index("Past one")
    assert page.count("/start") == 1
    assert "Not open yet" in page and "Missed: the due date passed before you started it." in page


def test_a_timed_attempt_left_open_counts_once_its_time_is_up(app, teaching, make_user):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, time_limit_minutes="5").status_code == 302
    assignment = db.session.scalar(select(Assignment))
    student_client, student = enrolled_client(app, make_user, classroom)
    start(student_client, assignment)
    attempt = db.session.scalar(select(QuizAttempt))
    book = client.get(f"/classes/{classroom.id}/gradebook").get_data(as_text=True)
    assert "in progress" in book
    attempt.started_at -= timedelta(minutes=10)
    attempt.deadline_at -= timedelta(minutes=10)
    db.session.commit()
    book = client.get(f"/classes/{classroom.id}/gradebook").get_data(as_text=True)
    assert "in progress" not in book and "0.0%" in book
    grades = client.get(f"/classes/{classroom.id}/grades.csv").get_data(as_text=True)
    assert ",0.0," in grades.splitlines()[1] + ","
    detail = client.get(f"/classes/{classroom.id}/attempts/{attempt.id}").get_data(as_text=True)
    assert "handed in" in detail
    db.session.refresh(attempt)
    assert attempt.finished_at == attempt.deadline_at


def test_an_unanswered_question_of_a_handed_in_attempt_goes_to_the_results(app, teaching, make_user):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, time_limit_minutes="5").status_code == 302
    student_client, _ = enrolled_client(app, make_user, classroom)
    start(student_client, db.session.scalar(select(Assignment)))
    attempt = db.session.scalar(select(QuizAttempt))
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = student_client.get(f"/quiz/{attempt.id}/q/1")
    assert page.status_code == 302 and page.location.endswith(f"/quiz/{attempt.id}/results")
    again = student_client.get(f"/quiz/{attempt.id}/q/2")
    assert again.status_code == 302 and again.location.endswith(f"/quiz/{attempt.id}/results")
    posted = post_form(student_client, f"/quiz/{attempt.id}/results", f"/quiz/{attempt.id}/q/2", {"answer": "0"},
                       follow_redirects=True)
    assert "can no longer change" in posted.get_data(as_text=True)


def test_csv_downloads_name_their_charset_once(teaching):
    client, classroom, _ = teaching
    for name in ("grades", "responses"):
        response = client.get(f"/classes/{classroom.id}/{name}.csv")
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("needle", ["%", "_"])
def test_user_search_takes_wildcards_literally(app, make_user, needle):
    admin = make_user(Role.ADMIN)
    make_user(email="plain@example.org")
    odd = make_user(email=f"odd{needle}one@example.org")
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/admin/users", query_string={"q": needle}).get_data(as_text=True)
    assert odd.email in page and "plain@example.org" not in page and admin.email not in page


def test_editing_an_assignment_shows_its_settings_and_moves_open_deadlines(app, teaching, instructor, make_user):
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


def set_assignment_at(client: FlaskClient, url: str, bank_id: int, **fields):
    return post_form(client, url, url, {**FORM, "bank": str(bank_id), **fields})


def test_moving_the_due_date_marks_handed_in_work_late_or_on_time_by_the_new_one(app, teaching, make_user):
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
    assert grades.splitlines()[1].endswith(",no,active")  # late: no; the account column comes last
    assert "(late)" not in student_client.get(results).get_data(as_text=True)
    # Set back, it is late again.
    assert set_assignment_at(client, url, bank_id, due_at="2001-01-01T10:00", late_policy="mark").status_code == 302
    assert 'class="late"' in client.get(f"/classes/{classroom.id}/gradebook").get_data(as_text=True)


def test_deleting_an_assignment_asks_first_and_takes_its_attempts(app, teaching, make_user):
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


def test_renaming_a_class(teaching):
    client, classroom, _ = teaching
    page, action = f"/classes/{classroom.id}", f"/classes/{classroom.id}/name"
    assert f'value="{classroom.name}"' in client.get(page).get_data(as_text=True)
    blank = post_form(client, page, action, {"name": "   "})
    assert blank.status_code == 422 and "Give the class a name." in blank.get_data(as_text=True)
    assert post_form(client, page, action, {"name": "  History 10B "}).status_code == 302
    db.session.refresh(classroom)
    assert classroom.name == "History 10B"


def test_instructors_leave_or_are_taken_off_but_one_always_stays(app, teaching, instructor, make_user):
    client, classroom, _ = teaching
    page = f"/classes/{classroom.id}"
    alone = post_form(client, page, f"{page}/instructors/{instructor.id}/remove", {}, follow_redirects=True)
    assert "at least one instructor" in alone.get_data(as_text=True)
    colleague = make_user(Role.INSTRUCTOR)
    assert post_form(client, page, f"{page}/instructors", {"email": colleague.email}).status_code == 302
    other = app.test_client()
    login(other, colleague.email)
    accept_invitations(other, colleague)
    assert "Leave this class" in client.get(page).get_data(as_text=True)
    # Both leaving and taking a colleague off ask first, saying what it means; asking changes nothing.
    asked = other.get(f"{page}/instructors/{instructor.id}/remove").get_data(as_text=True)
    assert f"Stop {instructor.display_name} teaching" in asked and "invite them again by their email" in asked
    leave = other.get(f"{page}/instructors/{colleague.id}/remove").get_data(as_text=True)
    assert "Leave “" in leave and "one of them can invite you again" in leave
    assert client.get(page).status_code == 200
    taken_off = post_form(other, page, f"{page}/instructors/{instructor.id}/remove", {})
    assert taken_off.status_code == 302 and client.get(page).status_code == 404
    left = post_form(other, page, f"{page}/instructors/{colleague.id}/remove", {}, follow_redirects=True)
    assert "at least one instructor" in left.get_data(as_text=True) and other.get(page).status_code == 200
    stranger = make_user()
    assert post_form(other, page, f"{page}/instructors/{stranger.id}/remove", {}).status_code == 404


def test_an_instructor_made_a_student_does_not_count_as_the_one_who_stays(app, teaching, instructor, make_user):
    client, classroom, _ = teaching
    page = f"/classes/{classroom.id}"
    colleague = make_user(Role.INSTRUCTOR)
    assert post_form(client, page, f"{page}/instructors", {"email": colleague.email}).status_code == 302
    other = app.test_client()
    login(other, colleague.email)
    accept_invitations(other, colleague)
    colleague.role = Role.STUDENT.value  # an admin took their instructor rights away
    db.session.commit()
    refused = post_form(client, page, f"{page}/instructors/{instructor.id}/remove", {}, follow_redirects=True)
    assert "at least one instructor" in refused.get_data(as_text=True) and client.get(page).status_code == 200
    assert post_form(client, page, f"{page}/instructors/{colleague.id}/remove", {}).status_code == 302


def test_deleting_a_class_asks_first_and_takes_its_assignments_and_attempts(app, teaching, instructor, make_user):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id).status_code == 302
    student_client, student = enrolled_client(app, make_user, classroom)
    start(student_client, db.session.scalar(select(Assignment)))
    practice = post_form(student_client, "/", f"/quiz/start/{bank_id}", {f"bank{bank_id}-length": "2"})
    assert practice.status_code == 302
    url = f"/classes/{classroom.id}/delete"
    page = " ".join(client.get(url).get_data(as_text=True).split())
    assert "1 student and 1 assignment, with 1 attempt at them" in page
    response = post_form(client, url, url, {})
    assert response.status_code == 302 and response.location.endswith("/classes/")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Classroom)) == 0
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0
    remaining = db.session.scalars(select(QuizAttempt)).all()
    assert [(a.user_id, a.assignment_id) for a in remaining] == [(student.id, None)]  # the practice quiz stays
    assert student_client.get(f"/classes/{classroom.id}/work").status_code == 404


@pytest.mark.parametrize("page", ["/classes/", "/classes/{classroom}/work"])
def test_the_students_class_pages_save_the_hand_in_of_an_attempt_whose_time_ran_out(app, teaching, make_user, page):
    client, classroom, bank_id = teaching
    for title in ("Timed", "Later"):  # the lapsed attempt is not the last assignment the page looks at
        assert set_assignment(client, classroom, bank_id, title=title, time_limit_minutes="5").status_code == 302
    student_client, _ = enrolled_client(app, make_user, classroom)
    start(student_client, db.session.scalar(select(Assignment).where(Assignment.title == "Timed")))
    attempt = db.session.scalar(select(QuizAttempt))
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert student_client.get(page.format(classroom=classroom.id)).status_code == 200
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).finished_at == attempt.deadline_at


def test_a_bank_without_tags_offers_no_selection_by_tags(teaching):
    client, classroom, bank_id = teaching
    db.session.execute(update(Question).values(tags=[]))
    db.session.commit()
    page = client.get(f"/classes/{classroom.id}/assignments/new?bank={bank_id}").get_data(as_text=True)
    assert "Some topics" in page and "Some tags" not in page
    response = set_assignment(client, classroom, bank_id, selection="tags")
    assert response.status_code == 422 and 'id="selection-error"' in response.get_data(as_text=True)


def test_a_student_taken_off_the_roster_stops_answering_until_they_join_again(app, teaching, make_user):
    from tests.test_quiz_flow import right_answer_form

    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id).status_code == 302
    student_client, student = enrolled_client(app, make_user, classroom)
    start(student_client, db.session.scalar(select(Assignment)))
    attempt = db.session.scalar(select(QuizAttempt))
    item = next(i for i in attempt.items if i.question.type != "flashcard")
    url = f"/quiz/{attempt.id}/q/{item.position}"
    remove = f"/classes/{classroom.id}/students/{student.id}/remove"
    assert post_form(client, remove, remove, {}).status_code == 302

    refused = post_form(student_client, "/classes/", url, right_answer_form(item))  # from a tab left open
    assert refused.status_code == 302 and refused.headers["Location"] == "/classes/"
    landing = student_client.get("/classes/").get_data(as_text=True)
    assert "no longer a student of this class, so this attempt takes no more answers and cannot be handed in" in landing
    assert "join the class again to carry on" in landing
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    # Neither the question's form nor the hand-in is offered: sent, they would be refused, and a hand-in would
    # show the keys to someone no longer in the class.
    for page in (url, f"/quiz/{attempt.id}/hand-in", f"/quiz/{attempt.id}/results"):
        shown = student_client.get(page, follow_redirects=True)
        assert shown.request.path == "/classes/", page
        assert "no longer a student of this class" in shown.get_data(as_text=True)
    handed = student_client.post(f"/quiz/{attempt.id}/hand-in", data={"csrf_token": csrf_from(landing)})
    assert handed.status_code == 302 and handed.headers["Location"] == "/classes/"
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).finished_at is None

    assert join(student_client, classroom.join_code).status_code == 302
    assert post_form(student_client, url, url, right_answer_form(item)).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_an_assignment_form_sent_twice_sets_one_assignment(teaching):
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


def test_an_assignment_title_differing_only_in_case_is_refused_in_any_script(teaching):
    # Though SQL lower() folds only A to Z on SQLite, as on a PostgreSQL cluster of the C locale.
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, title="Неделя 1").status_code == 302
    again = set_assignment(client, classroom, bank_id, title="НЕДЕЛЯ 1")
    assert again.status_code == 422 and "already has an assignment named “Неделя 1”" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 1


def test_an_attempt_page_names_its_student_and_score_as_the_gradebook_does(app, teaching, make_user):
    from tests.test_classroom_flow import answer_all

    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, draw_count="2").status_code == 302
    student_client, student = enrolled_client(app, make_user, classroom)
    student.display_name = "Aigerim Sadykova"
    db.session.commit()
    start(student_client, db.session.scalar(select(Assignment)))
    attempt = db.session.scalar(select(QuizAttempt))
    answer_all(student_client, attempt)
    url = f"/classes/{classroom.id}/attempts/{attempt.id}"

    page = client.get(url).get_data(as_text=True)
    assert "Aigerim Sadykova: Week 1, attempt 1" in page and student.email in page
    assert "2 / 2</strong> (100.0%), so far" in page
    assert f"/classes/{classroom.id}/students/{student.id}" in page

    # Taken off the roster, their work stays readable, and the page no longer links to a page they left.
    remove = f"/classes/{classroom.id}/students/{student.id}/remove"
    assert post_form(client, remove, remove, {}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "(no longer in this class)" in page and f"/students/{student.id}\"" not in page


def test_a_bank_without_gradable_questions_is_not_offered_for_an_assignment(teaching):
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


def test_a_long_question_is_offered_by_its_first_whole_words(teaching):
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


def test_item_statistics_before_any_hand_in_point_to_the_gradebook(teaching):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id).status_code == 302
    assignment = db.session.scalar(select(Assignment).where(Assignment.classroom_id == classroom.id))
    page = client.get(f"/classes/{classroom.id}/assignments/{assignment.id}/statistics").get_data(as_text=True)
    assert "No handed-in attempts yet: the statistics start with the first one." in page
    assert f'<a href="/classes/{classroom.id}/gradebook">gradebook</a> shows who has started' in page


def test_a_link_to_set_an_assignment_from_a_bank_of_flashcards_only_goes_back_to_the_banks(teaching):
    client, classroom, bank_id = teaching
    db.session.execute(update(Question).where(Question.type != "flashcard").values(retired_at=utcnow()))
    db.session.commit()
    page = client.get(f"/classes/{classroom.id}/assignments/new?bank={bank_id}", follow_redirects=True)
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 200 and "First choose the bank its questions come from." in text
    assert "has no questions an assignment can grade (only flashcards, or none): choose another bank." in text
    assert 'name="draw_count"' not in text


def test_the_gradebook_tells_an_assignment_not_started_from_one_missed(teaching, app, make_user):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, title="Open").status_code == 302
    assert set_assignment(client, classroom, bank_id, title="Closed", due_at="2001-01-01T10:00",
                          late_policy="refuse").status_code == 302
    enrolled_client(app, make_user, classroom)
    page = client.get(f"/classes/{classroom.id}/gradebook").get_data(as_text=True)
    cells = re.findall(r"<td>(.*?)</td>", page, re.S)
    assert len(cells) == 2
    texts = {html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()[-1] for cell in cells}
    assert texts == {"missed", "started"}  # "— not started" for the open one, as a screen reader hears it


def test_banks_of_the_same_title_are_told_apart_by_their_ids_when_setting_an_assignment(teaching, instructor):
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

"""Classroom rules without HTTP: join codes, drawing, deadlines, attempt limits, grading policies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from quizapp.classroom.assignments import (
    AttemptRefused,
    drawn_for,
    reschedule_open_attempts,
    selected_questions,
    start_attempt,
    student_tasks,
)
from quizapp.classroom.codes import ALPHABET, display_code, new_code, normalise_code
from quizapp.classroom.gradebook import attempt_scores, build_gradebook, counted_attempt
from quizapp.classroom.membership import (
    JoinRefused,
    NotAnInstructor,
    create_class,
    join_class,
    regenerate_code,
    remove_student,
)
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, QuizAttempt, Role, User
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


def test_codes_are_short_unambiguous_and_forgiving():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 6 and set(c) <= set(ALPHABET) for c in codes)
    assert not set("01IOLBSZ258") & set(ALPHABET)
    assert normalise_code(" acd-efg ") == "ACDEFG" == normalise_code("ACD EFG")
    assert display_code("ACDEFG") == "ACD-EFG"


@pytest.mark.parametrize("typed", [
    "КМР-Х4Е",  # Cyrillic К М Р Х Е, typed off the board on a Kazakh or Russian keyboard
    "кмр х4е",
    "KMP–X4E", "KMP—X4E", "KMP‑X4E", "KMP−X4E",  # en and em dashes, a non-breaking hyphen, a minus sign
    "ＫＭＰ－Ｘ４Ｅ",  # full width
])
def test_a_code_typed_in_look_alike_letters_or_with_another_dash_still_joins(course, make_user, typed):
    classroom = course.classroom
    classroom.join_code = "KMPX4E"
    db.session.commit()
    assert normalise_code(typed) == "KMPX4E"
    assert join_class(db.session, make_user(), typed) == classroom


def test_joining_twice_closing_and_regenerating(course, make_user):
    classroom = course.classroom
    student = make_user()
    join_class(db.session, student, classroom.join_code.lower())
    join_class(db.session, student, classroom.join_code)
    db.session.commit()
    assert sum(m.user_id == student.id for m in classroom.memberships) == 1
    old = classroom.join_code
    regenerate_code(db.session, classroom)
    with pytest.raises(JoinRefused):
        join_class(db.session, make_user(), old)
    classroom.joining_open = False
    with pytest.raises(JoinRefused):
        join_class(db.session, make_user(), classroom.join_code)
    assert remove_student(db.session, classroom, student.id)
    assert not remove_student(db.session, classroom, student.id)


def test_only_instructors_create_classes(student):
    with pytest.raises(NotAnInstructor):
        create_class(db.session, student, "Mine")


def test_each_student_draws_a_stable_set(course, make_user):
    course.draw_count = 3
    first, second = enrolled(make_user, course), enrolled(make_user, course)
    drawn = [q[0] for q in drawn_for(db.session, course, first)]
    assert len(drawn) == 3 and drawn == [q[0] for q in drawn_for(db.session, course, first)]
    others = {tuple(q[0] for q in drawn_for(db.session, course, make_user())) for _ in range(6)}
    assert len(others | {tuple(drawn)}) > 1, "every student drew the same questions"
    assert second is not None


def test_a_question_retired_between_attempts_is_the_only_one_replaced(course, make_user):
    from quizapp.models import Question

    course.draw_count = 4
    student = enrolled(make_user, course)
    now = utcnow()
    first = start_attempt(db.session, course, student, now)
    asked = [item.question_id for item in first.items]
    submit_attempt(first, now)
    db.session.get(Question, asked[1]).retired_at = now
    db.session.commit()
    second = start_attempt(db.session, course, student, now)
    again = [item.question_id for item in second.items]
    assert len(again) == 4 and again[:3] == [asked[0], asked[2], asked[3]] and again[3] not in asked
    submit_attempt(second, now)
    db.session.get(Question, asked[1]).retired_at = None  # back in the bank: the first attempt's set again
    db.session.commit()
    assert [item.question_id for item in start_attempt(db.session, course, student, now).items] == asked


@pytest.mark.parametrize(("selection", "field", "value", "expected_topics"), [
    ("topics", "topics", ["Parliament"], {"Parliament"}),
    ("tags", "tags", ["__none__"], set()),
])
def test_selection_by_topic_and_tag(course, selection, field, value, expected_topics):
    course.selection = selection
    setattr(course, field, value)
    chosen = selected_questions(db.session, course)
    from quizapp.models import Question

    assert {db.session.get(Question, q[0]).topic for q in chosen} == expected_topics


def test_hand_picked_questions_and_flashcards_left_out(course):
    everything = selected_questions(db.session, course)
    assert all(qtype != "flashcard" for _, qtype, _, _ in everything)
    course.selection, course.question_ids = "questions", [everything[0][0]]
    assert [q[0] for q in selected_questions(db.session, course)] == [everything[0][0]]


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


@pytest.mark.parametrize(("grading", "expected"), [("best", 100.0), ("first", 0.0), ("last", 50.0)])
def test_grading_policy_picks_the_counted_attempt(course, make_user, grading, expected):
    course.grading, course.draw_count = grading, 2
    student = enrolled(make_user, course)
    for right in ([False, False], [True, True], [True, False]):
        hand_in(course, student, right)
    db.session.commit()
    book = build_gradebook(db.session, course.classroom)
    cell = book.cell(student.id, course.id)
    assert len(cell.attempts) == 3 and cell.counted.percent == expected


def test_the_best_attempt_is_the_best_share_when_attempts_differ_in_length(course, make_user):
    # The draw grew between attempts: 2 of 2 (100%) beats 3 of 4 (75%), though it has fewer points.
    course.grading, course.draw_count = "best", 2
    student = enrolled(make_user, course)
    for count, right in ((2, [True, True]), (4, [True, True, True, False])):
        course.draw_count = count
        hand_in(course, student, right)
    db.session.commit()
    cell = build_gradebook(db.session, course.classroom).cell(student.id, course.id)
    assert [a.possible for a in cell.attempts] == [2, 4]
    assert cell.counted.number == 1 and cell.counted.percent == 100.0


def test_unfinished_attempts_do_not_count():
    assert counted_attempt([], "best") is None


def test_a_student_outside_the_class_is_not_in_the_gradebook(course, make_user):
    outsider = make_user(Role.STUDENT)
    book = build_gradebook(db.session, course.classroom)
    assert outsider not in book.students


def pearson(xs: list[float], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return cov / (sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)) ** 0.5


def test_item_analysis_matches_the_definitions(course, make_user):
    from quizapp.classroom.item_analysis import item_statistics
    from quizapp.models import Question

    ids = {q.key: q.id for q in db.session.scalars(select(Question))}
    picked = [ids["seats-choice"], ids["new-constitution"], ids["eu-share"], ids["ncpt-successor"]]
    course.selection, course.question_ids, course.shuffle_choices = "questions", picked, False
    # Rows: students; columns: the four items in `picked` order. The last item everyone gets right.
    pattern = [[1, 1, 1, 1], [1, 1, 0, 1], [1, 0, 0, 1], [0, 0, 0, 1]]
    now = utcnow()
    for row in pattern:
        attempt = start_attempt(db.session, course, enrolled(make_user, course), now)
        by_question = {item.question_id: item for item in attempt.items}
        for question_id, right in zip(picked, row, strict=True):
            submit_answer(db.session, by_question[question_id], given_for(by_question[question_id], bool(right)))
        submit_attempt(attempt, now)
    db.session.commit()

    stats = {s.question.id: s for s in item_statistics(db.session, course)}
    totals = [sum(row) for row in pattern]
    for column, question_id in enumerate(picked[:3]):
        scores = [row[column] for row in pattern]
        item = stats[question_id]
        assert item.facility == round(100 * sum(scores) / len(scores), 1)
        rest = [total - score for total, score in zip(totals, scores, strict=True)]
        assert item.discrimination == pytest.approx(pearson(scores, rest), abs=1e-3)
    assert stats[ids["eu-share"]].facility == 25.0
    easy = stats[ids["ncpt-successor"]]
    assert easy.facility == 100.0 and easy.discrimination is None and "very easy" in easy.flags[0]
    choice = stats[ids["seats-choice"]]
    counts = {index: count for index, _, count, _ in choice.option_rows()}
    correct = choice.revision.data["correct"][0]
    assert counts[correct] == 3 and sum(counts.values()) == 4
    # Flagged items come first.
    assert item_statistics(db.session, course)[0].flags


def test_csv_cells_cannot_run_as_formulas(course, make_user):
    import csv
    import io

    from quizapp.classroom.export import grades_csv, responses_csv
    from quizapp.models import Question

    short = db.session.scalar(select(Question).where(Question.key == "ncpt-successor"))
    course.selection, course.question_ids = "questions", [short.id]
    student = enrolled(make_user, course)
    attempt = start_attempt(db.session, course, student, utcnow())
    submit_answer(db.session, attempt.items[0], '=HYPERLINK("http://example.org","x")')
    submit_attempt(attempt, utcnow())
    db.session.commit()
    book = build_gradebook(db.session, course.classroom)
    text = responses_csv(db.session, book)
    assert text.startswith("\ufeff") and "\r\n" in text
    row = next(csv.DictReader(io.StringIO(text[1:])))
    assert row["answer"].startswith("'=") and row["correct"] == "no"
    grades = list(csv.DictReader(io.StringIO(grades_csv(book, utcnow())[1:])))
    assert grades[0]["email"] == student.email and grades[0]["percent"] == "0.0"


@pytest.mark.parametrize(("typed", "cell"), [
    ("-0.5", "-0.5"), ("-0,5", "-0,5"), ("+12", "+12"),
    ("-1+2", "'-1+2"), ("-0.5 seats", "'-0.5 seats"), ("@SUM(A1)", "'@SUM(A1)"),
])
def test_a_signed_number_answered_stays_a_number_in_the_csv(course, make_user, typed, cell):
    import csv
    import io

    from quizapp.classroom.export import responses_csv
    from quizapp.models import Question

    numeric = db.session.scalar(select(Question).where(Question.key == "eu-share"))
    course.selection, course.question_ids = "questions", [numeric.id]
    student = enrolled(make_user, course)
    attempt = start_attempt(db.session, course, student, utcnow())
    submit_answer(db.session, attempt.items[0], typed)
    submit_attempt(attempt, utcnow())
    db.session.commit()
    text = responses_csv(db.session, build_gradebook(db.session, course.classroom))
    row = next(csv.DictReader(io.StringIO(text[1:])))
    assert row["answer"] == cell


def test_a_start_reads_the_assignment_afresh_after_an_edit_saved_meanwhile(course, make_user):
    course.time_limit_minutes = 30
    student = enrolled(make_user, course)
    db.session.commit()
    assert course.time_limit_minutes == 30  # loaded, as the start view has it
    with db.engine.begin() as other:  # the instructor's edit, saved by another request
        other.execute(update(Assignment).where(Assignment.id == course.id).values(time_limit_minutes=90))
    attempt = start_attempt(db.session, course, student, utcnow())
    assert attempt.deadline_at == attempt.started_at + timedelta(minutes=90)

"""Item statistics over a term: a bank updated while students answer, and students who leave the class."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.gradebook import build_gradebook
from quizapp.classroom.item_analysis import item_statistics
from quizapp.classroom.membership import remove_student
from quizapp.extensions import db
from quizapp.models import Question, QuizAttempt
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import submit_attempt
from quizapp.quiz.service import submit_answer
from tests.conftest import FIXTURE_BANKS, QUESTIONS, login
from tests.test_classroom_rules import course, enrolled  # noqa: F401 - fixture

OLD_CHOICES = '''      - "98"
      - text: "107"
        feedback: 107 was its size **before** the referendum.
      - "77"'''
# The same question, its choices reordered and one added: "98" moves from index 0 to index 2.
NEW_CHOICES = '''      - "77"
      - text: "107"
        feedback: 107 was its size **before** the referendum.
      - "98"
      - "150"'''


def answer_choice(assignment, student, text: str) -> None:
    """The student hands in an attempt picking the choice with that text."""
    now = utcnow()
    attempt = start_attempt(db.session, assignment, student, now)
    item = attempt.items[0]
    choices = [choice["text"] for choice in item.revision.data["choices"]]
    submit_answer(db.session, item, choices.index(text))
    submit_attempt(attempt, now)
    db.session.commit()


def revise_seats_question(tmp_path: Path) -> None:
    """Load the fixture bank again with the seats question's choices reordered, as a re-upload would."""
    folder = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANKS / "bank", folder)
    questions = folder / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    assert OLD_CHOICES in text
    questions.write_text(text.replace(OLD_CHOICES, NEW_CHOICES), encoding="utf-8")
    result = check_paths([folder], QUESTIONS)
    assert result.ok, [str(p) for p in result.problems]
    load_banks(db.session, result)
    db.session.commit()


def test_choices_are_counted_against_the_version_each_student_saw(client, course, make_user, instructor, tmp_path):  # noqa: F811
    seats = db.session.scalar(select(Question).where(Question.key == "seats-choice"))
    course.selection, course.question_ids, course.shuffle_choices = "questions", [seats.id], False
    answer_choice(course, enrolled(make_user, course), "98")
    revise_seats_question(tmp_path)
    answer_choice(course, enrolled(make_user, course), "98")
    answer_choice(course, enrolled(make_user, course), "150")

    stats = item_statistics(db.session, course)
    assert [(s.revision.number, s.attempts) for s in stats] == [(1, 1), (2, 2)]
    picked = [{text: (count, right) for _, text, count, right in s.option_rows()} for s in stats]
    assert picked[0] == {"98": (1, True), "107": (0, False), "77": (0, False)}
    assert picked[1] == {"77": (0, False), "107": (0, False), "98": (1, True), "150": (1, False)}
    assert all(s.several_versions for s in stats)
    assert [s.facility for s in stats] == [100.0, 50.0]
    assert login(client, instructor.email).status_code == 302
    page = client.get(f"/classes/{course.classroom_id}/assignments/{course.id}/statistics").get_data(as_text=True)
    assert "revision 1 (the bank changed" in page and "revision 2 (the bank changed" in page


def test_a_student_taken_off_the_roster_leaves_the_statistics_as_the_gradebook(course, make_user):  # noqa: F811
    seats = db.session.scalar(select(Question).where(Question.key == "seats-choice"))
    course.selection, course.question_ids, course.shuffle_choices = "questions", [seats.id], False
    stays, leaves = enrolled(make_user, course), enrolled(make_user, course)
    answer_choice(course, stays, "98")
    answer_choice(course, leaves, "77")
    assert remove_student(db.session, course.classroom, leaves.id)
    db.session.commit()

    assert [s.id for s in build_gradebook(db.session, course.classroom).students] == [stays.id]
    (item,) = item_statistics(db.session, course)
    assert item.attempts == 1 and item.facility == 100.0
    assert {text: count for _, text, count, _ in item.option_rows()} == {"98": 1, "107": 0, "77": 0}


def test_an_attempt_links_each_question_as_its_student_saw_it(client, course, make_user, instructor, tmp_path):  # noqa: F811
    seats = db.session.scalar(select(Question).where(Question.key == "seats-choice"))
    course.selection, course.question_ids, course.shuffle_choices = "questions", [seats.id], False
    answer_choice(course, enrolled(make_user, course), "98")
    revise_seats_question(tmp_path)
    attempt = db.session.scalar(select(QuizAttempt))
    assert login(client, instructor.email).status_code == 302
    detail = client.get(f"/classes/{course.classroom_id}/attempts/{attempt.id}").get_data(as_text=True)
    item_url = f"/classes/{course.classroom_id}/assignments/{course.id}/questions/{seats.id}"
    assert f'href="{item_url}?version=1"' in detail

    seen = client.get(f"{item_url}?version=1").get_data(as_text=True)
    assert "revision 1" in seen and "150" not in seen and "is current" in seen
    current = client.get(item_url).get_data(as_text=True)
    assert "revision 2" in current and "150" in current and "is current" not in current
    assert client.get(f"{item_url}?version=7").status_code == 404
    for number in (2**63, -(2**63), -1):  # past any integer column, or none there could be: not a 500
        assert client.get(f"{item_url}?version={number}").status_code == 404


def test_a_question_moved_to_another_topic_stays_one_item(client, course, make_user, tmp_path):  # noqa: F811
    seats = db.session.scalar(select(Question).where(Question.key == "seats-choice"))
    course.selection, course.question_ids, course.shuffle_choices = "questions", [seats.id], False
    answer_choice(course, enrolled(make_user, course), "98")
    folder = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANKS / "bank", folder)
    questions = folder / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    moved = text.replace("    topic: Parliament\n    difficulty: recall\n\n  - id: court-and-penalty",
                         "    topic: Elections\n    difficulty: understanding\n    tags: [seats]\n\n"
                         "  - id: court-and-penalty")
    assert moved != text
    questions.write_text(moved, encoding="utf-8")
    report = load_banks(db.session, check_paths([folder], QUESTIONS))
    assert (report.revised, report.unchanged) == (1, 7)
    db.session.refresh(seats)
    # The question row holds the new topic; what students see and are graded on is the same single revision.
    assert (seats.topic, seats.difficulty, seats.tags, seats.revision) == ("Elections", "understanding", ["seats"], 1)
    answer_choice(course, enrolled(make_user, course), "77")

    [stats] = item_statistics(db.session, course)
    assert (stats.revision.number, stats.attempts, stats.several_versions, stats.facility) == (1, 2, False, 50.0)
    again = load_banks(db.session, check_paths([folder], QUESTIONS))
    assert (again.revised, again.unchanged) == (0, 8)


def test_true_false_answers_are_counted_as_choices_are(client, course, make_user, instructor):  # noqa: F811
    question = db.session.scalar(select(Question).where(Question.key == "new-constitution"))  # false is right
    course.selection, course.question_ids = "questions", [question.id]
    now = utcnow()
    for given in (False, False, True, False, None):
        attempt = start_attempt(db.session, course, enrolled(make_user, course), now)
        if given is not None:
            submit_answer(db.session, attempt.items[0], given)
        submit_attempt(attempt, now)
    db.session.commit()

    [stats] = item_statistics(db.session, course)
    assert stats.option_rows() == [(0, "True", 1, False), (1, "False", 3, True)] and stats.unanswered == 1
    assert login(client, instructor.email).status_code == 302
    page = client.get(f"/classes/{course.classroom_id}/assignments/{course.id}/statistics").get_data(as_text=True)
    table = " ".join(page.split('<table class="options">', 1)[1].split("</table>", 1)[0].split())
    assert "<tr><td>True</td><td>1</td><td>no</td></tr><tr><td>False</td><td>3</td><td>yes</td></tr>" in table

"""The preview page of an instructor's bank says truly what its publication means for the assignments set from
it: unpublished, they still draw their questions from it and their students can still start them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.banks.visibility import assignable_banks, practice_allowed
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Role
from tests.conftest import csrf_from, login
from tests.test_bank_delete import shown, uploaded


def test_an_unpublished_bank_set_in_an_assignment_says_its_students_still_take_it(app, teacher, instructor, student):
    bank = uploaded(teacher)
    preview = f"/banks/{bank.id}/preview"
    text = shown(teacher.get(preview))
    assert "only you can see it" not in text
    assert ("Not published:</strong> students do not see it among their banks and cannot practise with it. You "
            "can still set assignments from it in your classes: their students then answer its questions "
            "there.") in text

    classroom = create_class(db.session, instructor, "Civics")
    join_class(db.session, student, classroom.join_code)
    db.session.add(Assignment(classroom=classroom, bank_id=bank.id, title="Week 1", created_by=instructor.id))
    db.session.commit()
    text = shown(teacher.get(preview))
    assert ("The assignment “Week 1” in Civics still draws its questions from it: its students can start, answer "
            "and hand it in as it allows.") in text

    # What the page says is so: the student starts the assignment and is given the bank's questions.
    pupil = app.test_client()
    login(pupil, student.email)
    work = pupil.get(f"/classes/{classroom.id}/work").get_data(as_text=True)
    assignment_id = db.session.scalar(select(Assignment.id))
    started = pupil.post(f"/classes/assignments/{assignment_id}/start", data={"csrf_token": csrf_from(work)})
    assert started.status_code == 302 and "/quiz/" in started.location


def test_the_unpublish_button_says_the_assignments_set_from_the_bank_carry_on(teacher, instructor):
    bank = uploaded(teacher)
    bank.is_published = True
    classroom = create_class(db.session, instructor, "Civics")
    other = create_class(db.session, instructor, "History")
    for place, title in ((classroom, "Week 1"), (classroom, "Week 2"), (other, "Week 1")):
        db.session.add(Assignment(classroom=place, bank_id=bank.id, title=title, created_by=instructor.id))
    db.session.commit()
    text = shown(teacher.get(f"/banks/{bank.id}/preview"))
    assert ("Unpublishing does not stop the 3 assignments set from it (in 2 classes): their students can still "
            "start, answer and hand them in as each assignment allows.") in text
    db.session.get(Bank, bank.id).is_published = False
    db.session.commit()
    text = shown(teacher.get(f"/banks/{bank.id}/preview"))
    assert ("The 3 assignments set from it (in 2 classes) still draw their questions from it: their students can "
            "start, answer and hand them in as each assignment allows.") in text


def test_one_assignment_set_from_the_bank_is_named_or_said_to_be_elsewhere(teacher, instructor, make_user):
    bank = uploaded(teacher)
    bank.is_published = bank.is_public = True
    mine = Assignment(classroom=create_class(db.session, instructor, "Civics"), bank_id=bank.id, title="Week 1",
                      created_by=instructor.id)
    db.session.add(mine)
    db.session.commit()
    text = shown(teacher.get(f"/banks/{bank.id}/preview"))
    assert ("Unpublishing does not stop the assignment “Week 1” in Civics: its students can still start, answer "
            "and hand it in as it allows.") in text

    # Another instructor's assignment is counted but not named: its title and class are theirs.
    stranger = make_user(Role.INSTRUCTOR)
    db.session.delete(mine)
    db.session.add(Assignment(classroom=create_class(db.session, stranger, "Elsewhere"), bank_id=bank.id,
                              title="Their week", created_by=stranger.id))
    db.session.commit()
    text = shown(teacher.get(f"/banks/{bank.id}/preview"))
    assert ("Unpublishing does not stop the assignment set from it in another instructor's class: its students can "
            "still start, answer and hand it in as it allows.") in text
    assert "Their week" not in text and "Elsewhere" not in text
    db.session.get(Bank, bank.id).is_published = False
    db.session.commit()
    text = shown(teacher.get(f"/banks/{bank.id}/preview"))
    assert ("The assignment set from it in another instructor's class still draws its questions from it: its "
            "students can start, answer and hand it in as it allows.") in text


PUBLISHED_SAYS = {
    (True, True): "Published to everyone: anyone may practise with it, and any instructor may set assignments "
                  "from it (and so see its answers).",
    (True, False): "Published to everyone, for assignments: students cannot practise with it, but any instructor "
                   "may set assignments from it (and so see its answers).",
    (False, True): "Published to the students of your classes: they may practise with it, and instructors who "
                   "teach one with you may set assignments from it there (and so see its answers).",
    (False, False): "Published to the students of your classes, for assignments you set: students cannot practise "
                    "with it, and other instructors of your classes cannot set it.",
}


@pytest.mark.parametrize(("public", "practice_open"), list(PUBLISHED_SAYS))
def test_a_published_bank_says_who_may_practise_with_it_and_set_it(teacher, make_user, public, practice_open):
    bank = uploaded(teacher)
    bank.is_published, bank.is_public, bank.practice_open = True, public, practice_open
    db.session.commit()
    assert PUBLISHED_SAYS[(public, practice_open)] in shown(teacher.get(f"/banks/{bank.id}/preview"))

    # What the page says is so, for an instructor and a student who share no class with the owner.
    stranger = make_user(Role.INSTRUCTOR)
    stranger_class = create_class(db.session, stranger, "Elsewhere")
    settable = db.session.scalar(select(
        assignable_banks(stranger, stranger_class.id).where(Bank.id == bank.id).exists()))
    assert settable == public
    assert practice_allowed(db.session, make_user(Role.STUDENT), bank.id) == (public and practice_open)

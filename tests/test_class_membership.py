"""Classes without HTTP: join codes short and forgiving, joining, closing and new codes, who may create a class."""

from __future__ import annotations

import pytest

from quizapp.classroom.codes import ALPHABET, display_code, new_code, normalise_code
from quizapp.classroom.membership import (
    JoinRefused,
    NotAnInstructor,
    create_class,
    join_class,
    regenerate_code,
    remove_student,
)
from quizapp.extensions import db
from tests.test_classroom_rules import course  # noqa: F401 - fixture


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
def test_a_code_typed_in_look_alike_letters_or_with_another_dash_still_joins(course, make_user, typed):  # noqa: F811
    classroom = course.classroom
    classroom.join_code = "KMPX4E"
    db.session.commit()
    assert normalise_code(typed) == "KMPX4E"
    assert join_class(db.session, make_user(), typed) == classroom


def test_joining_twice_closing_and_regenerating(course, make_user):  # noqa: F811
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

"""Names in Russian, Kazakh and Latin: one alphabetical order on rosters, gradebooks, CSV exports and the Users
page, and searches that find them in any case."""

from __future__ import annotations

import csv
import io
import re

import pytest

from quizapp.auth.accounts import register_user
from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.membership import join_class
from quizapp.collation import name_key
from quizapp.extensions import db
from quizapp.models import Role
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import submit_attempt
from tests.conftest import PASSWORD, login
from tests.html_forms import unbroken
from tests.test_classroom_rules import class_assignment

# In alphabetical order: Kazakh letters after the Russian letter they are drawn from, ё with е, і after ы.
ORDERED = ["Adil", "Ädil", "Zhanna", "Айгерим", "Әлия", "Елена", "Ёлкин", "Жанна", "Кирилл", "Қайрат", "Оксана",
           "Өмір", "Урал", "Ұлан", "Үміт", "Ыбырай", "Ілияс", "Ярослав"]


def test_names_sort_by_the_alphabet_not_by_code_point():
    assert sorted(reversed(ORDERED), key=name_key) == ORDERED
    assert sorted(["мои", "мой", "моё", "мое"], key=name_key) == ["мое", "моё", "мои", "мой"]


def table_names(page: str, names: list[str]) -> list[str]:
    """The names in the order they first appear on a page."""
    return sorted(names, key=lambda name: page.index(name))


@pytest.fixture
def course(fixture_bank, instructor):
    assignment = class_assignment(instructor, "Азаматтық білім", "Апта 1")
    classroom = assignment.classroom
    for number, name in enumerate(reversed(ORDERED)):
        student = register_user(db.session, f"s{number}@example.org", name, PASSWORD)
        join_class(db.session, student, classroom.join_code)
        submit_attempt(start_attempt(db.session, assignment, student, utcnow()), utcnow())
    db.session.commit()
    return assignment


def test_roster_gradebook_and_both_csv_list_students_in_one_alphabetical_order(course, teacher):
    classroom_id = course.classroom.id
    for page in (f"/classes/{classroom_id}", f"/classes/{classroom_id}/gradebook"):
        assert table_names(teacher.get(page).get_data(as_text=True), ORDERED) == ORDERED, page
    for export in ("grades", "responses"):
        text = teacher.get(f"/classes/{classroom_id}/{export}.csv").get_data().decode("utf-8")
        students = [row["student"] for row in csv.DictReader(io.StringIO(text[1:]))]
        assert list(dict.fromkeys(students)) == ORDERED, export


def test_the_users_page_lists_names_alphabetically_and_finds_them_in_any_case(app, make_user):
    admin = make_user(Role.ADMIN)
    for number, name in enumerate(reversed(ORDERED)):
        register_user(db.session, f"s{number}@example.org", name, PASSWORD)
    register_user(db.session, "ilyas@example.org", "İlyas Ömirbek", PASSWORD)
    db.session.commit()
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/admin/users").get_data(as_text=True)
    assert table_names(page, ORDERED) == ORDERED
    for typed, found in [("ёлкин", "Ёлкин"), ("ЕЛКИН", "Ёлкин"), ("әлия", "Әлия"), ("ӘЛИЯ", "Әлия"),
                         ("қайрат", "Қайрат"), ("ilyas", "İlyas"), ("ILYAS", "İlyas"), ("ılyas", "İlyas")]:
        page = unbroken(client.get("/admin/users", query_string={"q": typed}).get_data(as_text=True))
        assert len(re.findall(r"@example\.org</", page)) == 1 and found in page, typed

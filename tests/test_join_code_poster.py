"""The join code shown large, to project to a room or print and pin up."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import without_varying_values
from tests.test_classroom_flow import create_class, post_form


def test_the_class_page_links_to_its_code_shown_large(teacher: FlaskClient):
    classroom = create_class(teacher)
    page = teacher.get(f"/classes/{classroom.id}").get_data(as_text=True)
    assert f'href="/classes/{classroom.id}/code">Show the code large</a>' in page

    poster = teacher.get(f"/classes/{classroom.id}/code").get_data(as_text=True)
    code = classroom.join_code
    assert f'<span aria-hidden="true">{code[:3]}-{code[3:]}</span>' in poster
    assert f'<span class="visually-hidden">{" ".join(code)}</span>' in poster
    # Where to type it, for a room that has not been told: the address the teacher has open.
    assert "Log in at <strong>http://localhost/</strong>, open <strong>Classes</strong>" in poster
    assert f'href="/classes/{classroom.id}">Back to History 101</a>' in poster


def test_with_joining_closed_the_large_page_shows_no_code(teacher: FlaskClient):
    classroom = create_class(teacher)
    post_form(teacher, f"/classes/{classroom.id}", f"/classes/{classroom.id}/joining", {"open": "0"})
    assert "Show the code large" not in teacher.get(f"/classes/{classroom.id}").get_data(as_text=True)
    poster = without_varying_values(teacher.get(f"/classes/{classroom.id}/code").get_data(as_text=True))
    assert "Joining is closed" in poster and classroom.join_code[:3] not in poster


def test_a_student_cannot_open_it(teacher: FlaskClient, logged_in: FlaskClient):
    classroom = create_class(teacher)
    assert logged_in.get(f"/classes/{classroom.id}/code").status_code == 403

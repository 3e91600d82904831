"""Assignment times: dates at the edges of the calendar, the time zone they are typed in, and the times a
clock skips or shows twice when it changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Assignment, User
from quizapp.web import local_time
from tests.test_classroom_edges import set_assignment, set_assignment_at, teaching  # noqa: F401 - fixture


@pytest.mark.parametrize("field", ["opens_at", "due_at"])
@pytest.mark.parametrize("typed", ["9999-12-31T23:59", "0001-01-01T00:00", "1999-12-31T23:59", "3000-01-01T00:00"])
def test_dates_out_of_range_are_refused_with_a_message(teaching, instructor, field, typed):  # noqa: F811
    client, classroom, bank_id = teaching
    instructor.timezone = "Pacific/Pago_Pago"  # the edges of the calendar overflow in far-off zones
    db.session.commit()
    response = set_assignment(client, classroom, bank_id, **{field: typed})
    assert response.status_code == 422
    assert "between the years 2000 and 2999" in response.get_data(as_text=True)
    assert db.session.scalar(select(Assignment)) is None


def test_a_date_at_the_edge_of_the_calendar_is_shown_in_any_zone():
    user = User(email="x@example.org", display_name="x", password_hash="-", timezone="Pacific/Kiritimati")
    assert local_time(datetime(9999, 12, 31, 23, 59, tzinfo=UTC), user) == "9999-12-31 23:59 UTC"
    assert local_time(datetime(2026, 1, 1, tzinfo=UTC), user) == "2026-01-01 14:00 UTC+14"


def test_the_edit_page_shows_an_edge_date_and_keeps_an_unchanged_one(teaching, instructor):  # noqa: F811
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id).status_code == 302
    assignment = db.session.scalar(select(Assignment))
    url = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
    instructor.timezone = "Pacific/Kiritimati"
    assignment.due_at = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)  # stored before forms bounded the year
    db.session.commit()
    assert 'value="9999-12-31T23:59"' in client.get(url).get_data(as_text=True)
    # 01:30 UTC on 25 October 2026 is the second 02:30 in Berlin, the hour the clocks go back.
    instructor.timezone, assignment.due_at = "Europe/Berlin", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    db.session.commit()
    assert set_assignment_at(client, url, bank_id, title="Renamed", due_at="2026-10-25T02:30").status_code == 302
    db.session.refresh(assignment)
    assert assignment.title == "Renamed" and assignment.due_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_the_assignment_form_names_the_zone_its_times_are_read_in(teaching, instructor):  # noqa: F811
    client, classroom, bank_id = teaching
    url = f"/classes/{classroom.id}/assignments/new?bank={bank_id}"
    # An instructor who never chose a zone types times read in UTC, and must be able to see so.
    page = client.get(url).get_data(as_text=True)
    assert "Opening and due times are in your time zone, <strong>UTC</strong>" in page
    assert 'href="/study/settings"' in page
    instructor.timezone = "Asia/Almaty"
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    # Said once, beside the times, and read out with each of them.
    assert page.count("time zone") == 1 and "your time zone, <strong>Asia/Almaty</strong>" in page
    for name in ("opens_at", "due_at"):
        assert re.search(rf'<input aria-describedby="zone-note {name}-hint"[^>]* id="{name}"', page), name


def test_each_list_of_the_assignment_form_is_named_once_on_screen(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    page = client.get(f"/classes/{classroom.id}/assignments/new?bank={bank_id}").get_data(as_text=True)
    for name in ("Topics", "Questions"):
        # The summary names the list on screen; its legend names the group to screen readers only.
        assert f"<summary>{name}</summary>" in page
        assert f'<legend class="visually-hidden">{name}</legend>' in page
    assert "<legend>Questions from</legend>" in page


@pytest.mark.parametrize("zone, opens, due, gap", [
    ("America/New_York", "2026-03-08T02:30", "2026-03-08T03:15", "from 02:00 to 03:00"),
    ("Australia/Lord_Howe", "2026-10-04T02:10", "2026-10-04T02:40", "from 02:00 to 02:30"),  # a 30-minute change
])
def test_a_time_the_clocks_skip_is_refused_with_the_gap(teaching, instructor, zone, opens, due, gap):  # noqa: F811
    client, classroom, bank_id = teaching
    instructor.timezone = zone
    db.session.commit()
    # Read as the hour after the gap, the opening would come after the due time: an assignment never open.
    response = set_assignment(client, classroom, bank_id, opens_at=opens, due_at=due)
    assert response.status_code == 422
    assert f"There is no {opens[-5:]} on {opens[:10]} in {zone}: the clocks go forward {gap}." in response.get_data(
        as_text=True)
    assert db.session.scalar(select(Assignment)) is None


def test_a_time_the_clocks_show_twice_is_taken_as_the_first_and_the_instructor_told(teaching, instructor):  # noqa: F811
    client, classroom, bank_id = teaching
    instructor.timezone = "America/New_York"
    db.session.commit()
    saved = set_assignment(client, classroom, bank_id, due_at="2026-11-01T01:30")
    assert saved.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert assignment.due_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, before the clocks go back
    told = client.get(saved.location).get_data(as_text=True)
    assert "It is due at the first 01:30 of 2026-11-01 (01:30 EDT)" in told and "show 01:30 twice" in told
    # The second 01:30, kept as stored when the form comes back unchanged, is named as such.
    assignment.due_at = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    db.session.commit()
    url = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
    edited = set_assignment_at(client, url, bank_id, due_at="2026-11-01T01:30")
    assert edited.status_code == 302 and assignment.due_at == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert "It is due at the second 01:30 of 2026-11-01 (01:30 EST)" in client.get(edited.location).get_data(
        as_text=True)


# The night the clocks go back: the UTC of the second 01:30 (after the change) and of the first 01:45 (before it).
BACK_AN_HOUR = [
    ("America/New_York", "2026-11-01",
     datetime(2026, 11, 1, 6, 30, tzinfo=UTC), datetime(2026, 11, 1, 5, 45, tzinfo=UTC)),
    ("Europe/London", "2026-10-25",
     datetime(2026, 10, 25, 1, 30, tzinfo=UTC), datetime(2026, 10, 25, 0, 45, tzinfo=UTC)),
]


@pytest.mark.parametrize("zone, day, second_0130, first_0145", BACK_AN_HOUR)
def test_a_due_time_before_the_opening_in_the_hour_shown_twice_is_refused(teaching, instructor, zone, day,  # noqa: F811
                                                                           second_0130, first_0145):
    """Opens at the second 01:30, due 01:45 typed (read as the first): due before it opens, though 01:45 > 01:30."""
    client, classroom, bank_id = teaching
    instructor.timezone = zone
    db.session.commit()
    assert set_assignment(client, classroom, bank_id).status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assignment.opens_at = second_0130
    db.session.commit()
    url = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
    response = set_assignment_at(client, url, bank_id, opens_at=f"{day}T01:30", due_at=f"{day}T01:45")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The due time must come after the opening time." in page
    assert f"the opening is the second 01:30 of {day}" in page
    db.session.refresh(assignment)
    assert assignment.opens_at == second_0130 and assignment.due_at is None


@pytest.mark.parametrize("zone, day, second_0130, first_0145", BACK_AN_HOUR)
def test_an_opening_and_due_time_in_order_in_the_hour_shown_twice_can_be_saved_again(
        teaching, instructor, zone, day, second_0130, first_0145):  # noqa: F811
    """Opens at the first 01:45, due at the second 01:30, three quarters of an hour later: renaming it keeps both."""
    client, classroom, bank_id = teaching
    instructor.timezone = zone
    db.session.commit()
    assert set_assignment(client, classroom, bank_id).status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assignment.opens_at, assignment.due_at = first_0145, second_0130
    db.session.commit()
    url = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
    response = set_assignment_at(client, url, bank_id, title="Renamed", opens_at=f"{day}T01:45",
                                 due_at=f"{day}T01:30")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(assignment)
    assert assignment.title == "Renamed"
    assert (assignment.opens_at, assignment.due_at) == (first_0145, second_0130)


@pytest.mark.parametrize("late_policy, warned", [("refuse", True), ("mark", False)])
def test_a_due_time_already_past_with_late_work_refused_is_pointed_out(teaching, late_policy, warned):  # noqa: F811
    client, classroom, bank_id = teaching
    # A slip of the date picker: last year's date, so the assignment is closed before anyone sees it.
    response = set_assignment(client, classroom, bank_id, due_at="2001-01-01T10:00", late_policy=late_policy)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("has already passed and late work is refused, so no student can start it" in page) is warned
    assert ("<strong>Closed:</strong>" in page) is warned
    # Fixed by an edit: no warning then, and the assignment page no longer says it is closed.
    assignment = db.session.scalar(select(Assignment))
    url = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
    response = set_assignment_at(client, url, bank_id, due_at="2999-01-01T10:00", late_policy=late_policy)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "late work is refused, so no student can start it" not in page and "Closed:" not in page

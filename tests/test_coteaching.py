"""Classes taught by several instructors: setting work from a colleague's bank, and what stays theirs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.authoring.uploads import load_upload
from quizapp.classroom.invitations import accept_invitation, invite_instructor
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Classroom, InstructorInvitation, Question, QuizAttempt, Role, User
from tests.conftest import QUESTIONS, csrf_from, login
from tests.test_classroom_access import SECRET_QUESTION
from tests.test_classroom_flow import answer_all, post_form, start
from tests.test_uploads import GOOD_BANK

FORM = {"title": "Parliament quiz", "selection": "all", "shuffle_choices": "y", "feedback_policy": "each",
        "late_policy": "refuse", "grading": "best"}


def co_teach(classroom: Classroom, user: User, by: User) -> None:
    """Invite an instructor to teach the class, and accept for them."""
    accept_invitation(db.session, user, invite_instructor(db.session, classroom, user.email, by=by))


def accept_invitations(client: FlaskClient, user: User) -> None:
    """Accept every invitation to teach waiting for the user, as they would on their Classes page."""
    token = csrf_from(client.get("/classes/").get_data(as_text=True))
    waiting = db.session.scalars(select(InstructorInvitation.id).where(InstructorInvitation.user_id == user.id))
    for invitation_id in waiting.all():
        accepted = client.post(f"/classes/invitations/{invitation_id}/accept", data={"csrf_token": token})
        assert accepted.status_code == 302


@dataclass
class Staffroom:
    """Ada owns a bank published to her classes; she and Ben teach Shared, Ben alone teaches Ben's own."""

    bank: Bank
    shared: Classroom
    bens_own: Classroom
    ada: User
    ben: User
    pupil: User
    clients: dict[str, FlaskClient]


@pytest.fixture
def staffroom(app, make_user) -> Staffroom:
    ada, ben, pupil = make_user(Role.INSTRUCTOR), make_user(Role.INSTRUCTOR), make_user()
    assert load_upload(db.session, ada, "civics.yaml", GOOD_BANK.encode(), QUESTIONS).ok
    bank = db.session.scalar(select(Bank).where(Bank.slug == "civics-extra"))
    bank.is_published, bank.is_public = True, False  # "Students of my classes"
    shared = create_class(db.session, ada, "Shared")
    co_teach(shared, ben, by=ada)
    join_class(db.session, pupil, shared.join_code)
    bens_own = create_class(db.session, ben, "Ben's own")
    db.session.commit()
    clients = {}
    for name, user in (("ada", ada), ("ben", ben), ("pupil", pupil)):
        clients[name] = app.test_client()
        assert login(clients[name], user.email).status_code == 302
    return Staffroom(bank, shared, bens_own, ada, ben, pupil, clients)


def set_from(client: FlaskClient, classroom: Classroom, bank_id: int, **fields):
    url = f"/classes/{classroom.id}/assignments/new?bank={bank_id}"
    return post_form(client, f"/classes/{classroom.id}/assignments/new", url,
                     {**FORM, "bank": str(bank_id), **fields})


def assignments_of(classroom: Classroom) -> list[str]:
    return list(db.session.scalars(select(Assignment.title).where(Assignment.classroom_id == classroom.id)))


def test_a_co_teacher_sets_work_from_a_colleagues_bank_in_the_class_they_share_only(staffroom):
    ben, bank = staffroom.clients["ben"], staffroom.bank
    choices = ben.get(f"/classes/{staffroom.shared.id}/assignments/new").get_data(as_text=True)
    assert "Civics extra" in choices and f"{staffroom.ada.display_name}’s bank" in choices
    assert "Civics extra" not in ben.get(f"/classes/{staffroom.bens_own.id}/assignments/new").get_data(as_text=True)

    # Sent for his own class, the bank is refused there as the list refuses it: no assignment is made.
    refused = set_from(ben, staffroom.bens_own, bank.id)
    assert refused.status_code == 200 and assignments_of(staffroom.bens_own) == []
    made = set_from(ben, staffroom.shared, bank.id)
    assert made.status_code == 302 and assignments_of(staffroom.shared) == ["Parliament quiz"]
    assignment = db.session.scalar(select(Assignment).where(Assignment.classroom_id == staffroom.shared.id))
    assert assignment.bank_id == bank.id and assignment.created_by == staffroom.ben.id


def test_an_unpublished_colleagues_bank_is_not_offered(staffroom):
    staffroom.bank.is_published = False
    db.session.commit()
    ben = staffroom.clients["ben"]
    assert "Civics extra" not in ben.get(f"/classes/{staffroom.shared.id}/assignments/new").get_data(as_text=True)
    assert set_from(ben, staffroom.shared, staffroom.bank.id).status_code == 200
    assert assignments_of(staffroom.shared) == []


def test_a_co_teacher_cannot_preview_publish_or_replace_a_colleagues_bank(staffroom):
    ben, bank = staffroom.clients["ben"], staffroom.bank
    assert ben.get(f"/banks/{bank.id}/preview").status_code == 404
    token = csrf_from(ben.get("/banks/").get_data(as_text=True))
    assert ben.post(f"/banks/{bank.id}/unpublish", data={"csrf_token": token}).status_code == 404
    assert ben.post(f"/banks/{bank.id}/publish", data={"csrf_token": token, "visibility": "public"}).status_code == 404
    db.session.refresh(bank)
    assert bank.is_published and not bank.is_public
    assert not load_upload(db.session, staffroom.ben, "civics.yaml", GOOD_BANK.encode(), QUESTIONS,
                           replace=True).ok


def test_when_the_banks_owner_leaves_the_class_its_assignments_carry_on(staffroom):
    """Leaving takes the bank out of the class (no new assignments, no practice), but work already set from it
    goes on: students start and answer it, the instructors who stay read and edit it."""
    ada, ben, pupil = staffroom.clients["ada"], staffroom.clients["ben"], staffroom.clients["pupil"]
    shared, bank = staffroom.shared, staffroom.bank
    assert set_from(ben, shared, bank.id).status_code == 302
    assignment = db.session.scalar(select(Assignment).where(Assignment.classroom_id == shared.id))
    leave = f"/classes/{shared.id}/instructors/{staffroom.ada.id}/remove"
    assert "Civics extra" in ada.get(leave).get_data(as_text=True)  # the page names what leaves with her
    assert post_form(ada, leave, leave, {}).status_code == 302

    assert "Civics extra" not in ben.get(f"/classes/{shared.id}/assignments/new").get_data(as_text=True)
    assert set_from(ben, shared, bank.id, title="Another").status_code == 200
    assert assignments_of(shared) == ["Parliament quiz"]
    assert "Civics extra" not in pupil.get("/").get_data(as_text=True)

    started = start(pupil, assignment)
    assert started.status_code == 302 and "/quiz/" in started.location
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.assignment_id == assignment.id))
    answer_all(pupil, attempt)
    hand_in = f"/quiz/{attempt.id}/hand-in"
    assert post_form(pupil, hand_in, hand_in, {}).status_code == 302
    assert "1 / 1" in pupil.get(f"/quiz/{attempt.id}/results").get_data(as_text=True)

    base = f"/classes/{shared.id}/assignments/{assignment.id}"
    assert "100" in ben.get(f"/classes/{shared.id}/gradebook").get_data(as_text=True)
    assert "To how many deputies" in ben.get(f"{base}/statistics").get_data(as_text=True)
    question = attempt.items[0].question_id
    assert ben.get(f"{base}/questions/{question}").status_code == 200
    assert post_form(ben, f"{base}/edit", f"{base}/edit", {**FORM, "title": "Parliament, again",
                                                           "bank": str(bank.id)}).status_code == 302
    assert assignments_of(shared) == ["Parliament, again"]


def test_teaching_a_colleagues_class_opens_none_of_their_banks_kept_for_assignments(staffroom):
    """Accepting to teach a colleague's class must not hand them the questions and keys of one's banks that no
    student may practise with (tests, kept for assignments only)."""
    ben, bank, own = staffroom.clients["ben"], staffroom.bank, staffroom.bens_own
    bank.practice_open = False
    db.session.commit()
    added = post_form(ben, f"/classes/{own.id}", f"/classes/{own.id}/instructors", {"email": staffroom.ada.email})
    assert added.status_code == 302
    accept_invitations(staffroom.clients["ada"], staffroom.ada)
    for classroom in (own, staffroom.shared):
        choices = ben.get(f"/classes/{classroom.id}/assignments/new").get_data(as_text=True)
        assert "Civics extra" not in choices
        assert set_from(ben, classroom, bank.id).status_code == 200
        # Nor does the form for it, which lists its questions.
        form = ben.get(f"/classes/{classroom.id}/assignments/new?bank={bank.id}")
        assert "deputies" not in form.get_data(as_text=True)
        assert assignments_of(classroom) == []
    # Its owner is told so on its preview, and still sets it wherever she teaches; opened to practice again, it
    # is offered to him as before.
    preview = staffroom.clients["ada"].get(f"/banks/{bank.id}/preview").get_data(as_text=True)
    assert "other instructors of your classes cannot set it" in preview
    assert set_from(staffroom.clients["ada"], own, bank.id).status_code == 302
    bank.practice_open = True
    db.session.commit()
    assert "Civics extra" in ben.get(f"/classes/{own.id}/assignments/new").get_data(as_text=True)
    assert "deputies" in ben.get(f"/classes/{own.id}/assignments/new?bank={bank.id}").get_data(as_text=True)


def test_a_co_teacher_edits_work_set_from_a_colleagues_bank_kept_for_assignments_but_not_its_questions(staffroom):
    """Ada sets work in the class they share from her bank kept for assignments: Ben reads and edits it, but
    cannot widen it to the rest of her bank, which she still can."""
    ada, ben, bank = staffroom.clients["ada"], staffroom.clients["ben"], staffroom.bank
    bank.practice_open = False
    db.session.commit()
    assert load_upload(db.session, staffroom.ada, "civics.yaml", (GOOD_BANK + SECRET_QUESTION).encode(), QUESTIONS,
                       replace=True).ok
    db.session.commit()
    assert set_from(ada, staffroom.shared, bank.id, selection="topics", topics="Parliament").status_code == 302
    assignment = db.session.scalar(select(Assignment).where(Assignment.classroom_id == staffroom.shared.id))
    edit = f"/classes/{staffroom.shared.id}/assignments/{assignment.id}/edit"
    secret = db.session.scalar(select(Question.id).where(Question.key == "secret"))

    assert "kept for my class" not in ben.get(edit).get_data(as_text=True)
    widened = {**FORM, "bank": str(bank.id), "selection": "all"}
    assert post_form(ben, edit, edit, widened).status_code == 302
    db.session.refresh(assignment)
    assert (assignment.selection, assignment.topics) == ("topics", ["Parliament"])
    assert ben.get(f"{edit.removesuffix('/edit')}/questions/{secret}").status_code == 404

    assert "kept for my class" in ada.get(edit).get_data(as_text=True)
    assert post_form(ada, edit, edit, widened).status_code == 302
    db.session.refresh(assignment)
    assert assignment.selection == "all"

"""Inviting an instructor to teach a class: nothing of the class, and no student of it, reaches them, nor their
banks the class's students, until they accept; only they can accept or decline, and the inviters can withdraw."""

from __future__ import annotations

import email
import email.policy
import re
import threading
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.authoring.uploads import load_upload
from quizapp.banks.visibility import practice_allowed
from quizapp.classroom.invitations import invite_instructor
from quizapp.classroom.membership import classes_only_they_teach, create_class, join_class
from quizapp.extensions import db
from quizapp.models import INSTRUCTOR, STUDENT, Bank, Classroom, InstructorInvitation, Membership, Role, User
from quizapp.models.types import utcnow
from tests.conftest import QUESTIONS, Mailbox, csrf_from, login, recorded_mail
from tests.test_classroom_flow import post_form
from tests.test_uploads import GOOD_BANK

NO_LONGER_OPEN = "That invitation to teach is no longer open: it was withdrawn or answered already."
ANSWERED_ALREADY = "That invitation was answered or withdrawn already: the lists below are up to date."


@dataclass
class Invited:
    """Ada teaches History, which Pupil attends; Ben, who owns a bank published to his classes' students, is
    invited to teach it and has not answered."""

    classroom: Classroom
    bank: Bank
    ada: User
    ben: User
    pupil: User
    clients: dict[str, FlaskClient]
    mail: Mailbox  # what inviting Ben sent
    flashed: str  # the class page Ada saw after inviting him

    def invitation(self) -> InstructorInvitation | None:
        db.session.expire_all()
        return db.session.scalar(select(InstructorInvitation).where(
            InstructorInvitation.classroom_id == self.classroom.id, InstructorInvitation.user_id == self.ben.id))

    def role_of(self, user: User) -> str | None:
        return db.session.scalar(select(Membership.role).where(Membership.classroom_id == self.classroom.id,
                                                               Membership.user_id == user.id))

    def answer(self, who: str, invitation_id: int, answer: str, with_token: bool = True):
        client = self.clients[who]
        token = csrf_from(client.get("/classes/").get_data(as_text=True))
        return client.post(f"/classes/invitations/{invitation_id}/{answer}",
                           data={"csrf_token": token} if with_token else {})

    def withdraw(self, who: str, classroom_id: int, invitation_id: int):
        page = f"/classes/{classroom_id}" if who == "ada" else "/classes/"
        return post_form(self.clients[who], page, f"/classes/{classroom_id}/invitations/{invitation_id}/withdraw",
                         {})


@pytest.fixture
def invited(app, make_user) -> Invited:
    ada, ben, pupil = make_user(Role.INSTRUCTOR), make_user(Role.INSTRUCTOR), make_user()
    ada.display_name, ben.display_name = "Ada Byron", "Ben Okri"
    assert load_upload(db.session, ben, "civics.yaml", GOOD_BANK.encode(), QUESTIONS).ok
    bank = db.session.scalar(select(Bank).where(Bank.slug == "civics-extra"))
    bank.is_published, bank.is_public, bank.practice_open = True, False, True  # "Students of my classes"
    classroom = create_class(db.session, ada, "History")
    join_class(db.session, pupil, classroom.join_code)
    db.session.commit()
    clients = {}
    for name, user in (("ada", ada), ("ben", ben), ("pupil", pupil)):
        clients[name] = app.test_client()
        assert login(clients[name], user.email).status_code == 302
    page = f"/classes/{classroom.id}"
    with recorded_mail() as mail:
        sent = post_form(clients["ada"], page, f"{page}/instructors", {"email": ben.email}, follow_redirects=True)
    assert sent.status_code == 200 and "is invited" in sent.get_data(as_text=True)
    return Invited(classroom, bank, ada, ben, pupil, clients, mail, sent.get_data(as_text=True))


def test_an_invited_instructor_has_no_part_in_the_class_until_they_accept(invited):
    ben, classroom = invited.clients["ben"], invited.classroom
    assert invited.role_of(invited.ben) is None
    for url in (f"/classes/{classroom.id}", f"/classes/{classroom.id}/gradebook", f"/classes/{classroom.id}/grades.csv",
                f"/classes/{classroom.id}/students/{invited.pupil.id}", f"/api/v1/classes/{classroom.id}/gradebook"):
        assert ben.get(url).status_code == 404, url
    classes = ben.get("/classes/").get_data(as_text=True)
    assert "Invitations to teach" in classes and f"from {invited.ada.display_name}" in classes
    assert f'href="/classes/{classroom.id}"' not in classes  # not among the classes he teaches
    assert "You are invited to teach a class" in ben.get("/").get_data(as_text=True)
    # The class page lists him as invited, not among its instructors.
    page = invited.clients["ada"].get(f"/classes/{classroom.id}").get_data(as_text=True)
    assert "Invited, not yet answered" in page and "Withdraw" in page

    accepted = invited.answer("ben", invited.invitation().id, "accept")
    assert accepted.status_code == 302 and accepted.location.endswith(f"/classes/{classroom.id}")
    assert invited.role_of(invited.ben) == INSTRUCTOR and invited.invitation() is None
    assert ben.get(f"/classes/{classroom.id}/gradebook").status_code == 200
    assert ben.get(f"/api/v1/classes/{classroom.id}/gradebook").status_code == 200
    assert "Invitations to teach" not in ben.get("/classes/").get_data(as_text=True)
    assert "You are invited" not in ben.get("/").get_data(as_text=True)
    assert "Invited, not yet answered" not in invited.clients["ada"].get(f"/classes/{classroom.id}").get_data(
        as_text=True)


def test_the_class_draws_on_the_invitees_banks_only_once_they_accept(invited):
    pupil, ada, bank, classroom = invited.clients["pupil"], invited.clients["ada"], invited.bank, invited.classroom
    assert "Civics extra" not in pupil.get("/").get_data(as_text=True)
    assert not practice_allowed(db.session, invited.pupil, bank.id)
    assert "Civics extra" not in ada.get(f"/classes/{classroom.id}/assignments/new").get_data(as_text=True)
    assert "deputies" not in ada.get(f"/classes/{classroom.id}/assignments/new?bank={bank.id}").get_data(as_text=True)

    assert invited.answer("ben", invited.invitation().id, "accept").status_code == 302
    assert "Civics extra" in pupil.get("/").get_data(as_text=True)
    assert practice_allowed(db.session, invited.pupil, bank.id)
    assert "Civics extra" in ada.get(f"/classes/{classroom.id}/assignments/new").get_data(as_text=True)


def test_declining_or_withdrawing_leaves_the_class_as_it_was(invited):
    ben, classroom = invited.clients["ben"], invited.classroom
    declined = invited.answer("ben", invited.invitation().id, "decline")
    assert declined.status_code == 302
    assert f"You declined to teach “{classroom.name}”" in ben.get("/classes/").get_data(as_text=True)
    assert invited.invitation() is None and invited.role_of(invited.ben) is None
    assert "Invited, not yet answered" not in invited.clients["ada"].get(f"/classes/{classroom.id}").get_data(
        as_text=True)

    # Invited again, then withdrawn: the invitation he still sees on an old page can no longer be accepted.
    page = f"/classes/{classroom.id}"
    sent = post_form(invited.clients["ada"], page, f"{page}/instructors", {"email": invited.ben.email})
    assert sent.status_code == 302
    invitation_id = invited.invitation().id
    stale_token = csrf_from(ben.get("/classes/").get_data(as_text=True))
    withdrawn = invited.withdraw("ada", classroom.id, invitation_id)
    assert withdrawn.status_code == 302
    assert "invitation to" in invited.clients["ada"].get(page).get_data(as_text=True)
    assert invited.invitation() is None
    late = ben.post(f"/classes/invitations/{invitation_id}/accept", data={"csrf_token": stale_token})
    # Told what happened, not that there is nothing at this address.
    assert late.status_code == 404 and NO_LONGER_OPEN in late.get_data(as_text=True)
    assert invited.role_of(invited.ben) is None
    assert "Invitations to teach" not in ben.get("/classes/").get_data(as_text=True)


def unsigned(response) -> str:
    """A page with its CSRF tokens left out."""
    return re.sub(r'(content|value)="[\w.-]{40,}"', r'\1=""', response.get_data(as_text=True))


def test_only_the_invitee_answers_and_only_the_class_withdraws(invited, make_user):
    invitation_id = invited.invitation().id
    carol = make_user(Role.INSTRUCTOR)
    invited.clients["carol"] = invited.clients["ada"].application.test_client()
    login(invited.clients["carol"], carol.email)
    # They are answered as if there were no such invitation: as for an id never given, they learn nothing of it.
    for who in ("ada", "carol", "pupil"):
        for answer in ("accept", "decline"):
            sent, never_given = (invited.answer(who, asked, answer) for asked in (invitation_id, invitation_id + 1000))
            assert sent.status_code == never_given.status_code == 404, (who, answer)
            # The same page but for the CSRF token, which is signed anew each second.
            assert unsigned(sent) == unsigned(never_given) and NO_LONGER_OPEN in sent.get_data(as_text=True)
    # Nor can Ben withdraw it (he does not teach the class), nor Carol from a class of her own.
    assert invited.withdraw("ben", invited.classroom.id, invitation_id).status_code == 404
    own = create_class(db.session, carol, "Carol's")
    db.session.commit()
    for asked in (invitation_id, invitation_id + 1000):  # told the same of another class's and of none
        sent = post_form(invited.clients["carol"], f"/classes/{own.id}",
                         f"/classes/{own.id}/invitations/{asked}/withdraw", {})
        assert sent.status_code == 302 and sent.location.endswith(f"/classes/{own.id}")
        assert ANSWERED_ALREADY in invited.clients["carol"].get(f"/classes/{own.id}").get_data(as_text=True)
    assert invited.invitation() is not None
    assert {invited.role_of(user) for user in (invited.ben, carol)} == {None}
    assert invited.role_of(invited.ada) == INSTRUCTOR


def test_withdrawing_an_invitation_answered_meanwhile_says_so(invited):
    page = f"/classes/{invited.classroom.id}"
    token = csrf_from(invited.clients["ada"].get(page).get_data(as_text=True))
    invitation_id = invited.invitation().id
    assert invited.answer("ben", invitation_id, "decline").status_code == 302
    late = invited.clients["ada"].post(f"{page}/invitations/{invitation_id}/withdraw", data={"csrf_token": token})
    assert late.status_code == 302 and late.location.endswith(page)
    assert ANSWERED_ALREADY in invited.clients["ada"].get(page).get_data(as_text=True)


def test_answers_without_the_csrf_token_are_refused(invited):
    invitation_id = invited.invitation().id
    for answer in ("accept", "decline"):
        assert invited.answer("ben", invitation_id, answer, with_token=False).status_code == 400
    withdraw = f"/classes/{invited.classroom.id}/invitations/{invitation_id}/withdraw"
    assert invited.clients["ada"].post(withdraw).status_code == 400
    assert invited.invitation() is not None and invited.role_of(invited.ben) is None


def test_an_invitee_who_has_not_accepted_does_not_keep_the_class_going(invited):
    ada, classroom = invited.clients["ada"], invited.classroom
    page = f"/classes/{classroom.id}"
    left = post_form(ada, page, f"{page}/instructors/{invited.ada.id}/remove", {}, follow_redirects=True)
    assert "at least one instructor" in left.get_data(as_text=True)
    assert invited.role_of(invited.ada) == INSTRUCTOR
    assert [c.id for c in classes_only_they_teach(db.session, invited.ada)] == [classroom.id]
    # Accepted, he counts: she may leave.
    assert invited.answer("ben", invited.invitation().id, "accept").status_code == 302
    assert post_form(ada, page, f"{page}/instructors/{invited.ada.id}/remove", {}).status_code == 302
    assert invited.role_of(invited.ada) is None and invited.role_of(invited.ben) == INSTRUCTOR


def test_inviting_again_someone_who_teaches_or_who_cannot_says_so(invited, make_user):
    ada, classroom = invited.clients["ada"], invited.classroom
    page = f"/classes/{classroom.id}"

    def invite(email: str):
        return post_form(ada, page, f"{page}/instructors", {"email": email})

    again = invite(invited.ben.email)
    assert again.status_code == 422
    assert f"{invited.ben.display_name} is invited already and has not answered yet." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(InstructorInvitation)) == 1
    assert "You already teach this class." in invite(invited.ada.email).get_data(as_text=True)
    assert "not belong to an instructor" in invite(invited.pupil.email).get_data(as_text=True)
    gone = make_user(Role.INSTRUCTOR)
    gone.deactivated_at = utcnow()
    db.session.commit()
    assert invite(gone.email).status_code == 422
    assert invited.answer("ben", invited.invitation().id, "accept").status_code == 302
    teaches = invite(invited.ben.email)
    assert teaches.status_code == 422
    assert f"{invited.ben.display_name} already teaches this class." in teaches.get_data(as_text=True)


def test_an_invitee_made_a_student_can_decline_but_not_accept(invited):
    invited.ben.role = Role.STUDENT.value
    db.session.commit()
    refused = invited.answer("ben", invited.invitation().id, "accept")
    assert refused.status_code == 302 and invited.role_of(invited.ben) is None
    page = invited.clients["ben"].get("/classes/").get_data(as_text=True)
    assert "Only instructor accounts can teach a class" in page and "Invitations to teach" in page
    assert invited.answer("ben", invited.invitation().id, "decline").status_code == 302
    assert invited.invitation() is None


def test_a_student_of_the_class_who_accepts_teaches_it_instead(invited, make_user):
    colleague = make_user(Role.INSTRUCTOR)
    join_class(db.session, colleague, invited.classroom.join_code)
    invitation = invite_instructor(db.session, invited.classroom, colleague.email, by=invited.ada)
    db.session.commit()
    assert invited.role_of(colleague) == STUDENT
    client = invited.clients["ada"].application.test_client()
    login(client, colleague.email)
    token = csrf_from(client.get("/classes/").get_data(as_text=True))
    assert client.post(f"/classes/invitations/{invitation.id}/accept", data={"csrf_token": token}).status_code == 302
    assert invited.role_of(colleague) == INSTRUCTOR


def test_deleting_the_class_takes_its_invitations(invited):
    page = f"/classes/{invited.classroom.id}"
    assert post_form(invited.clients["ada"], f"{page}/delete", f"{page}/delete", {}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(InstructorInvitation)) == 0
    assert "Invitations to teach" not in invited.clients["ben"].get("/classes/").get_data(as_text=True)


def invite(invited: Invited, email: str, **kwargs):
    """Ada invites someone to teach History, from its page."""
    page = f"/classes/{invited.classroom.id}"
    return post_form(invited.clients["ada"], page, f"{page}/instructors", {"email": email}, **kwargs)


def test_the_invitee_is_mailed_once_who_invites_them_to_what_and_where_to_answer(invited):
    message, = invited.mail.messages
    assert message.recipients == [invited.ben.email]
    assert message.subject == "Invitation to teach “History” on quizapp"
    body = " ".join(message.body.split())
    assert "Hello Ben Okri," in body
    assert f"Ada Byron ({invited.ada.email}) invited you to teach the class “History”" in body
    assert "you see its gradebook" in body and "banks that are published to your classes and open for practice" in body
    link = invited.mail.link("/classes/")
    assert link == "http://localhost/classes/"
    # The link is where he answers: his Classes page, once logged in; nothing in it lets anyone else answer.
    assert "Invitations to teach" in invited.clients["ben"].get(link).get_data(as_text=True)
    # Without a mail server the mail is kept here, and Ada is told so rather than that it was sent.
    flashed = " ".join(invited.flashed.split())
    assert "Ben Okri is invited." in flashed and "the mail telling them was not sent" in flashed
    assert "instance/outbox/" in flashed and "we sent them an email" not in flashed


def test_an_invitation_refused_or_not_stored_sends_no_mail(invited, make_user, monkeypatch):
    gone = make_user(Role.INSTRUCTOR)
    gone.deactivated_at = utcnow()
    db.session.commit()
    with recorded_mail() as box:
        for email in (invited.ben.email, invited.ada.email, invited.pupil.email, gone.email, "nobody@example.org"):
            assert invite(invited, email).status_code == 422, email
        assert invited.answer("ben", invited.invitation().id, "accept").status_code == 302
        assert invite(invited, invited.ben.email).status_code == 422
    assert len(box) == 0

    def failed_commit() -> None:
        raise RuntimeError("the database went away")

    carol = make_user(Role.INSTRUCTOR)
    monkeypatch.setattr(db.session, "commit", failed_commit)
    with recorded_mail() as box, pytest.raises(RuntimeError):
        invite(invited, carol.email)
    assert len(box) == 0


def test_a_line_break_in_the_class_name_stays_in_the_subject(invited, make_user):
    # The class name is typed by its instructors: a line break in it must not start a header of its own.
    invited.classroom.name = "History\nBcc: eve@example.org"
    db.session.commit()
    carol = make_user(Role.INSTRUCTOR)
    with recorded_mail() as box:
        assert invite(invited, carol.email).status_code == 302
    sent = email.message_from_bytes(box.last.as_bytes(), policy=email.policy.default)
    assert sent["Subject"] == "Invitation to teach “History Bcc: eve@example.org” on quizapp"
    assert "Bcc" not in sent and sent["To"] == carol.email
    assert "the class\n“History Bcc: eve@example.org” with them" in box.last.body


def test_with_a_mail_server_the_inviter_is_told_the_mail_was_sent(app, invited, make_user, monkeypatch):
    # TESTING keeps Flask-Mail from connecting; the message is still handed over, from the mail thread.
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    carol = make_user(Role.INSTRUCTOR)
    with recorded_mail() as box:
        page = " ".join(invite(invited, carol.email, follow_redirects=True).get_data(as_text=True).split())
        for thread in threading.enumerate():
            if thread.name == "quizapp-mail":
                thread.join(timeout=10)
    assert "is invited, and we sent them an email." in page and "outbox" not in page
    assert box.last.recipients == [carol.email]


def test_a_site_without_mail_sends_none_and_says_to_tell_them(app, invited, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "TESTING", False)  # a production server without MAIL_SERVER: mail is off
    carol = make_user(Role.INSTRUCTOR)
    with recorded_mail() as box:
        page = " ".join(invite(invited, carol.email, follow_redirects=True).get_data(as_text=True).split())
    assert "This site sends no email, so let them know yourself." in page and "outbox" not in page
    assert len(box) == 0

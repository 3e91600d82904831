"""Invitation mails per address: inviting, withdrawing and inviting again cannot flood an instructor's inbox, yet
every invitation is still made, and the inviter is told when no mail went out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.classroom.limits import invitation_mail_allowed
from quizapp.classroom.membership import create_class
from quizapp.extensions import db, limiter
from quizapp.models import InstructorInvitation, Role
from tests.conftest import login, make_app, recorded_mail
from tests.test_classroom_flow import post_form

HELD_BACK = "We sent them no email this time"


@pytest.fixture
def limited_app(app, database, tmp_path):
    """An app with limits on, made after the per-test `app` (which turns them off) so its settings are in force."""
    app = make_app(database, tmp_path, RATELIMIT_ENABLED=True, INVITATION_MAILS_PER_EMAIL="2 per day")
    with app.app_context():
        yield app


def invite(client, classroom_id: int, email: str) -> str:
    page = f"/classes/{classroom_id}"
    sent = post_form(client, page, f"{page}/instructors", {"email": email}, follow_redirects=True)
    assert sent.status_code == 200
    return " ".join(sent.get_data(as_text=True).split())


def withdraw(client, classroom_id: int, user_id: int) -> None:
    invitation_id = db.session.scalar(select(InstructorInvitation.id).where(
        InstructorInvitation.classroom_id == classroom_id, InstructorInvitation.user_id == user_id))
    page = f"/classes/{classroom_id}"
    assert post_form(client, page, f"{page}/invitations/{invitation_id}/withdraw", {}).status_code == 302


def test_an_address_gets_few_invitation_mails_across_classes_and_inviters(limited_app, make_user):
    ada, bob, ben, carol = (make_user(Role.INSTRUCTOR) for _ in range(4))
    ben.display_name = "Ben Okri"
    history, maths, music = (create_class(db.session, ada, "History"), create_class(db.session, ada, "Maths"),
                             create_class(db.session, bob, "Music"))
    db.session.commit()
    ids = {"history": history.id, "maths": maths.id, "music": music.id}
    clients = {}
    for name, user in (("ada", ada), ("bob", bob), ("ben", ben)):
        clients[name] = limited_app.test_client()
        assert login(clients[name], user.email).status_code == 302

    with recorded_mail() as box:
        # Invited, withdrawn, invited again: each invitation is mailed until the address has had its share.
        assert HELD_BACK not in invite(clients["ada"], ids["history"], ben.email)
        withdraw(clients["ada"], ids["history"], ben.id)
        assert HELD_BACK not in invite(clients["ada"], ids["history"], ben.email)
        withdraw(clients["ada"], ids["history"], ben.id)
        assert len(box) == 2
        # Then the invitation is still made, and Ada is told that this time he was not mailed.
        page = invite(clients["ada"], ids["history"], ben.email.upper())
        assert "Ben Okri is invited." in page and HELD_BACK in page and "let them know yourself" in page
        # The count is the address's, whichever class and whoever invites.
        assert HELD_BACK in invite(clients["ada"], ids["maths"], ben.email)
        assert HELD_BACK in invite(clients["bob"], ids["music"], ben.email)
        assert len(box) == 2 and all(message.recipients == [ben.email] for message in box.messages)
        # Another address is mailed as before.
        page = invite(clients["ada"], ids["maths"], carol.email)
        assert HELD_BACK not in page and "is invited." in page
        assert len(box) == 3 and box.last.recipients == [carol.email]

    # Ben sees every invitation, mailed or not, on his Classes page.
    classes = clients["ben"].get("/classes/").get_data(as_text=True)
    assert all(name in classes for name in ("History", "Maths", "Music"))


def test_a_refused_invitation_uses_up_no_mail(limited_app, make_user):
    ada, ben = make_user(Role.INSTRUCTOR), make_user(Role.INSTRUCTOR)
    classroom = create_class(db.session, ada, "History")
    db.session.commit()
    client = limited_app.test_client()
    assert login(client, ada.email).status_code == 302
    with recorded_mail() as box:
        assert HELD_BACK not in invite(client, classroom.id, ben.email)
        page = f"/classes/{classroom.id}"
        for _ in range(3):  # invited already: refused, no mail, nothing counted
            assert post_form(client, page, f"{page}/instructors", {"email": ben.email}).status_code == 422
        withdraw(client, classroom.id, ben.id)
        assert HELD_BACK not in invite(client, classroom.id, ben.email)
    assert len(box) == 2


def test_a_storage_that_does_not_answer_stops_no_invitation_mail(limited_app, make_user, monkeypatch, caplog):
    ada, ben = make_user(Role.INSTRUCTOR), make_user(Role.INSTRUCTOR)
    classroom = create_class(db.session, ada, "History")
    db.session.commit()
    client = limited_app.test_client()
    assert login(client, ada.email).status_code == 302

    def unreachable(*_args, **_kwargs):
        raise ValueError("the storage went away")  # what the memory storage raises; Redis raises its own

    monkeypatch.setattr(limiter.storage, "get", unreachable)
    with recorded_mail() as box:
        assert HELD_BACK not in invite(client, classroom.id, ben.email)
    assert box.last.recipients == [ben.email]
    # The route's own limit (refused invitations) meets the dead storage first, and Flask-Limiter counts in memory
    # from then on.
    assert "storage unreachable" in caplog.text


def test_the_mail_count_lets_a_mail_go_when_the_storage_does_not_answer(limited_app, monkeypatch):
    class Unreachable:
        """A limiter whose storage went away (as the memory storage fails; Redis raises its own)."""

        def test(self, *_args, **_kwargs):
            raise ValueError("the storage went away")

        hit = test

    # Flask-Limiter itself turns to counting in memory once a route's limit meets a dead storage (the test above),
    # so the count of mails is given the failing limiter directly.
    monkeypatch.setattr(type(limiter), "limiter", property(lambda _self: Unreachable()))
    warnings = []
    monkeypatch.setattr(limited_app.logger, "warning", lambda message, *_args, **_kwargs: warnings.append(message))
    with limited_app.test_request_context():
        assert invitation_mail_allowed("ben@example.org")
    assert warnings == ["invitation mail sent uncounted: the rate-limit storage did not answer"]

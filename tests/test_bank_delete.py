"""An instructor deletes a bank uploaded by mistake, after a question; a bank others have used, or that an
assignment is set from, stays, and the page says why and offers unpublishing instead."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.invitations import accept_invitation, invite_instructor
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Bank,
    Card,
    Question,
    QuestionRevision,
    QuizAttempt,
    Response,
    ReviewLog,
    Role,
    User,
)
from quizapp.models.types import utcnow
from quizapp.quiz.service import start_quiz, submit_answer
from quizapp.srs.queue import record_review
from tests.conftest import QUESTIONS, csrf_from, login
from tests.test_classroom_rules import given_for
from tests.test_uploads import GOOD_BANK, upload


def uploaded(teacher) -> Bank:
    response = upload(teacher, "civics.yaml", GOOD_BANK.encode())
    assert response.status_code == 302
    return db.session.scalar(select(Bank).where(Bank.slug == "civics-extra"))


def delete_url(bank_id: int) -> str:
    return f"/banks/{bank_id}/delete"


def confirm(client, bank_id: int):
    """Open the delete page and press its button."""
    page = client.get(delete_url(bank_id)).get_data(as_text=True)
    return client.post(delete_url(bank_id), data={"csrf_token": csrf_from(page)})


def shown(response) -> str:
    """A page's text with its line breaks and indents as one space each, as a browser shows it."""
    return " ".join(response.get_data(as_text=True).split())


def rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def bank_exists(bank_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(Bank, bank_id) is not None


def practise(user: User, bank: Bank) -> QuizAttempt:
    """A practice quiz of the bank with its question answered."""
    attempt = start_quiz(db.session, user, bank, None, 5)
    submit_answer(db.session, attempt.items[0], given_for(attempt.items[0], True))
    db.session.commit()
    return attempt


def study(user: User, bank: Bank) -> None:
    """The bank's question rated once as a study card."""
    question = db.session.scalar(select(Question).where(Question.bank_id == bank.id))
    record_review(db.session, user, question, 3, 0, fuzz=False)
    db.session.commit()


def assign(instructor: User, bank: Bank) -> Assignment:
    classroom = create_class(db.session, instructor, "History 101")
    assignment = Assignment(classroom=classroom, bank_id=bank.id, title="Week 1")
    db.session.add(assignment)
    db.session.commit()
    return assignment


def test_an_unused_bank_is_deleted_with_its_questions_and_revisions(teacher):
    bank = uploaded(teacher)
    preview = teacher.get(f"/banks/{bank.id}/preview").get_data(as_text=True)
    assert f'href="{delete_url(bank.id)}"' in preview

    page = teacher.get(delete_url(bank.id))
    text = shown(page)
    assert page.status_code == 200
    assert "Delete “Civics extra”?" in text and "Nobody else has taken quizzes on it" in text
    assert "Delete the bank" in text and f'href="/banks/{bank.id}/preview">Keep it' in text

    response = confirm(teacher, bank.id)
    assert response.status_code == 302 and response.location == "/banks/mine"
    assert not bank_exists(bank.id)
    assert rows(Question) == rows(QuestionRevision) == 0
    mine = teacher.get("/banks/mine").get_data(as_text=True)
    assert "“Civics extra” deleted" in mine and "You have not uploaded a bank yet" in mine


def test_ones_own_practice_goes_with_the_bank_and_the_page_says_so(teacher, instructor):
    bank = uploaded(teacher)
    practise(instructor, bank)
    study(instructor, bank)
    text = shown(teacher.get(delete_url(bank.id)))
    assert "your own 1 practice quiz and 1 study card of it" in text and "Delete the bank" in text

    assert confirm(teacher, bank.id).status_code == 302
    assert not bank_exists(bank.id)
    assert rows(QuizAttempt) == rows(Response) == rows(Card) == rows(ReviewLog) == 0


def _others_practice(bank: Bank, student: User, _instructor: User) -> None:
    practise(student, bank)


def _others_quiz_unanswered(bank: Bank, student: User, _instructor: User) -> None:
    start_quiz(db.session, student, bank, None, 5)
    db.session.commit()


def _others_study(bank: Bank, student: User, _instructor: User) -> None:
    study(student, bank)


def _assignment_set(bank: Bank, _student: User, instructor: User) -> None:
    assign(instructor, bank)


def _assignment_worked_on(bank: Bank, student: User, instructor: User) -> None:
    assignment = assign(instructor, bank)
    join_class(db.session, student, assignment.classroom.join_code)
    attempt = start_attempt(db.session, assignment, student, utcnow())
    submit_answer(db.session, attempt.items[0], given_for(attempt.items[0], False))
    db.session.commit()


USES = {
    "a student's practice quiz": (_others_practice, "1 person besides you has taken quizzes on it"),
    "a quiz started but not answered": (_others_quiz_unanswered, "1 person besides you has taken quizzes on it"),
    "a student's study card": (_others_study, "1 person besides you has taken quizzes on it or studied"),
    "an assignment nobody started": (_assignment_set, "It is set in 1 assignment in 1 class."),
    "an assignment worked on": (_assignment_worked_on, "and it is set in 1 assignment in 1 class."),
}


@pytest.mark.parametrize("use", USES)
def test_a_bank_someone_used_is_not_deleted_and_the_page_says_why(teacher, instructor, student, use):
    bank = uploaded(teacher)
    make_use, reason = USES[use]
    make_use(bank, student, instructor)
    before = (rows(Question), rows(QuizAttempt), rows(Response), rows(Card), rows(ReviewLog), rows(Assignment))

    page = teacher.get(delete_url(bank.id))
    text = shown(page)
    assert page.status_code == 200
    assert "“Civics extra” cannot be deleted" in text and reason in text
    assert "Delete the bank" not in text
    if "assignment" in use:
        assert "<li>“Week 1” in History 101</li>" in text

    # Posted anyway (an old tab, or the use came after the page was shown): refused, nothing lost.
    refused = teacher.post(delete_url(bank.id), data={"csrf_token": csrf_from(text)})
    assert refused.status_code == 409 and "cannot be deleted" in shown(refused)
    assert bank_exists(bank.id)
    assert (rows(Question), rows(QuizAttempt), rows(Response), rows(Card), rows(ReviewLog),
            rows(Assignment)) == before


def test_a_used_bank_offers_unpublishing_instead(teacher, student):
    bank = uploaded(teacher)
    bank.is_published = True
    db.session.commit()
    practise(student, bank)
    text = shown(teacher.get(delete_url(bank.id)))
    assert f'action="/banks/{bank.id}/unpublish"' in text and "Unpublish it" in text

    teacher.post(f"/banks/{bank.id}/unpublish", data={"csrf_token": csrf_from(text)})
    text = shown(teacher.get(delete_url(bank.id)))
    assert "It is not published, so students neither see it" in text and "/unpublish" not in text


def test_an_assignment_nobody_started_can_be_deleted_to_free_the_bank(teacher, instructor):
    bank = uploaded(teacher)
    assignment = assign(instructor, bank)
    assert "Nobody has started this assignment yet" in shown(teacher.get(delete_url(bank.id)))
    db.session.delete(assignment)
    db.session.commit()
    assert confirm(teacher, bank.id).status_code == 302
    assert not bank_exists(bank.id)


def test_another_instructor_gets_404_and_a_student_403(app, teacher, make_user):
    bank = uploaded(teacher)
    token = csrf_from(teacher.get(delete_url(bank.id)).get_data(as_text=True))
    for role, status in ((Role.INSTRUCTOR, 404), (Role.ADMIN, 404), (Role.STUDENT, 403)):
        client = app.test_client()
        login(client, make_user(role).email)
        own_token = csrf_from(client.get("/classes/").get_data(as_text=True))
        assert client.get(delete_url(bank.id)).status_code == status
        assert client.post(delete_url(bank.id), data={"csrf_token": own_token}).status_code == status
        assert client.post(delete_url(bank.id), data={"csrf_token": token}).status_code in (400, status)
    assert bank_exists(bank.id)


def test_a_bank_from_the_question_files_cannot_be_deleted_from_the_web(app, teacher, fixture_bank, make_user):
    files_bank = db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))
    admin = app.test_client()
    login(admin, make_user(Role.ADMIN).email)
    for client in (teacher, admin):
        assert client.get(delete_url(files_bank.id)).status_code == 404
        token = csrf_from(client.get("/classes/").get_data(as_text=True))
        assert client.post(delete_url(files_bank.id), data={"csrf_token": token}).status_code == 404
    assert bank_exists(files_bank.id)


def test_deleting_needs_the_csrf_token(teacher):
    bank = uploaded(teacher)
    assert teacher.post(delete_url(bank.id)).status_code == 400
    assert teacher.post(delete_url(bank.id), data={"csrf_token": "forged"}).status_code == 400
    assert bank_exists(bank.id)


def test_a_deleted_bank_does_not_come_back_when_the_banks_are_loaded(teacher, runner):
    bank = uploaded(teacher)
    # Uploads are unpacked in a temporary folder and loaded from there: nothing of them is kept on disk.
    assert not any("civics-extra" in path.read_text(encoding="utf-8", errors="replace")
                   for path in QUESTIONS.rglob("*.yaml"))
    assert confirm(teacher, bank.id).status_code == 302
    result = runner.invoke(args=["questions", "load"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Bank).where(Bank.slug == "civics-extra")) is None
    # The id is free again: the same file uploaded afresh, without "Update my bank", makes a new bank.
    assert uploaded(teacher).title == "Civics extra"


def test_assignments_in_other_instructors_classes_are_counted_not_named(teacher, instructor, make_user):
    """A public bank set by instructors its owner does not know: its delete page names the owner's own classes'
    assignments only; the others' titles and class names are theirs to know."""
    bank = uploaded(teacher)
    bank.is_published = bank.is_public = True
    db.session.commit()
    stranger = make_user(Role.INSTRUCTOR)
    theirs = create_class(db.session, stranger, "Year 9 at another school")
    db.session.add(Assignment(classroom=theirs, bank_id=bank.id, title="Their secret quiz"))
    db.session.commit()

    text = shown(teacher.get(delete_url(bank.id)))
    assert "It is set in 1 assignment in 1 class." in text
    assert "<li>1 assignment in other instructors' classes</li>" in text
    assert "Their secret quiz" not in text and "Year 9 at another school" not in text
    assert "only the instructors of that class can delete it" in text

    assign(instructor, bank)
    db.session.add(Assignment(classroom=theirs, bank_id=bank.id, title="Their other quiz"))
    db.session.commit()
    text = shown(teacher.get(delete_url(bank.id)))
    assert "It is set in 3 assignments in 2 classes." in text
    assert "<li>“Week 1” in History 101</li><li>and 2 assignments in other instructors' classes</li>" in text
    assert all(name not in text for name in ("Their secret quiz", "Their other quiz", "Year 9 at another"))
    assert ("delete those in your classes on their class pages; those in other instructors' classes only their "
            "instructors can delete") in text
    # A co-taught class is the owner's too: its assignments are named, once the owner has accepted to teach it.
    invitation = invite_instructor(db.session, theirs, instructor.email, by=stranger)
    db.session.commit()
    assert "Their secret quiz" not in shown(teacher.get(delete_url(bank.id)))
    accept_invitation(db.session, instructor, invitation)
    db.session.commit()
    text = shown(teacher.get(delete_url(bank.id)))
    assert "“Their secret quiz” in Year 9 at another school" in text and "other instructors' classes" not in text

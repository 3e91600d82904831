"""Forms sent twice at once (a double click, two tabs) or again later (Back and resend) change things once and
fail nowhere; an instructor deleting a bank while a student starts a quiz on it loses neither the quiz nor the
bank by surprise.

Like tests/test_concurrency.py, the app runs on a threaded server on the test's own database (SQLite, or
PostgreSQL with TEST_DATABASE_URL) and each tab is an HTTP client of its own; the bank tests hold one
transaction open in a thread while the other side starts, as tests/test_new_card_limit.py does.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.auth.accounts import register_user
from quizapp.authoring import deletion
from quizapp.authoring.deletion import delete_unused_bank
from quizapp.authoring.uploads import load_upload
from quizapp.banks import loader
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Classroom, Membership, QuizAttempt, Role, User
from quizapp.quiz.service import BankGone, start_quiz
from tests.concurrent_clients import Browser, at_once, serve
from tests.conftest import PASSWORD, QUESTIONS
from tests.test_uploads import GOOD_BANK

ROUNDS = 10


def teaching(rounds: int = ROUNDS) -> tuple[User, list[int], list[int]]:
    """An instructor with classes, each with an assignment and a student on its roster."""
    teacher = register_user(db.session, "teacher@example.org", "Teacher", PASSWORD, Role.INSTRUCTOR)
    student = register_user(db.session, "student@example.org", "Student", PASSWORD)
    bank_id = db.session.scalar(select(Bank.id))
    classes, assignments = [], []
    for number in range(rounds):
        classroom = create_class(db.session, teacher, f"Civics {number}")
        join_class(db.session, student, classroom.join_code)
        assignment = Assignment(classroom=classroom, bank_id=bank_id, title="Week 1", created_by=teacher.id)
        db.session.add(assignment)
        db.session.flush()
        classes.append(classroom.id)
        assignments.append(assignment.id)
    db.session.commit()
    return teacher, classes, assignments


def sent_twice(app: Flask, email: str, posts: list[tuple[str, dict[str, object]]]) -> list[int]:
    """Each form posted from two tabs of one browser at the same moment; the statuses answered."""
    with serve(app) as address:
        browser = Browser(address)
        browser.log_in(email, PASSWORD)
        tasks = [lambda b=tab, u=url, f=form: [b.request("POST", u, f)[0]]
                 for url, form in posts for tab in (browser, browser.twin())]
        return at_once(tasks)


def count(model, *where) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_deleting_a_class_twice_at_once_deletes_it_once(app, fixture_bank):
    teacher, classes, _ = teaching()
    statuses = sent_twice(app, teacher.email, [(f"/classes/{c}/delete", {}) for c in classes])
    # The second send finds the class gone (404) or deletes nothing; neither fails.
    assert set(statuses) <= {302, 404} and statuses.count(302) >= ROUNDS
    assert count(Classroom) == count(Membership) == count(Assignment) == 0


def test_deleting_an_assignment_twice_at_once_deletes_it_once(app, fixture_bank):
    teacher, classes, assignments = teaching()
    statuses = sent_twice(app, teacher.email, [(f"/classes/{c}/assignments/{a}/delete", {})
                                          for c, a in zip(classes, assignments, strict=True)])
    assert set(statuses) <= {302, 404} and statuses.count(302) >= ROUNDS
    assert count(Assignment) == 0 and count(Classroom) == ROUNDS


def test_removing_a_student_twice_at_once_removes_them_once(app, fixture_bank):
    teacher, classes, _ = teaching()
    student_id = db.session.scalar(select(User.id).where(User.email == "student@example.org"))
    statuses = sent_twice(app, teacher.email, [(f"/classes/{c}/students/{student_id}/remove", {}) for c in classes])
    assert set(statuses) <= {302, 404} and statuses.count(302) >= ROUNDS
    assert count(Membership, Membership.user_id == student_id) == 0


def test_joining_a_class_as_its_instructor_deletes_it_fails_nowhere(app, fixture_bank):
    """A student joins each class by its code as its instructor deletes it: joined then deleted with the class, or
    told it is gone; never a server error, never a membership left of a deleted class."""
    teacher, classes, _ = teaching()
    newcomer = register_user(db.session, "newcomer@example.org", "Newcomer", PASSWORD)
    codes = dict(db.session.execute(select(Classroom.id, Classroom.join_code)).all())
    db.session.commit()
    with serve(app) as address:
        instructor, student = Browser(address), Browser(address)
        instructor.log_in(teacher.email, PASSWORD)
        student.log_in(newcomer.email, PASSWORD)
        tasks = [task for c in classes for task in (
            lambda c=c: [instructor.twin().request("POST", f"/classes/{c}/delete", {})[0]],
            lambda c=c: [student.twin().request("POST", "/classes/join", {"code": codes[c]})[0]])]
        statuses = at_once(tasks)
    deletes, joins = statuses[0::2], statuses[1::2]
    assert set(deletes) == {302} and set(joins) <= {302, 422}
    assert count(Classroom) == count(Membership) == 0


def test_closing_joining_sent_twice_leaves_it_closed(app, fixture_bank):
    """Close joining, clicked twice (one click after the other) or sent again with Back: still closed."""
    teacher, classes, _ = teaching(1)
    with serve(app) as address:
        browser = Browser(address)
        browser.log_in(teacher.email, PASSWORD)
        _status, page = browser.request("GET", f"/classes/{classes[0]}")
        assert 'name="open" value="0"' in page and "Close joining" in page
        for _send in range(2):
            assert browser.request("POST", f"/classes/{classes[0]}/joining", {"open": "0"})[0] == 302
            db.session.remove()
            assert db.session.get(Classroom, classes[0]).joining_open is False
        _status, page = browser.request("GET", f"/classes/{classes[0]}")
        assert 'name="open" value="1"' in page and "Open joining" in page
        for _send in range(2):
            assert browser.request("POST", f"/classes/{classes[0]}/joining", {"open": "1"})[0] == 302
            db.session.remove()
            assert db.session.get(Classroom, classes[0]).joining_open is True


def upload(address: tuple[str, int], browser: Browser, text: str) -> int:
    """A bank file posted from the upload form; the status answered."""
    return upload_answer(address, browser, text)[0]


def upload_answer(address: tuple[str, int], browser: Browser, text: str) -> tuple[int, str]:
    """A bank file posted from the upload form; the status and page answered."""
    boundary = "bank-file-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{browser.csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="civics.yaml"\r\n'
            f"Content-Type: application/x-yaml\r\n\r\n{text}\r\n--{boundary}--\r\n").encode()
    connection = http.client.HTTPConnection(*address, timeout=120)
    try:
        connection.request("POST", "/banks/upload", body, {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{name}={value}" for name, value in browser.cookies.items())})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_a_bank_file_uploaded_twice_at_once_makes_one_bank(app, fixture_bank):
    """A double click on Upload: one send loads the bank, the other says the instructor has it already."""
    teacher, _classes, _ = teaching(1)
    files = [GOOD_BANK.replace("civics-extra", f"civics-extra-{number}") for number in range(ROUNDS)]
    with serve(app) as address:
        browser = Browser(address)
        browser.log_in(teacher.email, PASSWORD)
        statuses = at_once([lambda b=tab, t=text: [upload(address, b, t)]
                            for text in files for tab in (browser, browser.twin())])
    assert Counter(statuses) == {302: ROUNDS, 422: ROUNDS}
    assert count(Bank, Bank.slug.like("civics-extra-%")) == ROUNDS


def test_two_instructors_uploading_a_bank_of_the_same_id_at_once_make_one_bank(app, fixture_bank):
    """Two instructors who chose the same bank id upload at the same moment: one bank is made, and the other
    is told the id is taken, as if they had uploaded a moment later."""
    teacher, _classes, _ = teaching(1)
    colleague = register_user(db.session, "colleague@example.org", "Colleague", PASSWORD, Role.INSTRUCTOR)
    db.session.commit()
    files = [GOOD_BANK.replace("civics-extra", f"civics-extra-{number}") for number in range(ROUNDS)]
    titles = {teacher.id: "Civics extra", colleague.id: "Colleague's civics"}
    with serve(app) as address:
        browsers = {teacher.id: Browser(address), colleague.id: Browser(address)}
        for user in (teacher, colleague):
            browsers[user.id].log_in(user.email, PASSWORD)
        answers: list[tuple[int, str]] = []

        def send(browser: Browser, text: str) -> list[int]:
            answers.append(upload_answer(address, browser, text))
            return [answers[-1][0]]

        at_once([partial(send, browser, text.replace("Civics extra", titles[user_id]))
                 for text in files for user_id, browser in browsers.items()])
    assert Counter(status for status, _page in answers) == {302: ROUNDS, 422: ROUNDS}
    for status, page in answers:
        assert status == 302 or "is already taken by another bank; choose another id" in page
    # Each bank is its uploader's file: neither upload rewrote the other's bank.
    banks = db.session.scalars(select(Bank).where(Bank.slug.like("civics-extra-%"))).all()
    assert len(banks) == ROUNDS and all(bank.title == titles[bank.owner_id] for bank in banks)


def test_a_bank_another_instructor_loads_while_an_upload_is_checked_is_left_alone(app, fixture_bank, monkeypatch):
    """On PostgreSQL each statement sees what was committed before it, so the loader may find a bank of the
    upload's id that another instructor loaded after the upload's checks: it refuses instead of rewriting it."""
    owner = register_user(db.session, "owner@example.org", "Owner", PASSWORD, Role.INSTRUCTOR)
    colleague = register_user(db.session, "colleague@example.org", "Colleague", PASSWORD, Role.INSTRUCTOR)
    db.session.commit()
    checked = loader.type_changes

    def colleague_loads_first(session, result):
        session.add(Bank(slug="civics-extra", title="Colleague's civics", owner_id=colleague.id))
        session.flush()
        return checked(session, result)

    monkeypatch.setattr(loader, "type_changes", colleague_loads_first)
    outcome = load_upload(db.session, owner, "civics.yaml", GOOD_BANK.encode(), QUESTIONS, replace=False)
    assert [problem.message for problem in outcome.problems] == [
        "bank id 'civics-extra' is already taken by another bank; choose another id"]
    assert outcome.report is None


@pytest.fixture
def uploaded_bank(app, fixture_bank) -> tuple[int, int]:
    """An instructor's published bank, nobody's work on it yet, and a student who may practise it: their ids."""
    return publish_an_upload()


def publish_an_upload() -> tuple[int, int]:
    """An instructor uploads and publishes a bank that a student may practise: the bank's and student's ids."""
    owner = register_user(db.session, "owner@example.org", "Owner", PASSWORD, Role.INSTRUCTOR)
    student = register_user(db.session, "student@example.org", "Student", PASSWORD)
    outcome = load_upload(db.session, owner, "civics.yaml", GOOD_BANK.encode(), QUESTIONS)
    assert outcome.ok, outcome.problems
    bank = outcome.banks[0]
    bank.is_published = bank.is_public = True
    db.session.commit()
    return bank.id, student.id


def slowed_bank_use(monkeypatch, seconds: float) -> None:
    """Deleting a bank takes its time between counting the bank's use and deleting it."""
    counted = deletion.bank_use

    def bank_use(session, bank):
        use = counted(session, bank)
        time.sleep(seconds)
        return use

    monkeypatch.setattr(deletion, "bank_use", bank_use)


@contextmanager
def deleting_slowly(monkeypatch, bank_id: int) -> Iterator[dict[str, object]]:
    """The bank's deletion under way in another thread, paused between counting the bank's use and deleting it;
    once the block is left, what the deletion returned, under "use"."""
    slowed_bank_use(monkeypatch, 0.5)
    outcome: dict[str, object] = {}
    engine = db.engine

    def delete_it() -> None:
        with Session(engine) as session:
            outcome["use"] = delete_unused_bank(session, session.get(Bank, bank_id))

    deleter = threading.Thread(target=delete_it)
    deleter.start()
    time.sleep(0.2)
    yield outcome
    deleter.join(timeout=30)


def test_a_quiz_started_while_its_bank_is_being_deleted_is_not_started(app, uploaded_bank, monkeypatch):
    """The deletion has counted no use and is about to delete: the start waits, then says the bank is gone."""
    bank_id, student_id = uploaded_bank
    with serve(app) as address:
        browser = Browser(address)
        browser.log_in("student@example.org", PASSWORD)
        with deleting_slowly(monkeypatch, bank_id) as outcome:
            status, _ = browser.request("POST", f"/quiz/start/{bank_id}",
                                        {f"bank{bank_id}-topic": "", f"bank{bank_id}-length": 5})
        _status, home = browser.request("GET", "/")
    assert outcome == {"use": None}  # deleted
    assert status == 302 and "That bank has just been deleted by its author, so no quiz was started." in home
    assert count(Bank, Bank.id == bank_id) == 0 and count(QuizAttempt, QuizAttempt.user_id == student_id) == 0


def test_a_bank_deleted_while_a_quiz_on_it_starts_is_kept_with_the_quiz(app, uploaded_bank, monkeypatch):
    """The start has drawn its questions but not committed: the deletion waits, then finds the bank used.

    On PostgreSQL the deletion would otherwise count no use yet and then take the new quiz with the bank."""
    bank_id, student_id = uploaded_bank
    started: dict[str, int] = {}
    engine = db.engine

    def start_and_hold() -> None:
        with Session(engine) as session:
            attempt = start_quiz(session, session.get(User, student_id), session.get(Bank, bank_id), None, 1)
            time.sleep(0.5)
            session.commit()
            started["attempt"] = attempt.id

    starter = threading.Thread(target=start_and_hold)
    starter.start()
    time.sleep(0.2)
    with Session(db.engine) as session:
        use = delete_unused_bank(session, session.get(Bank, bank_id))
    starter.join(timeout=30)
    assert use is not None and use.others == 1
    assert count(Bank, Bank.id == bank_id) == 1
    assert count(QuizAttempt, QuizAttempt.id == started["attempt"]) == 1


def test_a_quiz_started_on_a_bank_deleted_a_moment_ago_says_so(app, uploaded_bank):
    bank_id, student_id = uploaded_bank
    with Session(db.engine) as session:
        bank = session.get(Bank, bank_id)
        with Session(db.engine) as other:
            assert delete_unused_bank(other, other.get(Bank, bank_id)) is None
        with pytest.raises(BankGone):
            start_quiz(session, session.get(User, student_id), bank, None, 1)

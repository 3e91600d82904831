"""A hundred students answering and reviewing at once lose and duplicate nothing; a double click records once.

The real app runs on a threaded server on the test's own database (SQLite, or PostgreSQL with TEST_DATABASE_URL),
and every student is a separate HTTP client with its own session. tests/test_concurrency_gunicorn.py sends the
same kind of load to gunicorn with several worker processes, and tests/test_new_card_limit.py the first ratings
that race for the last new card of the day.
"""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import func, select

from quizapp.auth.accounts import register_user
from quizapp.auth.reset import reset_token
from quizapp.classroom.invitations import invite_instructor
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import (
    ApiToken,
    Assignment,
    Bank,
    Card,
    Classroom,
    InstructorInvitation,
    Membership,
    Question,
    QuestionRevision,
    QuizAttempt,
    QuizItem,
    Response,
    ReviewLog,
    Role,
    User,
)
from quizapp.quiz.service import start_quiz, submit_answer
from tests.concurrent_clients import Browser, at_once, serve
from tests.conftest import PASSWORD, csrf_from
from tests.test_coteaching import co_teach

STUDENTS = 100
GOOD = 3


@dataclass
class Student:
    email: str
    user_id: int
    attempt_id: int
    items: list[tuple[int, int, dict[str, object]]]  # position, item id, the answer form's fields
    to_rate: list[int]  # question ids
    browser: Browser | None = None


def answer_fields(qtype: str, data: dict) -> dict[str, object]:
    """A filled-in answer form for a question: some right, some wrong."""
    if qtype in ("single_choice", "multiple_response"):
        return {"answer": "0"}
    if qtype == "true_false":
        return {"answer": "true"}
    if qtype in ("numeric", "short_text"):
        return {"answer": "98"}
    if qtype == "cloze":
        return {f"blanks-{i}": "98" for i in range(len(data["blanks"]))}
    return {}  # a flashcard: "Show answer" records the response, graded by the student afterwards


def make_students(count: int, answers: int = 1, ratings: int = 1, avoid: int | None = None) -> list[Student]:
    """Students with a quiz started (answers items) and new cards to rate, none of them quiz questions."""
    bank = db.session.scalar(select(Bank))
    questions = [q for q in db.session.scalars(select(Question).order_by(Question.id)) if q.id != avoid]
    students = []
    for number in range(count):
        user = register_user(db.session, f"student{number}@example.org", f"Student {number}", PASSWORD)
        db.session.flush()
        attempt = start_quiz(db.session, user, bank, None, answers, random.Random(number))
        asked = {item.question_id for item in attempt.items}
        others = [q.id for q in questions if q.id not in asked]
        students.append(Student(
            user.email, user.id, attempt.id,
            [(item.position, item.id, answer_fields(item.question.type, item.revision.data)) for item in attempt.items],
            random.Random(number).sample(others, ratings)))
    db.session.commit()
    return students


def log_in_all(address: tuple[str, int], students: list[Student]) -> None:
    def log_in(student: Student) -> None:
        student.browser = Browser(address)
        student.browser.log_in(student.email, PASSWORD)

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(log_in, students))


def answer(browser: Browser, student: Student, position: int, fields: dict[str, object]) -> int:
    status, _ = browser.request("POST", f"/quiz/{student.attempt_id}/q/{position}", fields)
    return status


def rate(browser: Browser, question_id: int) -> int:
    status, _ = browser.request("POST", f"/study/{question_id}/rate",
                                {"rating": GOOD, "reviews": 0, "shown_at": "", "bank": ""})
    return status


def fresh_counts() -> tuple[Counter, Counter, dict[tuple[int, int], Card]]:
    """Responses per quiz item, review logs per (user, question), and the cards, as the database holds them."""
    db.session.remove()
    responses = Counter(db.session.scalars(select(Response.item_id)))
    reviews = Counter(tuple(row) for row in db.session.execute(select(ReviewLog.user_id, ReviewLog.question_id)))
    cards = {(c.user_id, c.question_id): c for c in db.session.scalars(select(Card))}
    return responses, reviews, cards


def test_a_hundred_students_answering_and_reviewing_at_once(app, fixture_bank) -> None:
    students = make_students(STUDENTS)
    with serve(app) as address:
        log_in_all(address, students)

        def work(student: Student):
            def run() -> list[int]:
                statuses = []
                for (position, _item, fields), question_id in zip(student.items, student.to_rate, strict=True):
                    statuses.append(answer(student.browser, student, position, fields))
                    statuses.append(rate(student.browser, question_id))
                return statuses
            return run

        statuses = at_once([work(s) for s in students])
    assert Counter(statuses) == {302: STUDENTS * 2}

    responses, reviews, cards = fresh_counts()
    assert responses == {item: 1 for s in students for _p, item, _f in s.items}
    assert reviews == {(s.user_id, q): 1 for s in students for q in s.to_rate}
    for student in students:
        for question_id in student.to_rate:
            assert cards[(student.user_id, question_id)].version == 1
    # Every wrong answer put its question in the student's review queue.
    wrong = [tuple(row) for row in db.session.execute(
        select(Response.user_id, Response.question_id)
        .where(Response.is_correct.is_(False), Response.given.is_not(None)))]
    assert wrong and all((user_id, question_id) in cards for user_id, question_id in wrong)


def flashcard_shown(student: Student, card: Question) -> int:
    """A quiz of one flashcard whose answer the student has seen: the self-grade is still to come."""
    attempt = QuizAttempt(user_id=student.user_id, bank_id=card.bank_id)
    revision_id = db.session.scalar(select(QuestionRevision.id).where(
        QuestionRevision.question_id == card.id, QuestionRevision.number == card.revision))
    attempt.items.append(QuizItem(position=1, question_id=card.id, revision_id=revision_id))
    db.session.add(attempt)
    db.session.flush()
    submit_answer(db.session, attempt.items[0], None)
    return attempt.id


def test_a_double_click_records_one_answer_and_one_rating(app, fixture_bank) -> None:
    card = db.session.scalar(select(Question).where(Question.type == "flashcard"))
    card_id = card.id
    pairs = make_students(20, avoid=card_id)
    self_graded = {student.user_id: flashcard_shown(student, card) for student in pairs}
    db.session.commit()
    with serve(app) as address:
        log_in_all(address, pairs)
        tasks = []
        for student in pairs:
            (position, _item, fields), question_id = student.items[0], student.to_rate[0]
            grade_url = f"/quiz/{self_graded[student.user_id]}/q/1/grade"
            for browser, button in ((student.browser, "knew"), (student.browser.twin(), "missed")):
                tasks.append(lambda b=browser, s=student, p=position, f=fields: [answer(b, s, p, f)])
                tasks.append(lambda b=browser, q=question_id: [rate(b, q)])
                # Two tabs, two different buttons: the first self-grade stands, the other changes nothing.
                tasks.append(lambda b=browser, u=grade_url, k=button: [b.request("POST", u, {k: "y"})[0]])
        statuses = at_once(tasks)
    assert Counter(statuses) == {302: len(tasks)}

    responses, reviews, cards = fresh_counts()
    assert set(responses.values()) == {1} and all(s.items[0][1] in responses for s in pairs)
    assert reviews == {(s.user_id, s.to_rate[0]): 1 for s in pairs}
    assert all(cards[(s.user_id, s.to_rate[0])].version == 1 for s in pairs)
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == len(pairs)
    graded = dict(db.session.execute(select(Response.user_id, Response.given).join(QuizItem)
                                     .where(QuizItem.attempt_id.in_(self_graded.values()))).all())
    assert sorted(graded) == sorted(self_graded) and set(graded.values()) <= {"knew", "missed"}
    # A flashcard graded "missed" goes to the review queue; one graded "knew" does not.
    assert {user_id for user_id, given in graded.items() if given == "missed"} == {
        user_id for user_id, question_id in cards if question_id == card_id}


def test_a_double_click_on_start_opens_one_assignment_attempt(app, fixture_bank) -> None:
    teacher = register_user(db.session, "teacher@example.org", "Teacher", PASSWORD, Role.INSTRUCTOR)
    classroom = create_class(db.session, teacher, "Civics")
    assignment = Assignment(classroom=classroom, bank_id=db.session.scalar(select(Bank.id)), title="Week 1",
                            created_by=teacher.id, attempt_limit=3)
    db.session.add(assignment)
    pairs = make_students(20)
    for student in pairs:
        join_class(db.session, db.session.get(User, student.user_id), classroom.join_code)
    db.session.commit()
    start_url = f"/classes/assignments/{assignment.id}/start"
    with serve(app) as address:
        log_in_all(address, pairs)
        tasks = [lambda b=browser: [b.request("POST", start_url, {})[0]]
                 for student in pairs for browser in (student.browser, student.browser.twin())]
        statuses = at_once(tasks)
    assert Counter(statuses) == {302: len(tasks)}
    db.session.remove()
    attempts = Counter(db.session.scalars(select(QuizAttempt.user_id).where(QuizAttempt.assignment_id.is_not(None))))
    assert attempts == {student.user_id: 1 for student in pairs}


def _logged_in(address: str, *users: User) -> dict[int, Browser]:
    """A browser logged in for each user, by user id."""
    browsers = {}
    for user in users:
        browsers[user.id] = Browser(address)
        browsers[user.id].log_in(user.email, PASSWORD)
    return browsers


def test_two_instructors_removing_each_other_at_once_leave_one(app, fixture_bank) -> None:
    first = register_user(db.session, "first@example.org", "First", PASSWORD, Role.INSTRUCTOR)
    second = register_user(db.session, "second@example.org", "Second", PASSWORD, Role.INSTRUCTOR)
    classes = []
    for number in range(5):
        classroom = create_class(db.session, first, f"Civics {number}")
        co_teach(classroom, second, by=first)
        classes.append(classroom.id)
    db.session.commit()
    with serve(app) as address:
        browsers = _logged_in(address, first, second)
        tasks = [lambda b=browsers[remover.id], c=class_id, gone=removed.id:
                 [b.request("POST", f"/classes/{c}/instructors/{gone}/remove", {})[0]]
                 for class_id in classes for remover, removed in ((first, second), (second, first))]
        statuses = at_once(tasks)
    # A request may find its sender taken off already (404); none fails.
    assert set(statuses) <= {302, 404}
    db.session.remove()
    left = Counter(db.session.scalars(select(Membership.classroom_id).where(Membership.role == "instructor")))
    assert left == {class_id: 1 for class_id in classes}


def test_inviting_an_instructor_twice_at_once_invites_them_once(app, fixture_bank) -> None:
    """A double click on "Invite instructor": one send invites the colleague, the other says they are invited."""
    first = register_user(db.session, "first@example.org", "First", PASSWORD, Role.INSTRUCTOR)
    colleagues = [register_user(db.session, f"colleague{number}@example.org", f"Colleague {number}", PASSWORD,
                                Role.INSTRUCTOR) for number in range(5)]
    classes = [create_class(db.session, first, f"Civics {number}").id for number in range(5)]
    db.session.commit()
    with serve(app) as address:
        browser = Browser(address)
        browser.log_in(first.email, PASSWORD)
        tasks = [lambda b=twin, c=class_id, email=colleague.email:
                 [b.request("POST", f"/classes/{c}/instructors", {"email": email})[0]]
                 for class_id, colleague in zip(classes, colleagues, strict=True) for twin in (browser, browser.twin())]
        statuses = at_once(tasks)
    assert Counter(statuses) == {302: len(classes), 422: len(classes)}
    db.session.remove()
    invited = Counter(db.session.scalars(select(InstructorInvitation.classroom_id)))
    assert invited == {class_id: 1 for class_id in classes}
    taught = Counter(db.session.scalars(select(Membership.classroom_id).where(Membership.role == "instructor")))
    assert taught == {class_id: 1 for class_id in classes}


def _invited_to_classes(count: int) -> tuple[User, User, list[tuple[int, int]]]:
    """An instructor with `count` classes, each with an invitation to a colleague: (class id, invitation id)."""
    first = register_user(db.session, "first@example.org", "First", PASSWORD, Role.INSTRUCTOR)
    second = register_user(db.session, "second@example.org", "Second", PASSWORD, Role.INSTRUCTOR)
    pairs = []
    for number in range(count):
        classroom = create_class(db.session, first, f"Civics {number}")
        pairs.append((classroom.id, invite_instructor(db.session, classroom, second.email, by=first).id))
    db.session.commit()
    return first, second, pairs


def test_accepting_while_the_invitation_is_withdrawn_does_one_or_the_other(app, fixture_bank) -> None:
    """Each class ends with the colleague teaching it and no invitation, or neither: never an invitation that
    was withdrawn yet made them a teacher, and no request fails."""
    first, second, pairs = _invited_to_classes(8)
    with serve(app) as address:
        browsers = _logged_in(address, first, second)
        tasks = [task for class_id, invitation_id in pairs for task in (
            lambda b=browsers[second.id], i=invitation_id: [b.request("POST", f"/classes/invitations/{i}/accept",
                                                                       {})[0]],
            lambda b=browsers[first.id], c=class_id, i=invitation_id:
                [b.request("POST", f"/classes/{c}/invitations/{i}/withdraw", {})[0]])]
        statuses = at_once(tasks)
    # The acceptance that comes after the withdrawal finds no invitation of the colleague's (404).
    assert set(statuses) <= {302, 404}
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(InstructorInvitation)) == 0
    taught = set(db.session.scalars(select(Membership.classroom_id).where(Membership.user_id == second.id)))
    roles = set(db.session.scalars(select(Membership.role).where(Membership.user_id == second.id)))
    assert taught <= {class_id for class_id, _ in pairs} and roles <= {"instructor"}


def test_accepting_while_the_class_is_deleted_leaves_nothing_behind(app, fixture_bank) -> None:
    first, second, pairs = _invited_to_classes(8)
    with serve(app) as address:
        browsers = _logged_in(address, first, second)
        tasks = [task for class_id, invitation_id in pairs for task in (
            lambda b=browsers[second.id], i=invitation_id: [b.request("POST", f"/classes/invitations/{i}/accept",
                                                                       {})[0]],
            lambda b=browsers[first.id], c=class_id: [b.request("POST", f"/classes/{c}/delete", {})[0]])]
        statuses = at_once(tasks)
    # The deletion that comes after the acceptance finds the class taught by two and deletes it all the same;
    # an acceptance after the deletion finds no invitation (404), or the class gone (302, and told so).
    assert set(statuses) <= {302, 404}
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Classroom)) == 0
    assert db.session.scalar(select(func.count()).select_from(InstructorInvitation)) == 0
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0


def test_a_token_form_sent_twice_at_once_makes_one_token(app, fixture_bank) -> None:
    pairs = make_students(10)
    with serve(app) as address:
        log_in_all(address, pairs)
        tasks = [lambda b=browser: [b.request("POST", "/auth/tokens", {"name": "grade script"})[0]]
                 for student in pairs for browser in (student.browser, student.browser.twin())]
        statuses = at_once(tasks)
    assert Counter(statuses) == {200: len(pairs), 422: len(pairs)}
    db.session.remove()
    assert Counter(db.session.scalars(select(ApiToken.user_id))) == {student.user_id: 1 for student in pairs}


def test_two_admins_demoting_each_other_at_once_leave_one(app, fixture_bank) -> None:
    first = register_user(db.session, "first@example.org", "First", PASSWORD, Role.ADMIN)
    second = register_user(db.session, "second@example.org", "Second", PASSWORD, Role.ADMIN)
    db.session.commit()
    admins = (first.id, second.id)
    with serve(app) as address:
        browsers = _logged_in(address, first, second)
        for _round in range(5):
            tasks = [lambda b=browsers[demoter], gone=demoted:
                     [b.request("POST", f"/admin/users/{gone}/role", {f"user{gone}-role": "student"})[0]]
                     for demoter, demoted in (admins, admins[::-1])]
            statuses = at_once(tasks)
            # A request may find its sender demoted already (403); none fails.
            assert set(statuses) <= {302, 403}
            db.session.remove()
            assert db.session.scalar(select(func.count()).select_from(User).where(User.role == "admin")) == 1
            for user in db.session.scalars(select(User)):
                user.role = "admin"
            db.session.commit()


def test_a_password_form_sent_twice_at_once_leaves_both_sendings_logged_in(app, fixture_bank) -> None:
    """Whichever answer of a double click the browser keeps, it is logged in with the new password."""
    pairs = make_students(10)
    new = "a brand new password"
    with serve(app) as address:
        log_in_all(address, pairs)
        clicks = [browser for student in pairs for browser in (student.browser, student.browser.twin())]
        tasks = [lambda b=browser: [b.request("POST", "/auth/password",
                                              {"current": PASSWORD, "password": new, "confirm": new})[0]]
                 for browser in clicks]
        statuses = at_once(tasks)
        assert Counter(statuses) == {302: len(tasks)}
        assert [browser.request("GET", "/progress/")[0] for browser in clicks] == [200] * len(clicks)
        for student in pairs:
            Browser(address).log_in(student.email, new)


def test_a_reset_link_sent_from_two_tabs_at_once_sets_one_password(app, fixture_bank) -> None:
    """Two tabs, two different passwords: one is set, the other tab is told the link was used."""
    pairs = make_students(10)
    with app.test_request_context():
        links = {student.user_id: f"/auth/reset/{reset_token(db.session.get(User, student.user_id))}"
                 for student in pairs}
    with serve(app) as address:
        tabs = []
        for student in pairs:
            browser = Browser(address)
            browser.csrf = csrf_from(browser.request("GET", links[student.user_id])[1])
            tabs += [(browser, student, "first new password"), (browser.twin(), student, "second new password")]
        answers = at_once([lambda b=b, s=s, p=p: [b.request("POST", links[s.user_id], {"password": p, "confirm": p})[0]]
                           for b, s, p in tabs])
    db.session.remove()
    for number, student in enumerate(pairs):
        first, second = answers[2 * number:2 * number + 2]
        assert sorted((first, second)) == [302, 404]
        user = db.session.get(User, student.user_id)
        assert user.check_password("first new password" if first == 302 else "second new password")
        assert user.session_version == 1

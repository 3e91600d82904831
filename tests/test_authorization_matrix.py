"""Every route, taken from the URL map, for every kind of visitor: the status each must get.

A route added without an entry here fails `test_every_route_has_an_entry`. Statuses are grouped:
OK (the request is served: 200, a redirect, 201/202, or 422 for the deliberately thin form data),
LOGIN (anonymous visitors are sent to log in; the API answers 401), and 403 / 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.api.tokens import create_token
from quizapp.auth.registration import token_digest
from quizapp.auth.reset import reset_token
from quizapp.authoring.uploads import load_upload
from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.invitations import invite_instructor
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, PendingRegistration, Role, SourceDocument, User
from quizapp.models.types import utcnow
from quizapp.quiz.service import start_quiz
from tests.conftest import QUESTIONS, csrf_from, login
from tests.test_uploads import GOOD_BANK

OK, LOGIN = "ok", "login"
ROLES = ("anonymous", "student", "other_student", "other_instructor", "admin", "instructor")
# Who may: everyone logged in; the student who owns the work; teachers of class A; instructors and admins.
ANYONE = {r: OK for r in ROLES}
MEMBERS = {**ANYONE, "anonymous": LOGIN}
OWNER = {"anonymous": LOGIN, "student": OK, "other_student": 404, "other_instructor": 404, "admin": 404,
         "instructor": 404}
TEACHER = {"anonymous": LOGIN, "student": 403, "other_student": 403, "other_instructor": 404, "admin": 404,
           "instructor": OK}
TEACHERS = {"anonymous": LOGIN, "student": 403, "other_student": 403, "other_instructor": OK, "admin": OK,
            "instructor": OK}
# An invitation to teach class A, sent to the other instructor: theirs alone to answer.
INVITEE = {"anonymous": LOGIN, "student": 404, "other_student": 404, "other_instructor": OK, "admin": 404,
           "instructor": 404}
ADMIN = {"anonymous": LOGIN, "student": 403, "other_student": 403, "other_instructor": 403, "admin": OK,
         "instructor": 403}

MATRIX: dict[tuple[str, str], tuple[str, dict[str, object]]] = {
    ("admin.users", "GET"): ("/admin/users", ADMIN),
    ("admin.change_role", "POST"): ("/admin/users/{student}/role", ADMIN),
    ("admin.deactivate_user", "GET"): ("/admin/users/{student}/deactivate", ADMIN),
    ("admin.deactivate_user", "POST"): ("/admin/users/{student}/deactivate", ADMIN),
    ("admin.reactivate_user", "POST"): ("/admin/users/{student}/reactivate", ADMIN),
    ("admin.temporary_password", "GET"): ("/admin/users/{student}/password", ADMIN),
    ("admin.temporary_password", "POST"): ("/admin/users/{student}/password", ADMIN),
    ("admin.add_accounts", "GET"): ("/admin/users/new", ADMIN),
    ("admin.add_accounts", "POST"): ("/admin/users/new", ADMIN),
    ("api.openapi", "GET"): ("/api/v1/openapi.json", ANYONE),
    ("api.banks", "GET"): ("/api/v1/banks", MEMBERS),
    ("api.bank_questions", "GET"): ("/api/v1/banks/{bank}/questions", MEMBERS),
    ("api.create_quiz", "POST"): ("/api/v1/quizzes", MEMBERS),
    ("api.quiz", "GET"): ("/api/v1/quizzes/{quiz}", OWNER),
    ("api.answer", "POST"): ("/api/v1/quizzes/{quiz}/items/1/answer", OWNER),
    ("api.hand_in", "POST"): ("/api/v1/quizzes/{assignment_attempt}/hand-in", OWNER),
    ("api.my_progress", "GET"): ("/api/v1/me/progress", MEMBERS),
    ("api.my_due_cards", "GET"): ("/api/v1/me/due", MEMBERS),
    ("api.gradebook", "GET"): ("/api/v1/classes/{class_a}/gradebook",
                               {**TEACHER, "student": 404, "other_student": 404}),
    ("auth.login", "GET"): ("/auth/login", ANYONE),
    ("auth.login", "POST"): ("/auth/login", ANYONE),
    ("auth.register", "GET"): ("/auth/register", ANYONE),
    ("auth.register", "POST"): ("/auth/register", ANYONE),
    ("auth.confirm", "GET"): ("/auth/confirm/{sign_up_token}", ANYONE),
    ("auth.confirm", "POST"): ("/auth/confirm/{sign_up_token}", ANYONE),
    ("auth.forgot", "GET"): ("/auth/forgot", ANYONE),
    ("auth.forgot", "POST"): ("/auth/forgot", ANYONE),
    ("auth.reset", "GET"): ("/auth/reset/{reset_token}", ANYONE),
    ("auth.reset", "POST"): ("/auth/reset/{reset_token}", ANYONE),
    ("auth.logout", "POST"): ("/auth/logout", MEMBERS),
    ("auth.tokens", "GET"): ("/auth/tokens", MEMBERS),
    ("auth.tokens", "POST"): ("/auth/tokens", MEMBERS),
    ("auth.revoke", "POST"): ("/auth/tokens/{token}/revoke", MEMBERS),
    ("auth.change_name", "POST"): ("/auth/name", MEMBERS),
    ("auth.password", "GET"): ("/auth/password", MEMBERS),
    ("auth.password", "POST"): ("/auth/password", MEMBERS),
    ("authoring.mine", "GET"): ("/banks/mine", TEACHERS),
    ("authoring.export", "GET"): ("/banks/{own_bank}/export/gift", TEACHER),
    ("authoring.downloads", "GET"): ("/banks/{own_bank}/downloads", TEACHER),
    ("authoring.upload", "GET"): ("/banks/upload", TEACHERS),
    ("authoring.upload", "POST"): ("/banks/upload", TEACHERS),
    ("authoring.preview", "GET"): ("/banks/{own_bank}/preview", TEACHER),
    ("authoring.publish", "POST"): ("/banks/{own_bank}/publish", TEACHER),
    ("authoring.unpublish", "POST"): ("/banks/{own_bank}/unpublish", TEACHER),
    ("authoring.delete", "GET"): ("/banks/{own_bank}/delete", TEACHER),
    ("authoring.delete", "POST"): ("/banks/{own_bank}/delete", TEACHER),
    ("classroom.index", "GET"): ("/classes/", MEMBERS),
    ("classroom.create", "POST"): ("/classes/new", TEACHERS),
    ("classroom.join", "GET"): ("/classes/join", MEMBERS),
    ("classroom.join", "POST"): ("/classes/join", MEMBERS),
    ("classroom.detail", "GET"): ("/classes/{class_a}", TEACHER),
    ("classroom.show_code", "GET"): ("/classes/{class_a}/code", TEACHER),
    ("classroom.new_code", "POST"): ("/classes/{class_a}/code", TEACHER),
    ("classroom.toggle_joining", "POST"): ("/classes/{class_a}/joining", TEACHER),
    ("classroom.remove", "GET"): ("/classes/{class_a}/students/{student}/remove", TEACHER),
    ("classroom.remove", "POST"): ("/classes/{class_a}/students/{student}/remove", TEACHER),
    ("classroom.add_teacher", "POST"): ("/classes/{class_a}/instructors", TEACHER),
    ("classroom.withdraw", "POST"): ("/classes/{class_a}/invitations/{invitation}/withdraw", TEACHER),
    ("classroom.accept", "POST"): ("/classes/invitations/{invitation}/accept", INVITEE),
    ("classroom.decline", "POST"): ("/classes/invitations/{invitation}/decline", INVITEE),
    ("classroom.remove_teacher", "GET"): ("/classes/{class_a}/instructors/{instructor}/remove", TEACHER),
    ("classroom.remove_teacher", "POST"): ("/classes/{class_a}/instructors/{instructor}/remove", TEACHER),
    ("classroom.rename", "POST"): ("/classes/{class_a}/name", TEACHER),
    ("classroom.delete_class_page", "GET"): ("/classes/{class_a}/delete", TEACHER),
    ("classroom.delete_class_page", "POST"): ("/classes/{class_a}/delete", TEACHER),
    ("classroom.new_assignment", "GET"): ("/classes/{class_a}/assignments/new", TEACHER),
    ("classroom.new_assignment", "POST"): ("/classes/{class_a}/assignments/new", TEACHER),
    ("classroom.assignment_detail", "GET"): ("/classes/{class_a}/assignments/{assignment}", TEACHER),
    ("classroom.statistics", "GET"): ("/classes/{class_a}/assignments/{assignment}/statistics", TEACHER),
    ("classroom.statistics_export", "GET"): ("/classes/{class_a}/assignments/{assignment}/statistics.csv", TEACHER),
    ("classroom.edit_assignment", "GET"): ("/classes/{class_a}/assignments/{assignment}/edit", TEACHER),
    ("classroom.edit_assignment", "POST"): ("/classes/{class_a}/assignments/{assignment}/edit", TEACHER),
    ("classroom.delete_assignment", "GET"): ("/classes/{class_a}/assignments/{assignment}/delete", TEACHER),
    ("classroom.delete_assignment", "POST"): ("/classes/{class_a}/assignments/{assignment}/delete", TEACHER),
    ("classroom.item_view", "GET"): ("/classes/{class_a}/assignments/{assignment}/questions/{assigned_question}",
                                     TEACHER),
    ("classroom.gradebook", "GET"): ("/classes/{class_a}/gradebook", TEACHER),
    ("classroom.grades_export", "GET"): ("/classes/{class_a}/grades.csv", TEACHER),
    ("classroom.responses_export", "GET"): ("/classes/{class_a}/responses.csv", TEACHER),
    ("classroom.student_work", "GET"): ("/classes/{class_a}/students/{student}", TEACHER),
    ("classroom.attempt_detail", "GET"): ("/classes/{class_a}/attempts/{assignment_attempt}", TEACHER),
    ("classroom.student_view", "GET"): ("/classes/{class_a}/work", OWNER),
    ("classroom.start", "POST"): ("/classes/assignments/{assignment}/start", OWNER),
    ("health.healthz", "GET"): ("/healthz", ANYONE),
    ("main.index", "GET"): ("/", ANYONE),
    ("main.favicon", "GET"): ("/favicon.ico", ANYONE),
    ("progress.index", "GET"): ("/progress/", MEMBERS),
    ("quiz.start", "POST"): ("/quiz/start/{bank}", MEMBERS),
    ("quiz.question", "GET"): ("/quiz/{quiz}/q/1", OWNER),
    ("quiz.answer", "POST"): ("/quiz/{quiz}/q/1", OWNER),
    ("quiz.self_grade", "POST"): ("/quiz/{quiz}/q/1/grade", OWNER),
    ("quiz.results", "GET"): ("/quiz/{quiz}/results", OWNER),
    ("quiz.hand_in", "GET"): ("/quiz/{assignment_attempt}/hand-in", OWNER),
    ("quiz.hand_in", "POST"): ("/quiz/{assignment_attempt}/hand-in", OWNER),
    ("reader.index", "GET"): ("/sources/", ANYONE),
    ("reader.document", "GET"): ("/sources/{document}", ANYONE),
    ("study.index", "GET"): ("/study/", MEMBERS),
    ("study.answer", "POST"): ("/study/{question}/answer", MEMBERS),
    ("study.rate", "POST"): ("/study/{question}/rate", MEMBERS),
    ("study.undo", "POST"): ("/study/undo", MEMBERS),
    ("study.settings", "GET"): ("/study/settings", MEMBERS),
    ("study.settings", "POST"): ("/study/settings", MEMBERS),
}
NOT_CHECKED = {"static"}  # files anyone may fetch


def routes(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint not in NOT_CHECKED
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_has_an_entry(app):
    missing = routes(app) - set(MATRIX)
    assert not missing, f"routes without an authorization entry: {sorted(missing)}"
    assert not set(MATRIX) - routes(app), "entries for routes that no longer exist"


class FreshSignUp:
    """Formats as the link token of a new pending sign-up each time: confirming one uses it up."""

    def __init__(self) -> None:
        self.count = 0

    def __format__(self, spec: str) -> str:
        self.count += 1
        token = f"sign-up-token-{self.count}"
        db.session.add(PendingRegistration(email=f"signup{self.count}@example.org", display_name="New",
                                           password_hash="x", token_hash=token_digest(token)))
        db.session.commit()
        return token


@dataclass
class World:
    ids: dict[str, object]
    clients: dict[str, FlaskClient]


@pytest.fixture
def world(app, make_user, fixture_bank) -> World:
    users = {"student": make_user(), "other_student": make_user(), "instructor": make_user(Role.INSTRUCTOR),
             "other_instructor": make_user(Role.INSTRUCTOR), "admin": make_user(Role.ADMIN)}
    bank = db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))
    class_a = create_class(db.session, users["instructor"], "A")
    create_class(db.session, users["other_instructor"], "B")
    join_class(db.session, users["student"], class_a.join_code)
    # Invited, not yet answered: every page of class A must still refuse the other instructor.
    invitation = invite_instructor(db.session, class_a, users["other_instructor"].email, by=users["instructor"])
    assignment = Assignment(classroom=class_a, bank_id=bank.id, title="Work", draw_count=2)
    db.session.add(assignment)
    db.session.flush()
    attempt = start_attempt(db.session, assignment, users["student"], utcnow())
    quiz = start_quiz(db.session, users["student"], bank, None, 3)
    own = load_upload(db.session, users["instructor"], "own.yaml", GOOD_BANK.encode(), QUESTIONS)
    token, _secret = create_token(db.session, users["student"], "script")
    db.session.commit()
    ids = {"student": users["student"].id, "instructor": users["instructor"].id, "bank": bank.id,
           "class_a": class_a.id, "assignment": assignment.id, "invitation": invitation.id,
           "assignment_attempt": attempt.id, "quiz": quiz.id, "question": quiz.items[0].question_id,
           "assigned_question": attempt.items[0].question_id,
           "own_bank": own.banks[0].id, "token": token.id, "sign_up_token": FreshSignUp(),
           "reset_token": reset_token(users["student"]),
           "document": db.session.scalar(select(SourceDocument.id))}
    clients = {"anonymous": app.test_client()}
    for role, user in users.items():
        clients[role] = app.test_client()
        login(clients[role], user.email)
    return World(ids, clients)


def call(world: World, role: str, method: str, url: str, with_token: bool = True):
    client = world.clients[role]
    if method == "GET":
        return client.get(url)
    page = client.get("/classes/" if role != "anonymous" else "/auth/login").get_data(as_text=True)
    token = csrf_from(page) if with_token else None
    if url.startswith("/api/"):
        return client.post(url, json={"bank_id": world.ids["bank"], "answer": 0},
                           headers={"X-CSRFToken": token} if token else {})
    # A review count makes study posts well-formed; other forms ignore it.
    return client.post(url, data={"reviews": "0", **({"csrf_token": token} if token else {})})


def verdict(response, url: str) -> object:
    status = response.status_code
    if url.startswith("/api/") and status == 401:
        return LOGIN
    if status in (301, 302, 303) and "/auth/login" in response.headers.get("Location", ""):
        return LOGIN
    if status in (200, 201, 202, 204, 301, 302, 303, 409, 422):
        return OK
    return status


def mismatches(world: World, endpoint: str, method: str) -> list[str]:
    template, expected = MATRIX[(endpoint, method)]
    found = []
    # Refusals first: a permitted write (a removal, a hand-in) must not change what a refused visitor sees.
    for role in sorted(ROLES, key=lambda r: expected[r] == OK):
        url = template.format(**world.ids)  # for each visitor: some ids are used up (FreshSignUp)
        got = verdict(call(world, role, method, url), url)
        if got != expected[role]:
            found.append(f"{method} {url} as {role}: {got}, expected {expected[role]}")
    return found


def test_every_read_for_every_visitor(world):
    """Reads change nothing, so one set of accounts and objects serves them all."""
    found = [m for endpoint, method in sorted(MATRIX) if method == "GET" for m in mismatches(world, endpoint, method)]
    assert not found, "\n".join(found)


WRITES = sorted(key for key in MATRIX if key[1] == "POST")


@pytest.mark.parametrize(("endpoint", "method"), WRITES)
def test_every_write_for_every_visitor(world, endpoint, method):
    found = mismatches(world, endpoint, method)
    assert not found, "\n".join(found)


def test_every_write_without_a_csrf_token_is_refused(world):
    found = []
    for endpoint, method in WRITES:
        template, expected = MATRIX[(endpoint, method)]
        url = template.format(**world.ids)
        role = next(r for r in reversed(ROLES) if expected[r] == OK)
        response = call(world, role, method, url, with_token=False)
        if response.status_code != 400:
            found.append(f"POST {url} as {role} without a token: {response.status_code}")
        elif url.startswith("/api/") and "CSRF" not in response.get_json()["error"]["message"]:
            found.append(f"POST {url}: refused, but not for its token")
    assert not found, "\n".join(found)


def test_the_api_skips_csrf_only_for_bearer_tokens(world, app):
    _token, secret = create_token(db.session, db.session.get(User, world.ids["student"]), "ci")
    db.session.commit()
    script = app.test_client(use_cookies=False)
    response = script.post("/api/v1/quizzes", json={"bank_id": world.ids["bank"]},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 201
    assert re.match(r"/api/v1/quizzes/\d+$", response.headers["Location"])


# What an account with a temporary password may reach before choosing its own: the rest sends it there.
BEFORE_OWN_PASSWORD = {("auth.password", "GET"), ("auth.password", "POST"), ("auth.logout", "POST"),
                       ("main.favicon", "GET"), ("health.healthz", "GET"), ("api.openapi", "GET")}


def test_a_temporary_password_must_be_replaced_before_any_other_page(world, app):
    accounts = {"student": db.session.get(User, world.ids["student"]),
                "admin": db.session.scalar(select(User).where(User.role == Role.ADMIN.value))}
    for role, user in accounts.items():
        user.set_password("temporary 12345")
        user.must_change_password = True
        db.session.commit()
        client = app.test_client()
        assert login(client, user.email, "temporary 12345").status_code == 302
        token = csrf_from(client.get("/auth/password").get_data(as_text=True))
        found = []
        for (endpoint, method), (template, _expected) in sorted(MATRIX.items()):
            if (endpoint, method) in BEFORE_OWN_PASSWORD:
                continue
            url = template.format(**world.ids)
            if method == "GET":
                response = client.get(url)
            elif url.startswith("/api/"):
                response = client.post(url, json={}, headers={"X-CSRFToken": token})
            else:
                response = client.post(url, data={"csrf_token": token})
            expected = 403 if url.startswith("/api/") else "/auth/password"
            got = response.status_code if url.startswith("/api/") else response.location
            if got != expected:
                found.append(f"{method} {url} as {role}: {response.status_code} {response.location}")
        assert not found, "\n".join(found)
        assert client.get("/auth/password").status_code == 200
        assert client.get("/static/app.css").status_code == 200

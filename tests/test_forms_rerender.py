"""Every form, sent with invalid data, comes back with its messages tied to the fields and what was typed kept."""

from __future__ import annotations

import importlib
import io
import pkgutil
import random
from dataclasses import dataclass, field

import pytest
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import select

import quizapp
from quizapp.auth.reset import reset_token
from quizapp.classroom.membership import create_class
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionRevision, Role
from quizapp.models.content import is_current_revision
from quizapp.quiz.service import start_quiz
from tests.conftest import csrf_from, login
from tests.html_forms import controls, described_error, parse, shown_values

LONG = "x" * 201


@dataclass(frozen=True)
class Case:
    """One invalid submission: who sends it where, which fields must show an error, what must be shown again."""

    form: str
    role: Role | None
    url: str
    data: dict[str, object]
    errors: tuple[str, ...]
    kept: dict[str, list[str]] = field(default_factory=dict)
    secret: tuple[str, ...] = ()
    method: str = "POST"
    status: int = 422


def answer_cases(prefix: str, url: str, form: str, extra: dict[str, str]) -> dict[str, Case]:
    """The answer form of each question type with something invalid in it, on a quiz or a study page.

    `url` and the values of `extra` may name the question type as {kind}."""
    student = Role.STUDENT

    def case(kind: str, data: dict[str, object], *args) -> Case:
        return Case(form, student, url.format(kind=kind), {**{k: v.format(kind=kind) for k, v in extra.items()},
                                                            **data}, *args)

    return {
        f"{prefix} single choice": case("single_choice", {"answer": "99"}, ("answer",)),
        f"{prefix} multiple response": case("multiple_response", {"answer": ["0", "99"]}, ("answer",),
                                            {"answer": ["0"]}),
        f"{prefix} true or false": case("true_false", {}, ("answer",)),
        f"{prefix} numeric": case("numeric", {"answer": LONG}, ("answer",), {"answer": [LONG]}),
        f"{prefix} short text": case("short_text", {"answer": LONG}, ("answer",), {"answer": [LONG]}),
        f"{prefix} cloze": case("cloze", {"blanks-0": "107", "blanks-1": LONG, "blanks-2": "mixed"}, ("blanks-1",),
                                {"blanks-0": ["107"], "blanks-1": [LONG], "blanks-2": ["mixed"]}),
        f"{prefix} cloze left empty": case("cloze", {"blanks-0": "", "blanks-1": " ", "blanks-2": ""},
                                           ("blanks-0", "blanks-1", "blanks-2")),
    }


CASES: dict[str, Case] = {
    "register": Case("quizapp.auth.forms.RegisterForm", None, "/auth/register",
                     {"email": "ada@", "display_name": "Ada Lovelace", "password": "short", "confirm": "other"},
                     ("email", "password", "confirm"), {"email": ["ada@"], "display_name": ["Ada Lovelace"]},
                     secret=("password", "confirm")),
    "forgot password": Case("quizapp.auth.forms.ForgotForm", None, "/auth/forgot", {"email": "ada@"}, ("email",),
                            {"email": ["ada@"]}),
    "reset password": Case("quizapp.auth.forms.ResetForm", None, "/auth/reset/{reset_token}",
                           {"password": "short", "confirm": "other"}, ("password", "confirm"),
                           secret=("password", "confirm")),
    "log in": Case("quizapp.auth.forms.LoginForm", None, "/auth/login",
                   {"email": "nobody@example.org", "password": "not the password", "remember": "y"},
                   ("password",), {"email": ["nobody@example.org"], "remember": ["y"]}, secret=("password",)),
    "change password": Case("quizapp.auth.forms.PasswordForm", Role.STUDENT, "/auth/password",
                            {"current": "whatever it is", "password": "short", "confirm": "other"},
                            ("password", "confirm"), secret=("current", "password", "confirm")),
    "change name": Case("quizapp.auth.forms.NameForm", Role.STUDENT, "/auth/name", {"display_name": "N" * 81},
                        ("display_name",), {"display_name": ["N" * 81]}),
    "API token": Case("quizapp.auth.forms.TokenForm", Role.STUDENT, "/auth/tokens", {"name": "t" * 101}, ("name",),
                      {"name": ["t" * 101]}),
    "start a quiz": Case("quizapp.quiz.forms.StartQuizForm", Role.STUDENT, "/quiz/start/{bank}",
                         {"bank{bank}-topic": "Parliament", "bank{bank}-length": "500"}, ("bank{bank}-length",),
                         {"bank{bank}-topic": ["Parliament"], "bank{bank}-length": ["500"]}),
    **answer_cases("quiz", "/quiz/{{attempt}}/q/{{position_{kind}}}", "quizapp.quiz.forms.AnswerForm", {}),
    **answer_cases("study", "/study/{{question_{kind}}}/answer", "quizapp.study.forms.StudyAnswerForm",
                   {"reviews": "0", "revision": "{{revision_{kind}}}", "shown_at": "1", "bank": ""}),
    "study settings": Case("quizapp.study.forms.SettingsForm", Role.STUDENT, "/study/settings",
                           {"timezone": "Mars/Olympus Mons", "day_starts_at": "24", "new_cards_per_day": "-5",
                            "desired_retention": "0.5", "again_good_only": "y"},
                           ("timezone", "day_starts_at", "new_cards_per_day", "desired_retention"),
                           {"new_cards_per_day": ["-5"], "desired_retention": ["0.5"], "again_good_only": ["y"]}),
    "create a class": Case("quizapp.classroom.forms.ClassForm", Role.INSTRUCTOR, "/classes/new", {"name": "C" * 121},
                           ("name",), {"name": ["C" * 121]}),
    "rename a class": Case("quizapp.classroom.forms.RenameForm", Role.INSTRUCTOR, "/classes/{classroom}/name",
                           {"name": "R" * 121}, ("name",), {"name": ["R" * 121]}),
    "join a class": Case("quizapp.classroom.forms.JoinForm", Role.STUDENT, "/classes/join", {"code": "NOPE-999"},
                         ("code",), {"code": ["NOPE-999"]}),
    "add an instructor": Case("quizapp.classroom.forms.InstructorForm", Role.INSTRUCTOR,
                              "/classes/{classroom}/instructors", {"email": "{student_email}"}, ("email",),
                              {"email": ["{student_email}"]}),
    "set an assignment": Case(
        "quizapp.classroom.forms.AssignmentForm", Role.INSTRUCTOR, "/classes/{classroom}/assignments/new",
        {"bank": "{bank}", "title": "", "selection": "topics", "draw_count": "0", "shuffle_choices": "y",
         "opens_at": "2030-01-02T10:00", "due_at": "2030-01-01T10:00", "attempt_limit": "many",
         "time_limit_minutes": "5", "feedback_policy": "each", "late_policy": "mark", "grading": "last"},
        ("title", "topics", "draw_count", "due_at", "attempt_limit"),
        {"selection": ["topics"], "draw_count": ["0"], "shuffle_choices": ["y"], "opens_at": ["2030-01-02T10:00"],
         "due_at": ["2030-01-01T10:00"], "attempt_limit": ["many"], "time_limit_minutes": ["5"],
         "feedback_policy": ["each"], "late_policy": ["mark"], "grading": ["last"]}),
    "upload without a file": Case("quizapp.authoring.forms.UploadForm", Role.INSTRUCTOR, "/banks/upload",
                                  {"format": "gift"}, ("file",), {"format": ["gift"]}),
    "upload of another type": Case("quizapp.authoring.forms.UploadForm", Role.INSTRUCTOR, "/banks/upload",
                                   {"format": "csv", "file": "bank.exe"}, ("file",), {"format": ["csv"]}),
    "search users": Case("quizapp.admin.forms.UserSearchForm", Role.ADMIN,
                         "/admin/users?q={long_query}&role=emperor&status=closed",
                         {}, ("q", "role", "status"), {"q": ["{long_query}"]}, method="GET"),
    "add accounts": Case("quizapp.admin.forms.NewAccountsForm", Role.ADMIN, "/admin/users/new",
                         {"lines": "Charles Babbage, charles@"}, ("lines",), {"lines": ["Charles Babbage, charles@"]}),
    "change a role": Case("quizapp.admin.forms.RoleForm", Role.ADMIN, "/admin/users/{student_id}/role",
                          {"user{student_id}-role": "emperor"}, ("user{student_id}-role",)),
}

# Forms without anything typed or chosen to keep: buttons whose only field is the CSRF token, and the base class.
NOTHING_TYPED = {
    "quizapp.auth.forms.LogoutForm", "quizapp.auth.forms.RevokeForm", "quizapp.auth.forms.ConfirmForm",
    "quizapp.classroom.forms.ActionForm", "quizapp.admin.forms.AccountForm",
    "quizapp.quiz.forms.HandInForm", "quizapp.quiz.forms.SelfGradeForm", "quizapp.authoring.forms.UnpublishForm",
    # Rating buttons and publishing choices: a value outside the offered ones is refused with a flashed message.
    "quizapp.study.forms.RateForm", "quizapp.authoring.forms.PublishForm",
    # A confirmation with one checkbox: ticked or not, nothing in it can be wrong.
    "quizapp.admin.forms.TemporaryPasswordForm",
}


def app_forms() -> set[str]:
    """Every form class the app defines at module level."""
    for module in pkgutil.walk_packages(quizapp.__path__, "quizapp."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found, pending = set(), list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending += form.__subclasses__()
        if form.__module__.startswith("quizapp.") and "<locals>" not in form.__qualname__:
            found.add(f"{form.__module__}.{form.__qualname__}")
    return found


def test_every_form_has_a_case() -> None:
    covered = {case.form for case in CASES.values()}
    assert app_forms() == covered | NOTHING_TYPED, "add a case to CASES (or explain in NOTHING_TYPED)"


@pytest.fixture
def world(app, fixture_bank, make_user) -> dict[str, object]:
    """Accounts of every role, a class, a quiz of every question type: the ids the cases' addresses name."""
    users = {role: make_user(role) for role in Role}
    student = users[Role.STUDENT]
    bank = db.session.scalar(select(Bank))
    classroom = create_class(db.session, users[Role.INSTRUCTOR], "Form tests")
    attempt = start_quiz(db.session, student, bank, None, 50, random.Random(1))
    db.session.commit()
    values: dict[str, object] = {"bank": bank.id, "classroom": classroom.id, "attempt": attempt.id,
                                 "student_id": student.id, "student_email": student.email, "long_query": "q" * 101,
                                 "users": users, "reset_token": reset_token(student)}
    values |= {f"position_{item.question.type}": item.position for item in attempt.items}
    # A study answer names the revision its page showed: the question's current one.
    for qtype, question_id, revision_id in db.session.execute(
            select(Question.type, Question.id, QuestionRevision.id).join(QuestionRevision, is_current_revision())):
        values |= {f"question_{qtype}": question_id, f"revision_{qtype}": revision_id}
    return values


def _fill(value: object, world: dict[str, object]) -> object:
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value.format(**world) if isinstance(value, str) else value


def _client(app, world: dict[str, object], role: Role | None) -> FlaskClient:
    client = app.test_client()
    if role is not None:
        assert login(client, world["users"][role].email).status_code == 302
    return client


def submit(client: FlaskClient, case: Case, world: dict[str, object]):
    url = _fill(case.url, world)
    if case.method == "GET":
        return client.get(url)
    page = client.get("/auth/login" if case.role is None else "/auth/tokens")
    data = {_fill(k, world): _fill(v, world) for k, v in case.data.items()}
    data["csrf_token"] = csrf_from(page.get_data(as_text=True))
    if "file" in data:
        data["file"] = (io.BytesIO(b"questions: []\n"), data["file"])
    return client.post(url, data=data, content_type="multipart/form-data" if "upload" in url else None)


def problems_of(case: Case, response, world: dict[str, object]) -> list[str]:
    """What is wrong with the page a case got back."""
    found = []
    if response.status_code != case.status:
        found.append(f"status {response.status_code}, expected {case.status}")
    page = parse(response.get_data(as_text=True))
    for name in (_fill(n, world) for n in case.errors):
        fields = controls(page, name)
        if not fields:
            found.append(f"no field {name}")
        for control in fields:
            if not described_error(page, control):
                found.append(f"{name}: no error message tied to it by aria-describedby")
            if control.attrs.get("type") not in ("radio", "checkbox") and control.attrs.get("aria-invalid") != "true":
                found.append(f"{name}: not marked aria-invalid")
    for name, expected in case.kept.items():
        shown = shown_values(page, _fill(name, world))
        if shown != _fill(expected, world):
            found.append(f"{_fill(name, world)}: shows {shown!r}, typed {_fill(expected, world)!r}")
    for name in case.secret:
        if shown_values(page, name):
            found.append(f"{name}: a password is sent back")
    return found


def test_every_form_rerenders_with_messages_and_what_was_typed(app, world) -> None:
    clients = {role: _client(app, world, role) for role in (None, *Role)}
    failures = {}
    for name, case in CASES.items():
        response = submit(clients[case.role], case, world)
        if problems := problems_of(case, response, world):
            failures[name] = problems
    assert not failures, "\n".join(f"{name}: {'; '.join(found)}" for name, found in failures.items())


def test_the_error_summary_says_how_many_problems_there_are(app, world) -> None:
    headings = {}
    for name in ("register", "forgot password"):
        case = CASES[name]
        page = parse(submit(_client(app, world, case.role), case, world).get_data(as_text=True))
        headings[name] = next(e.text() for e in page.walk() if e.attrs.get("id") == "error-summary-title")
    assert headings == {"register": "Please correct the 3 problems below:",
                        "forgot password": "Please correct the problem below:"}

"""Every answer of the API matches its OpenAPI document: each field it sends is described there, with the type
and nullability it really has, so that clients generated from the document can read real responses."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from quizapp.api.tokens import create_token
from quizapp.auth.temporary import give_temporary_password
from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.membership import create_class, join_class, remove_student
from quizapp.extensions import db
from quizapp.models import Assignment, Question, QuizItem
from quizapp.models.types import utcnow
from tests.conftest import csrf_from, login
from tests.test_api import API, bank_id, bearer, json_answer, start, token  # noqa: F401 - fixtures

DOCUMENT_ID = "urn:quizapp:openapi"


class Document:
    """The served document, able to find and check the schema of any response it describes."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.registry = Registry().with_resource(DOCUMENT_ID, Resource.from_contents(document, DRAFT202012))

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target = self.document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def schema_pointer(self, path: str, method: str, status: int) -> str:
        """Where in the document the schema of a response is."""
        responses = self.document["paths"][path][method.lower()]["responses"]
        assert str(status) in responses, f"{method} {path} answers {status}, which the document does not list"
        escaped = path.replace("~", "~0").replace("/", "~1")
        pointer = responses[str(status)].get("$ref") or f"#/paths/{escaped}/{method.lower()}/responses/{status}"
        return pointer + "/content/application~1json/schema"

    def problems(self, path: str, method: str, response) -> list[str]:
        """How a response departs from the document: invalid values, and fields it does not describe."""
        assert response.mimetype == "application/json", (path, response.status_code, response.mimetype)
        pointer, body = self.schema_pointer(path, method, response.status_code), response.get_json()
        validator = Draft202012Validator({"$ref": DOCUMENT_ID + pointer}, registry=self.registry,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        found = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
        return found + self._undescribed({"$ref": pointer}, body, "")

    def _undescribed(self, schema: dict[str, Any], value: Any, where: str) -> list[str]:
        schema = self._resolve(schema)
        if isinstance(value, dict):
            properties, extra = schema.get("properties", {}), schema.get("additionalProperties")
            found = []
            for key, item in value.items():
                if key in properties:
                    found += self._undescribed(properties[key], item, f"{where}/{key}")
                elif isinstance(extra, dict):
                    found += self._undescribed(extra, item, f"{where}/{key}")
                else:
                    found.append(f"{where}/{key}: not in the document")
            return found
        if isinstance(value, list) and "items" in schema:
            return [problem for index, item in enumerate(value)
                    for problem in self._undescribed(schema["items"], item, f"{where}/{index}")]
        return []


@pytest.fixture
def document(client) -> Document:
    return Document(client.get(f"{API}/openapi.json").get_json())


def _checked(document: Document, client, method: str, path: str, address: str, **kwargs):
    response = client.open(API + address, method=method, **kwargs)
    problems = document.problems(path, method, response)
    assert not problems, f"{method} {address} -> {response.status_code}: {problems}"
    return response


def _assignment(instructor, student, bank_id: int, policy: str) -> Assignment:  # noqa: F811 - a fixture's name
    classroom = create_class(db.session, instructor, f"Civics {policy}")
    join_class(db.session, student, classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=bank_id, title="Week 1", feedback_policy=policy)
    db.session.add(assignment)
    db.session.commit()
    return assignment


def test_quizzes_and_answers_of_every_type_match_the_document(document, client, token, bank_id):  # noqa: F811
    headers = bearer(token)
    _checked(document, client, "GET", "/banks", "/banks", headers=headers)
    _checked(document, client, "GET", "/banks/{bank_id}/questions", f"/banks/{bank_id}/questions", headers=headers)
    answer_path = "/quizzes/{attempt_id}/items/{position}/answer"
    for right in (True, False):
        quiz = _checked(document, client, "POST", "/quizzes", "/quizzes", json={"bank_id": bank_id, "length": 8},
                        headers=headers).get_json()
        for entry in quiz["items"]:
            item = db.session.scalar(select(QuizItem).where(QuizItem.attempt_id == quiz["id"],
                                                            QuizItem.position == entry["position"]))
            address = f"/quizzes/{quiz['id']}/items/{entry['position']}/answer"
            for _twice in range(2):
                sent = _checked(document, client, "POST", answer_path, address,
                                json={"answer": json_answer(item, right)}, headers=headers).get_json()
                # A miss of a question in a bank open to the student joins their study queue, and says so.
                assert sent["feedback"]["queued_for_study"] is not right
        _checked(document, client, "GET", "/quizzes/{attempt_id}", f"/quizzes/{quiz['id']}", headers=headers)
    _checked(document, client, "GET", "/me/progress", "/me/progress", headers=headers)
    due = _checked(document, client, "GET", "/me/due", "/me/due", headers=headers).get_json()
    assert due["cards"]


def test_progress_of_a_new_student_matches_the_document(document, client, token):  # noqa: F811
    progress = _checked(document, client, "GET", "/me/progress", "/me/progress", headers=bearer(token)).get_json()
    assert progress["study"]["retention_30_days"]["percent"] is None


def test_assignments_and_the_gradebook_match_the_document(document, client, student, instructor, token,  # noqa: F811
                                                          bank_id):  # noqa: F811
    assignment = _assignment(instructor, student, bank_id, "submit")
    attempt = start_attempt(db.session, assignment, student, utcnow())
    db.session.commit()
    headers, answer_path = bearer(token), "/quizzes/{attempt_id}/items/{position}/answer"
    saved = _checked(document, client, "POST", answer_path, f"/quizzes/{attempt.id}/items/1/answer",
                     json={"answer": json_answer(attempt.items[0])}, headers=headers)
    assert saved.status_code == 202
    _checked(document, client, "POST", "/quizzes/{attempt_id}/hand-in", f"/quizzes/{attempt.id}/hand-in",
             headers=headers)
    closed = _checked(document, client, "POST", answer_path, f"/quizzes/{attempt.id}/items/2/answer",
                      json={"answer": json_answer(attempt.items[1])}, headers=headers)
    assert closed.status_code == 409
    # An attempt whose student has left the class takes no hand-in.
    other = create_class(db.session, instructor, "Civics, left")
    join_class(db.session, student, other.join_code)
    db.session.add(Assignment(classroom=other, bank_id=bank_id, title="Week 1"))
    left = start_attempt(db.session, other.assignments[0], student, utcnow())
    remove_student(db.session, other, student.id)
    db.session.commit()
    refused = _checked(document, client, "POST", "/quizzes/{attempt_id}/hand-in", f"/quizzes/{left.id}/hand-in",
                       headers=headers)
    assert refused.status_code == 409
    _t, teacher = create_token(db.session, instructor, "gradebook")
    db.session.commit()
    # One class with the student's handed-in attempt, one where nothing was handed in yet (grades are null).
    for classroom_id in (assignment.classroom_id, _assignment(instructor, student, bank_id, "each").classroom_id):
        _checked(document, client, "GET", "/classes/{classroom_id}/gradebook", f"/classes/{classroom_id}/gradebook",
                 headers=bearer(teacher))


@pytest.mark.parametrize(("method", "path", "address", "body", "status"), [
    ("GET", "/banks", "/banks", None, 401),
    ("GET", "/quizzes/{attempt_id}", "/quizzes/999", None, 404),
    ("POST", "/quizzes", "/quizzes", {"bank_id": "two"}, 422),
    ("GET", "/me/due", "/me/due?limit=0", None, 422),
])
def test_errors_match_the_document(document, client, token, method, path, address, body, status):  # noqa: F811
    headers = {} if status == 401 else bearer(token)
    response = _checked(document, client, method, path, address, json=body, headers=headers)
    assert response.status_code == status


def test_a_session_that_must_choose_its_own_password_gets_a_documented_403(document, app, make_user,
                                                                           bank_id):  # noqa: F811
    student = make_user()
    password = give_temporary_password(student)
    db.session.commit()
    client = app.test_client()
    login(client, student.email, password)
    csrf = {"X-CSRFToken": csrf_from(client.get("/auth/password").get_data(as_text=True))}
    for method, path, address, body in (
        ("GET", "/banks", "/banks", None),
        ("GET", "/me/progress", "/me/progress", None),
        ("GET", "/quizzes/{attempt_id}", "/quizzes/1", None),
        ("POST", "/quizzes", "/quizzes", {"bank_id": bank_id}),
        ("POST", "/quizzes/{attempt_id}/items/{position}/answer", "/quizzes/1/items/1/answer", {"answer": 0}),
    ):
        response = _checked(document, client, method, path, address, json=body, headers=csrf)
        assert response.status_code == 403


def test_answers_the_api_takes_fit_the_documents_answer_schema(document, client, token, bank_id):  # noqa: F811
    """A numeric answer sent as a JSON number with a fraction is graded, so the document must allow it."""
    quiz = start(client, bank_id, bearer(token), length=8).get_json()
    item = db.session.scalar(select(QuizItem).join(QuizItem.question)
                             .where(QuizItem.attempt_id == quiz["id"], Question.type == "numeric"))
    body = {"answer": 1.5}
    answered = client.post(f"{API}/quizzes/{quiz['id']}/items/{item.position}/answer", json=body,
                           headers=bearer(token))
    assert answered.status_code == 200
    validator = Draft202012Validator({"$ref": DOCUMENT_ID + "#/components/schemas/Answer"},
                                     registry=document.registry)
    assert [error.message for error in validator.iter_errors(body)] == []

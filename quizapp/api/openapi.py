"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from quizapp.classroom.gradebook import STANDINGS
from quizapp.models.types import INTEGER_MAX


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {code: {"$ref": f"#/components/responses/{name}"} for code, name in
           (("400", "BadRequest"), ("401", "Unauthorized"), ("403", "Forbidden"), ("404", "NotFound"),
            ("413", "TooLarge"), ("503", "Busy"),
            ("415", "NotJson"), ("422", "Invalid"))}
# Ids in addresses go up to what an INTEGER column holds; a larger one matches no route (404).
_INT_PATH = {"in": "path", "required": True, "schema": {"type": "integer", "minimum": 0, "maximum": INTEGER_MAX}}


def _op(summary: str, ok: dict[str, Any], *, params: list | None = None, body: dict | None = None,
        errors: tuple[str, ...] = ("401", "404"), public: bool = False, **extra) -> dict[str, Any]:
    # Any request can be unreadable (a NUL character, say), so every operation may answer 400.
    responses = {"200": ok, "400": _ERRORS["400"]} | {c: _ERRORS[c] for c in errors}
    if "401" in errors:  # whatever needs a login refuses a session that must first choose its own password
        responses["403"] = _ERRORS["403"]
    if not public:  # anything that reads the database may find it too busy
        responses["503"] = _ERRORS["503"]
    if body:  # a body past the app's upload limit is refused before it is read, one not in JSON when read
        responses |= {"413": _ERRORS["413"], "415": _ERRORS["415"]}
    operation: dict[str, Any] = {"summary": summary, "responses": responses}
    if params:
        operation["parameters"] = params
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if public:
        operation["security"] = []
    operation.update(extra)
    return operation


_MARKDOWN = {"type": "object", "required": ["markdown", "html"],
             "properties": {"markdown": {"type": "string"}, "html": {"type": "string", "description": "sanitized"}}}
_SCHEMAS: dict[str, Any] = {
    "Markdown": _MARKDOWN,
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["status", "message"], "properties": {
            "status": {"type": "integer"}, "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
    "Bank": {"type": "object", "properties": {
        "id": {"type": "integer"}, "slug": {"type": "string"}, "title": {"type": "string"},
        "description": {"type": "string"}, "questions": {"type": "integer"},
        "topics": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "questions": {"type": "integer"}}}}}},
    "Question": {"type": "object", "description": "As a student sees it before answering: no key, no explanation.",
                 "required": ["id", "type"], "properties": {
        "id": {"type": "integer"},
        "type": {"enum": ["single_choice", "multiple_response", "true_false", "numeric", "short_text", "cloze",
                          "flashcard"]},
        "topic": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
        "difficulty": {"type": "string"}, "prompt": _ref("Markdown"), "front": _ref("Markdown"),
        "text": {**_ref("Markdown"), "description": "cloze text; blanks appear as [1], [2], ..."},
        "blanks": {"type": "integer"}, "unit": {"type": "string"},
        "choices": {"type": "array", "items": {"type": "object", "properties": {
            "position": {"type": "integer"}, "text": _ref("Markdown")}}}}},
    "Source": {"type": "object", "properties": {
        "document": {"type": "object", "properties": {k: {"type": "string"} for k in
                     ("id", "title", "authors", "publisher", "published", "address")}},
        "quote": {"type": "string"},
        "context": {"type": "array", "description": "paragraphs, each a list of runs",
                    "items": {"type": "array", "items": {"type": "object", "properties": {
                        "text": {"type": "string"}, "highlighted": {"type": "boolean"}}}}},
        "url": {"type": ["string", "null"], "format": "uri",
                "description": "the full text, scrolled to the passage; null when text_changed"},
        "text_changed": {"type": "boolean", "description": "the source text was edited since the question was "
                         "written and no longer holds the quote: context is the quote alone, unhighlighted"}}},
    "Feedback": {"type": "object", "required": ["correct", "score", "your_answer", "correct_answer", "explanation",
                                                "sources", "queued_for_study"], "properties": {
        "correct": {"type": ["boolean", "null"], "description": "null while a flashcard whose back was shown "
                    "waits for the student's own grade"},
        "score": {"type": ["number", "null"], "description": "null as correct is"}, "your_answer": {"type": "string"},
        "correct_answer": {"type": "string"}, "explanation": _ref("Markdown"), "back": _ref("Markdown"),
        "blanks": {"type": "array", "items": {"type": "boolean"}},
        "choice_feedback": {"type": "array", "description": "the choices picked, each with its own feedback",
                            "items": {"type": "object", "properties": {
                                "position": {"type": "integer"}, "correct": {"type": "boolean"},
                                "text": {"type": "string", "description": "Markdown as written"},
                                "feedback": {"type": "string", "description": "Markdown as written; may be empty"}}}},
        "sources": {"type": "array", "items": _ref("Source")},
        "queued_for_study": {"type": "boolean", "description": "true when the answer missed (wrong, partly right, "
                             "or a flashcard not known) and the question is now in the student's study queue, due "
                             "at once; false for a right answer, or when study would not show the question (its "
                             "bank is closed to the student, or it was retired)"}}},
    "Quiz": {"type": "object", "properties": {
        "id": {"type": "integer"}, "bank_id": {"type": "integer"}, "assignment_id": {"type": ["integer", "null"]},
        "started_at": {"type": "string", "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
        "deadline_at": {"type": ["string", "null"], "format": "date-time"},
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "position": {"type": "integer"}, "answered": {"type": "boolean"}, "question": _ref("Question"),
            "feedback": _ref("Feedback")}}}}},
    "Saved": {"type": "object", "required": ["position", "recorded", "message"], "properties": {
        "position": {"type": "integer"}, "message": {"type": "string"},
        "recorded": {"type": "boolean", "description": "true: saved, in place of any answer sent before; "
                     "answers may change until the attempt is handed in"}}},
    "Progress": {"type": "object", "required": ["quizzes", "topics", "study"], "properties": {
        "quizzes": {"type": "object", "required": ["answered", "correct", "percent", "attempts"], "properties": {
            "answered": {"type": "integer"}, "correct": {"type": "integer"},
            "percent": {"type": "number", "description": "0 before any answer"}, "attempts": {"type": "integer"}}},
        "topics": {"type": "array", "items": {"type": "object", "required": ["topic", "answered", "correct",
                                                                              "percent"], "properties": {
            "topic": {"type": "string"}, "answered": {"type": "integer"}, "correct": {"type": "integer"},
            "percent": {"type": "number"}}}},
        "study": {"type": "object", "required": ["due_now", "new_available", "streak_days", "next_day_at",
                                                 "retention_30_days"], "properties": {
            "due_now": {"type": "integer"},
            "new_available": {"type": "integer", "description": "new cards the daily limit still allows today"},
            "streak_days": {"type": "integer"},
            "next_day_at": {"type": "string", "format": "date-time",
                            "description": "when the student's next study day begins, at the hour they chose in "
                            "their study settings: the daily limit of new cards starts again, and cards due that "
                            "day come due"},
            "retention_30_days": {"type": "object", "required": ["reviews", "passed", "percent"], "properties": {
                "reviews": {"type": "integer"}, "passed": {"type": "integer"},
                "percent": {"type": ["number", "null"], "description": "null without reviews"}}}}}}},
    "DueCards": {"type": "object", "required": ["due_now", "cards"], "properties": {
        "due_now": {"type": "integer", "description": "all cards due now, beyond `limit` too"},
        "cards": {"type": "array", "items": {"type": "object", "required": ["question", "due", "state", "bank_id"],
                                             "properties": {
            "question": _ref("Question"), "due": {"type": "string", "format": "date-time"},
            "state": {"enum": [1, 2, 3], "description": "1 learning, 2 review, 3 relearning"},
            "bank_id": {"type": "integer"}}}}}},
    "Gradebook": {"type": "object", "required": ["classroom", "assignments", "students"], "properties": {
        "classroom": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "assignments": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "title": {"type": "string"}, "grading": {"enum": ["best", "first", "last"]},
            "due_at": {"type": ["string", "null"], "format": "date-time"}}}},
        "students": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"},
            "grades": {"type": "array", "description": "one per assignment, in the order of `assignments`",
                       "items": {"type": "object", "properties": {
                "assignment_id": {"type": "integer"}, "attempts": {"type": "integer"},
                "status": {"enum": list(STANDINGS), "description": "handed_in: an attempt counts; in_progress: one "
                           "is begun, none handed in; missed: none begun and the due time passed on an assignment "
                           "that refuses late work; not_started: none begun yet"},
                # Null until an attempt counts: none handed in yet.
                **{name: {"type": [kind, "null"]} for name, kind in (
                    ("points", "number"), ("possible", "integer"), ("percent", "number"), ("late", "boolean"))},
                "handed_in_at": {"type": ["string", "null"], "format": "date-time"}}}}}}}}},
    "Answer": {"type": "object", "required": ["answer"], "properties": {"answer": {
        "description": "single_choice: a position; multiple_response: a list of positions; true_false: a "
                       "boolean; numeric, short_text: a string (a JSON number is taken as written); cloze: a "
                       "list of strings, one per blank; flashcard: true if you knew it. A numeric answer that "
                       "reads two ways, such as 20.000 (20000 or 20), is refused with 422 and a message naming "
                       "both readings: send it again without a thousands separator",
        "oneOf": [{"type": "number"}, {"type": "boolean"}, {"type": "string"},
                  {"type": "array", "items": {"type": ["number", "string"]}}]}}},
}


def openapi_document(server_url: str) -> dict[str, Any]:
    """The document, with the server's own address."""
    position = {"name": "position", **_INT_PATH}
    hand_in = _op("Hand in an assignment attempt", _json(_ref("Quiz")), params=[{"name": "attempt_id", **_INT_PATH}])
    hand_in["responses"]["404"] = _json(_ref("Error"), "No quiz of yours with that id, or a practice quiz: only "
                                        "assignment attempts are handed in, and a practice quiz is done once every "
                                        "item is answered (the message says which)")
    hand_in["responses"]["409"] = _json(_ref("Error"), "Its student has left the class (or been taken off it): the "
                                        "attempt waits, as it stands, until they join again")
    answer_ok = _json({"type": "object", "properties": {"position": {"type": "integer"},
                       "recorded": {"type": "boolean", "description": "false when the item was answered before: "
                                    "the first answer stands and its feedback comes back"},
                       "message": {"type": "string"}, "feedback": _ref("Feedback")}}, "Graded, with feedback")
    return {
        "openapi": "3.1.0",
        "info": {"title": "quizapp API", "version": "1.0.0",
                 "description": "Browser sessions send the page's CSRF token as X-CSRFToken on writes; scripts "
                                "send a personal token (made under API tokens on the account page: click your name "
                                "in the header) as a Bearer token."},
        "servers": [{"url": server_url}],
        "security": [{"token": []}, {"session": []}],
        "paths": {
            "/openapi.json": {"get": _op("This document", _json({"type": "object"}), errors=(), public=True)},
            "/banks": {"get": _op("Banks visible to me", _json({"type": "object", "properties": {
                "banks": {"type": "array", "items": _ref("Bank")}}}), errors=("401",))},
            "/banks/{bank_id}/questions": {"get": _op(
                "A bank's active questions, without answer keys",
                _json({"type": "object", "properties": {"bank_id": {"type": "integer"},
                       "questions": {"type": "array", "items": _ref("Question")}}}),
                params=[{"name": "bank_id", **_INT_PATH}])},
            "/quizzes": {"post": _op(
                "Start a quiz", _json(_ref("Quiz")), errors=("401", "404", "422"),
                body={"type": "object", "required": ["bank_id"], "properties": {
                    "bank_id": {"type": "integer"}, "topic": {"type": ["string", "null"]},
                    "length": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}}})
                | {"responses": {"201": _json(_ref("Quiz"), "Started"), **{c: _ERRORS[c] for c in _ERRORS}}}},
            "/quizzes/{attempt_id}": {"get": _op("One of my quizzes, with feedback where it may be shown",
                                                 _json(_ref("Quiz")), params=[{"name": "attempt_id", **_INT_PATH}])},
            "/quizzes/{attempt_id}/items/{position}/answer": {"post": _op(
                "Answer an item: the grading, the explanation and the source", answer_ok,
                params=[{"name": "attempt_id", **_INT_PATH}, position], body=_ref("Answer"),
                errors=("401", "404", "422"))
                | {"responses": {"200": answer_ok, "202": _json(_ref("Saved"), "Saved; feedback comes later"),
                                 "409": _json(_ref("Error"), "The attempt no longer takes answers: handed in "
                                              "(or its time ran out), its student left the class, or a practice "
                                              "quiz on a bank closed to practice"),
                                 **{c: _ERRORS[c] for c in _ERRORS}}}},
            "/quizzes/{attempt_id}/hand-in": {"post": hand_in},
            "/me/progress": {"get": _op("My accuracy, per topic, and study figures", _json(_ref("Progress")),
                                        errors=("401",))},
            "/me/due": {"get": _op("My cards due for review, most overdue first", _json(_ref("DueCards")),
                                   params=[{"name": "limit", "in": "query",
                                            "schema": {"type": "integer", "minimum": 1, "maximum": 200,
                                                       "default": 50}}],
                                   errors=("401", "422"))},
            "/classes/{classroom_id}/gradebook": {"get": _op(
                "The gradebook of a class I teach", _json(_ref("Gradebook")),
                params=[{"name": "classroom_id", **_INT_PATH}])},
        },
        "components": {
            "schemas": _SCHEMAS,
            "responses": {name: _json(_ref("Error"), text) for name, text in (
                ("BadRequest", "The request cannot be read: a body that is not valid JSON or not a JSON object, a NUL "
                               "character, JSON nested too deeply, or a session's write without its CSRF token"),
                ("Unauthorized", "No valid session or token"),
                ("Forbidden", "A browser session of an account given a temporary password, which must first choose "
                              "its own at /auth/password (a token still works)"),
                ("NotFound", "Not there, or not yours"),
                ("TooLarge", "The body is larger than the app takes (5 MB)"),
                ("NotJson", "The body is not sent as JSON: its Content-Type is not application/json"),
                ("Invalid", "The request does not fit; `fields` says why"))} | {
                "Busy": _json(_ref("Error"), "The database was too busy to take the request in time, so nothing "
                                             "was saved: send the same request again after Retry-After seconds")
                | {"headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}}},
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "A personal API token"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }

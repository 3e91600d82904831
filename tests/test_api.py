"""The JSON API's quizzes: no keys before an answer, every type graded with its sources, bad answers refused."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

import quizapp.api.routes
from quizapp.api.tokens import create_token
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Question, QuizItem, Response
from tests.conftest import without_varying_values

API = "/api/v1"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def token(student) -> str:
    _token, secret = create_token(db.session, student, "tests")
    db.session.commit()
    return secret


@pytest.fixture
def bank_id(fixture_bank) -> int:
    return db.session.scalar(select(Bank.id).where(Bank.slug == "fixture-bank"))


def json_answer(item: QuizItem, right: bool = True):
    """An answer in the API's terms: positions in the shown order for choices."""
    data, qtype, order = item.revision.data, item.question.type, item.choice_order
    if qtype == "single_choice":
        index = data["correct"][0] if right else next(i for i in order if i not in data["correct"])
        return order.index(index)
    if qtype == "multiple_response":
        wrong = next(i for i in order if i not in data["correct"])
        return sorted(order.index(i) for i in data["correct"]) if right else [order.index(wrong)]
    if qtype == "true_false":
        return data["answer"] if right else not data["answer"]
    if qtype == "numeric":
        return f"{data['answer']:g} {data['unit']}" if right else "-1"
    if qtype == "short_text":
        return data["answers"][-1].upper() if right else "no idea"
    if qtype == "cloze":
        return [blank[0] for blank in data["blanks"]] if right else ["x"] * len(data["blanks"])
    return right  # flashcard: knew it


def keys_of(item: QuizItem) -> list[str]:
    """Text that gives the answer away (beyond choice texts, which a student sees anyway)."""
    data = item.revision.data
    secrets = [data.get("explanation", ""), data.get("back", "")]
    secrets += data.get("answers", []) + [b[0] for b in data.get("blanks", [])]
    if "answer" in data and not isinstance(data["answer"], bool):
        secrets.append(f"{data['answer']:g}")
    return [s for s in secrets if s]


def start(client, bank_id: int, headers: dict | None = None, **body):
    return client.post(f"{API}/quizzes", json={"bank_id": bank_id, "length": 8, **body}, headers=headers or {})


def test_tokens_need_no_csrf_and_quiz_json_holds_no_keys(client, token, bank_id):
    response = start(client, bank_id, bearer(token))
    assert response.status_code == 201
    quiz = response.get_json()
    assert len(quiz["items"]) == 8 and not any("feedback" in i for i in quiz["items"])
    for entry in quiz["items"]:
        item = db.session.scalar(select(QuizItem).where(QuizItem.attempt_id == quiz["id"],
                                                        QuizItem.position == entry["position"]))
        sent = without_varying_values(json.dumps(entry))
        for secret in keys_of(item):
            assert secret not in sent, (item.question.type, secret)
        assert '"correct"' not in sent and "feedback" not in sent


def test_bank_questions_hold_no_keys(client, token, bank_id):
    questions = client.get(f"{API}/banks/{bank_id}/questions", headers=bearer(token)).get_json()["questions"]
    assert {q["type"] for q in questions} == {"single_choice", "multiple_response", "true_false", "numeric",
                                              "short_text", "cloze", "flashcard"}
    sent = without_varying_values(json.dumps(questions))
    for secret in ("Ulttyk Kuryltai", "mixed", "29.4", "lower house", "appendix lists the cut"):
        assert secret not in sent


def answer(client, token, quiz_id, position, value):
    return client.post(f"{API}/quizzes/{quiz_id}/items/{position}/answer", json={"answer": value},
                       headers=bearer(token))


@pytest.mark.parametrize("right", [True, False])
def test_every_type_is_graded_with_explanation_and_source(client, token, bank_id, right):
    quiz = start(client, bank_id, bearer(token)).get_json()
    for entry in quiz["items"]:
        item = db.session.scalar(select(QuizItem).where(QuizItem.attempt_id == quiz["id"],
                                                        QuizItem.position == entry["position"]))
        response = answer(client, token, quiz["id"], entry["position"], json_answer(item, right))
        assert response.status_code == 200, response.get_json()
        feedback = response.get_json()["feedback"]
        assert feedback["correct"] is right, (item.question.type, feedback)
        assert feedback["correct_answer"]
        source = feedback["sources"][0]
        assert source["quote"] and source["document"]["title"] and source["url"].startswith("http://localhost/")
        assert any(run["highlighted"] for paragraph in source["context"] for run in paragraph)
    finished = client.get(f"{API}/quizzes/{quiz['id']}", headers=bearer(token)).get_json()
    assert finished["finished_at"] and all("feedback" in i for i in finished["items"])
    progress = client.get(f"{API}/me/progress", headers=bearer(token)).get_json()
    assert progress["quizzes"]["answered"] == 8
    due = client.get(f"{API}/me/due", headers=bearer(token)).get_json()
    assert (due["due_now"] == 0) is right  # missed questions join the review queue


def test_answering_twice_records_once(client, token, bank_id):
    quiz = start(client, bank_id, bearer(token), length=1).get_json()
    item = db.session.scalar(select(QuizItem).where(QuizItem.attempt_id == quiz["id"]))
    first = answer(client, token, quiz["id"], 1, json_answer(item, True)).get_json()
    second = answer(client, token, quiz["id"], 1, json_answer(item, False)).get_json()
    assert first["recorded"] is True and second["recorded"] is False and "first answer stands" in second["message"]
    assert first["feedback"] == second["feedback"] and first["feedback"]["correct"] is True
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


@pytest.mark.parametrize(("qtype", "bad"), [
    ("single_choice", 99), ("single_choice", "0"), ("multiple_response", [0, 0]), ("true_false", "yes"),
    ("numeric", ""), ("short_text", ["a"]), ("cloze", ["only one"]), ("cloze", ["", " ", ""]),
    ("multiple_response", []), ("flashcard", "knew"),
])
def test_answers_that_do_not_fit_get_422_naming_the_field(client, token, bank_id, qtype, bad):
    quiz = start(client, bank_id, bearer(token)).get_json()
    entry = next(i for i in quiz["items"] if i["question"]["type"] == qtype)
    response = answer(client, token, quiz["id"], entry["position"], bad)
    assert response.status_code == 422 and "answer" in response.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


@pytest.mark.parametrize("body", [{}, {"bank_id": "1"}, {"bank_id": 1, "length": 0}, {"bank_id": 1, "topic": 5},
                                  {"bank_id": 1, "topic": "Astronomy"}])
def test_bad_quiz_requests_get_422(client, token, bank_id, body):
    body = {k: (bank_id if k == "bank_id" and v == 1 else v) for k, v in body.items()}
    response = client.post(f"{API}/quizzes", json=body, headers=bearer(token))
    assert response.status_code == 422 and response.get_json()["error"]["fields"]


def test_other_peoples_quizzes_and_hidden_banks_are_not_found(client, token, bank_id, make_user):
    _t, other = create_token(db.session, make_user(), "other")
    db.session.commit()
    quiz = start(client, bank_id, bearer(token)).get_json()
    assert client.get(f"{API}/quizzes/{quiz['id']}", headers=bearer(other)).status_code == 404
    assert answer(client, other, quiz["id"], 1, 0).status_code == 404
    db.session.get(Bank, bank_id).is_published = False
    db.session.commit()
    assert client.get(f"{API}/banks/{bank_id}/questions", headers=bearer(token)).status_code == 404


def test_text_that_is_not_valid_unicode_is_refused(client, token, bank_id):
    quiz = start(client, bank_id, bearer(token)).get_json()
    entry = next(i for i in quiz["items"] if i["question"]["type"] == "short_text")
    response = client.post(f"{API}/quizzes/{quiz['id']}/items/{entry['position']}/answer",
                           data='{"answer": "\\ud800"}', content_type="application/json", headers=bearer(token))
    assert response.status_code == 400 and "unpaired surrogate" in response.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_listed_questions_name_no_key_and_shuffle_their_choices_per_student(client, token, bank_id, app):
    listed = client.get(f"{API}/banks/{bank_id}/questions", headers=bearer(token)).get_json()["questions"]
    assert all("key" not in q for q in listed)
    again = client.get(f"{API}/banks/{bank_id}/questions", headers=bearer(token)).get_json()["questions"]
    assert listed == again  # the same order on every call
    stored = {q.id: q for q in db.session.scalars(select(Question))}
    written = {q["id"]: [c["text"]["markdown"] for c in q["choices"]] for q in listed if "choices" in q}
    in_file = {qid: [c["text"] for c in stored[qid].revisions[-1].data["choices"]] for qid in written}
    assert any(written[qid] != in_file[qid] for qid in written), "choices came in the bank's written order"


def test_an_answer_that_lost_a_race_is_told_so(client, token, bank_id, monkeypatch):
    quiz = start(client, bank_id, bearer(token)).get_json()
    # A flashcard's grade is stored by another statement, which this race does not reach.
    position = next(i["position"] for i in quiz["items"] if i["question"]["type"] != "flashcard")
    item = db.session.scalar(select(QuizItem).where(QuizItem.attempt_id == quiz["id"], QuizItem.position == position))
    real = quizapp.api.routes.submit_answer

    def lose_the_race(session, item, given, replace=False):
        real(session, item, given, replace)  # the other request's answer goes in first
        return real(session, item, given, replace)

    monkeypatch.setattr(quizapp.api.routes, "submit_answer", lose_the_race)
    body = answer(client, token, quiz["id"], position, json_answer(item, True)).get_json()
    assert body["recorded"] is False and "first answer stands" in body["message"] and body["feedback"]


def started_assignment(student, instructor, bank_id: int, policy: str, due_in: timedelta):
    """The student's attempt, just begun, at a class assignment on the bank's Economy and trade questions."""
    from quizapp.classroom.assignments import start_attempt
    from quizapp.models.types import utcnow

    classroom = create_class(db.session, instructor, "Civics")
    join_class(db.session, student, classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=bank_id, title="Quiz", feedback_policy=policy,
                            late_policy="mark", due_at=utcnow() + due_in, selection="topics",
                            topics=["Economy and trade"])
    db.session.add(assignment)
    db.session.commit()
    attempt = start_attempt(db.session, assignment, student, utcnow())
    db.session.commit()
    return attempt


@pytest.mark.parametrize("knew", [True, False])
def test_a_flashcard_shown_on_its_page_is_graded_through_the_api(client, token, bank_id, knew):
    from quizapp.quiz.service import submit_answer

    quiz = start(client, bank_id, bearer(token)).get_json()
    entry = next(i for i in quiz["items"] if i["question"]["type"] == "flashcard")
    item = db.session.scalar(select(QuizItem).where(QuizItem.attempt_id == quiz["id"],
                                                    QuizItem.position == entry["position"]))
    submit_answer(db.session, item, None)  # the card page showed its back; the grade is still to come
    db.session.commit()
    waiting = client.get(f"/api/v1/quizzes/{quiz['id']}", headers=bearer(token)).get_json()
    shown = next(i for i in waiting["items"] if i["position"] == entry["position"])
    assert shown["answered"] is False
    # Its back was shown, but no verdict is given before the student's own: not a wrong answer with no score.
    assert shown["feedback"]["correct"] is None and shown["feedback"]["score"] is None and shown["feedback"]["back"]
    graded = answer(client, token, quiz["id"], entry["position"], knew).get_json()
    assert graded["recorded"] is True and "message" not in graded, graded
    assert graded["feedback"]["correct"] is knew
    again = answer(client, token, quiz["id"], entry["position"], not knew).get_json()
    assert again["recorded"] is False and again["feedback"]["correct"] is knew
    done = client.get(f"/api/v1/quizzes/{quiz['id']}", headers=bearer(token)).get_json()
    assert next(i for i in done["items"] if i["position"] == entry["position"])["answered"] is True

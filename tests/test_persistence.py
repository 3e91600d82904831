"""What a student did survives a restart: a second app instance on the same database sees it."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import QuizItem
from tests.conftest import csrf_from, login, make_app
from tests.test_quiz_flow import start


def test_answers_and_progress_survive_a_new_app_instance(app, client, fixture_bank, student, database, tmp_path):
    email = student.email
    login(client, email)
    start(client, topic="Economy and trade", length=1)
    item = db.session.scalar(select(QuizItem))
    url = f"/quiz/{item.attempt_id}/q/1"
    client.post(url, data={"csrf_token": csrf_from(client.get(url).get_data(as_text=True)), "answer": "29,4 %"})
    db.session.remove()
    db.engine.dispose()

    restarted = make_app(database, tmp_path)
    with restarted.app_context():
        second = restarted.test_client()
        login(second, email)
        progress = second.get("/progress/").get_data(as_text=True)
        assert "100.0%" in progress
        assert "1 / 1" in progress
        feedback = second.get(url).get_data(as_text=True)
        assert "Right" in feedback and "29.4%" in feedback
        db.session.remove()
        db.engine.dispose()

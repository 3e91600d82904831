"""Failures on the server answer with the app's own page (JSON under /api): a heading, plain words, a way back,
the right status, and nothing of the code or the error behind them."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, csrf_from, login


class ChunkedBody(io.RawIOBase):
    """A body as a server passes on one sent with Transfer-Encoding: chunked: read as its chunks come, of no
    stated length."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._pending = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._pending:
            self._pending = next(self._chunks, b"")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def chunked(body: bytes, **headers: str) -> dict:
    """The arguments of a test request whose body comes chunked, 64 KB at a time, with no Content-Length."""
    chunks = (body[start:start + 65536] for start in range(0, len(body), 65536))
    return {"headers": {**headers, "Transfer-Encoding": "chunked"},
            # As gunicorn and werkzeug's server say of a body they end themselves (a chunked one).
            "environ_overrides": {"wsgi.input": ChunkedBody(chunks), "wsgi.input_terminated": True}}


def _fail(*_args, **_kwargs):
    raise RuntimeError("secret detail of the failure at /srv/quizapp/db.py")


@pytest.fixture
def failing(app: Flask, client: FlaskClient, student) -> FlaskClient:
    """A logged-in client of an app whose reader, class-join and API bank views fail, answering as a server does."""
    login(client, student.email)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    for endpoint in ("reader.index", "classroom.join", "api.banks"):
        app.view_functions[endpoint] = _fail
    return client


def test_a_server_failure_shows_the_apps_own_page(failing: FlaskClient) -> None:
    page = failing.get("/sources/")
    html = page.get_data(as_text=True)
    assert page.status_code == 500 and page.mimetype == "text/html"
    assert "<h1>Something went wrong</h1>" in html and "Try again in a moment" in html
    assert 'href="/">Back to the banks</a>' in html and 'class="site-header"' in html
    assert "secret detail" not in html and "Traceback" not in html and "RuntimeError" not in html


def test_a_failed_form_says_it_may_not_have_been_saved(failing: FlaskClient) -> None:
    token = csrf_from(failing.get("/auth/tokens").get_data(as_text=True))
    page = failing.post("/classes/join", data={"csrf_token": token, "code": "KUA-M3E"})
    html = page.get_data(as_text=True)
    assert page.status_code == 500 and "may not have been saved" in html and "Back button" in html
    assert "secret detail" not in html


def test_a_server_failure_under_the_api_answers_in_json(failing: FlaskClient) -> None:
    response = failing.get("/api/v1/banks")
    assert response.status_code == 500 and response.is_json
    assert "secret detail" not in response.get_data(as_text=True)
    assert response.get_json()["error"]["status"] == 500
    # A script reads it: no page to go back to, no browser.
    assert "page" not in response.get_json()["error"]["message"]


def test_the_failure_page_needs_nothing_that_may_have_failed(failing: FlaskClient, monkeypatch) -> None:
    def unreachable(*_args, **_kwargs):
        raise RuntimeError("the database does not answer the login's query")

    monkeypatch.setattr("quizapp.failures.render_template", unreachable)
    page = failing.get("/sources/")
    html = page.get_data(as_text=True)
    assert page.status_code == 500 and "<h1>Something went wrong</h1>" in html and 'href="/">Back' in html
    assert "does not answer" not in html


def test_an_upload_too_large_says_so_in_the_apps_page(app: Flask, client: FlaskClient, instructor) -> None:
    import io

    login(client, instructor.email)
    token = csrf_from(client.get("/banks/upload").get_data(as_text=True))
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    page = client.post("/banks/upload", data={"csrf_token": token, "file": (io.BytesIO(b"x" * 300_000), "big.yaml")},
                       content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 413 and "<h1>Too large</h1>" in html and 'class="site-header"' in html
    assert "larger than the 0.25 MB this server takes, so nothing was saved" in html
    api = client.post("/api/v1/quizzes", data=b"{" + b" " * 300_000 + b"}",
                      headers={"Authorization": "Bearer nothing", "Content-Type": "application/json"})
    message = api.get_json()["error"]["message"]
    assert api.status_code == 413 and "0.25 MB" in message
    assert "Go back" not in message and "bank can be split" not in message


def test_the_upload_limit_reads_the_same_on_the_form_and_when_it_is_passed(client: FlaskClient, instructor) -> None:
    import io

    login(client, instructor.email)
    form = client.get("/banks/upload").get_data(as_text=True)
    assert "Up to 5 MB" in form
    token = csrf_from(form)
    too_large = b"x" * (5 * 1024 * 1024 + 1)
    page = client.post("/banks/upload", data={"csrf_token": token, "file": (io.BytesIO(too_large), "big.yaml")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "larger than the 5 MB this server takes" in page


def test_a_form_refused_whole_links_back_to_the_form_of_this_site(app: Flask, client: FlaskClient, instructor) -> None:
    """A too-large upload or an expired form shows an error page at another address: it links back to the form,
    and never to a page of another site that claimed to have sent it."""
    import io

    login(client, instructor.email)
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    form_page = "http://localhost/banks/upload"
    big = client.post("/banks/upload", data={"file": (io.BytesIO(b"x" * 300_000), "big.yaml")},
                      content_type="multipart/form-data", headers={"Referer": form_page})
    assert big.status_code == 413 and f'<a href="{form_page}">Back to the form</a>' in big.get_data(as_text=True)
    expired = client.post("/classes/new", data={"name": "Civics", "csrf_token": "stale"},
                          headers={"Referer": "http://localhost/classes/"})
    assert expired.status_code == 400
    assert '<a href="http://localhost/classes/">Back to the form</a>' in expired.get_data(as_text=True)
    elsewhere = client.post("/classes/new", data={"name": "Civics", "csrf_token": "stale"},
                            headers={"Referer": "http://evil.example/classes/"})
    assert "Back to the form" not in elsewhere.get_data(as_text=True)
    assert "Back to the form" not in client.get("/no-such-page").get_data(as_text=True)


def test_a_form_shown_again_at_the_address_it_was_sent_to_is_not_linked_back_to(app: Flask, client: FlaskClient,
                                                                                 instructor) -> None:
    """A refused invitation shows the class page again at /classes/<id>/instructors, which takes no GET: an error
    page reached from there (a limit, an expired form) links only to what opens."""
    from quizapp.classroom.membership import create_class
    from quizapp.extensions import db

    classroom = create_class(db.session, instructor, "Civics")
    db.session.commit()
    login(client, instructor.email)
    sent_to = f"http://localhost/classes/{classroom.id}/instructors"
    page = client.get(f"/classes/{classroom.id}").get_data(as_text=True)
    refused = client.post(sent_to, data={"csrf_token": csrf_from(page), "email": "nobody@example.org"})
    assert refused.status_code == 422
    assert client.get(sent_to).status_code == 405  # what a link back there would open

    expired = client.post(sent_to, data={"csrf_token": "stale", "email": "nobody@example.org"},
                          headers={"Referer": sent_to})
    assert expired.status_code == 400
    text = expired.get_data(as_text=True)
    assert "Back to the form" not in text and '<a href="/">Back to the banks</a>' in text


LIMIT = 256 * 1024


def _json_of_size(size: int) -> bytes:
    """A quiz request of exactly `size` bytes, padded with spaces."""
    body = json.dumps({"bank_id": 10**6}).encode()
    return body[:-1] + b" " * (size - len(body)) + b"}"


def test_a_chunked_body_past_the_limit_is_refused_as_too_large(app: Flask, client: FlaskClient, student) -> None:
    """Without a Content-Length the limit is found while reading: the body is refused whole (413), not cut at the
    limit and read as a broken form (400, its CSRF token lost) or broken JSON."""
    from quizapp.api.tokens import create_token
    from quizapp.extensions import db

    app.config["MAX_CONTENT_LENGTH"] = LIMIT
    form = client.get("/auth/login").get_data(as_text=True)
    body = f"csrf_token={csrf_from(form)}&email={student.email}&password=".encode()
    page = client.post("/auth/login", content_type="application/x-www-form-urlencoded",
                       **chunked(body + b"x" * LIMIT))
    html = page.get_data(as_text=True)
    assert page.status_code == 413 and "<h1>Too large</h1>" in html and "0.25 MB" in html
    # Within the limit, a chunked form is read as any other.
    logged_in = client.post("/auth/login", content_type="application/x-www-form-urlencoded",
                            **chunked(body + PASSWORD.encode()))
    assert logged_in.status_code == 302

    _token, secret = create_token(db.session, student, "tests")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    refused = client.post("/api/v1/quizzes", **chunked(_json_of_size(LIMIT + 1), **headers))
    assert refused.status_code == 413 and "0.25 MB" in refused.get_json()["error"]["message"]
    # A body of exactly the limit is read whole: the request reaches the view, which looks for the bank.
    taken = client.post("/api/v1/quizzes", **chunked(_json_of_size(LIMIT), **headers))
    assert taken.status_code == 404 and "No bank with that id" in taken.get_json()["error"]["message"]

"""Fixtures for browser test modules that share one live server and one Chromium across their tests.

Import the fixtures into a test module (`from tests.browser.shared import module_browser, module_server`) to
use them; the database and its accounts then live as long as the module.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.serving import make_server

from quizapp.auth.accounts import register_user
from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.classroom.membership import create_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Classroom, Role, User
from tests.browser.conftest import chromium
from tests.conftest import PASSWORD, QUESTIONS, Mailbox, make_app, recorded_mail


@dataclass
class Server:
    url: str
    app: Flask

    def add_user(self, email: str, name: str, role: Role = Role.STUDENT, **settings) -> str:
        """Create an account straight in the database; its password is tests.conftest.PASSWORD."""
        with self.app.app_context():
            user = register_user(db.session, email, name, PASSWORD, role)
            for key, value in settings.items():
                setattr(user, key, value)
            db.session.commit()
            db.session.remove()
        return email


@pytest.fixture(scope="module")
def module_server(databases, tmp_path_factory) -> Iterator[Server]:
    """The app with the real banks loaded, served on a free loopback port for a whole test module."""
    folder = tmp_path_factory.mktemp("live")
    url = databases.fresh(folder)
    app = make_app(url, folder)
    with app.app_context():
        load_banks(db.session, check_paths([QUESTIONS], QUESTIONS))
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture(scope="module")
def module_browser():
    """One headless Chromium for a whole test module."""
    with chromium() as browser:
        yield browser


def log_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def logged_in_page(browser, server: Server, email: str, device: dict, path: str = ""):
    """A new browser context on `device`, logged in as `email`, with a page open at `path` if given; (context, page)."""
    context = browser.new_context(**device)
    page = context.new_page()
    log_in(page, server.url, email)
    if path:
        page.goto(server.url + path)
    return context, page


def start_practice(page, bank: str, length: int, topic: str | None = None) -> None:
    """Start a practice quiz from the bank of that title on the home page shown, and wait for its first question."""
    region = page.get_by_role("region", name=bank)
    if topic is not None:
        region.get_by_label("Topic").select_option(value=topic)
    region.get_by_label("Number of questions").fill(str(length))
    region.get_by_role("button", name="Start quiz").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/q/1$"))


def answer_anything(page, typed: str = "1") -> None:
    """Send the question shown with any answer: the text typed in each field, the first choice chosen."""
    form = page.locator("article.question form")
    for field in form.locator("input[type=text], input[name=answer]:not([type]), .blank-input").all():
        field.fill(typed)
    if form.locator("input[type=radio], input[type=checkbox]").count():
        form.locator("input[name=answer]").first.check()
    form.locator("input[type=submit]").click()


def kind_of(page) -> str:
    """Which type of question the page asks, from its inputs."""
    form = page.locator("article.question form")
    radios = form.locator("input[type=radio]").count()
    if form.locator(".cloze").count():
        return "cloze"
    if form.locator(".flashcard-front").count():
        return "flashcard"
    if radios:
        return "true_false" if radios == 2 else "single_choice"
    if form.locator("input[type=checkbox]").count():
        return "multiple_response"
    return "numeric" if form.locator(".answer-input [inputmode=decimal]").count() else "short_text"


def send_sign_up(page, base: str, email: str, name: str = "Ada") -> Mailbox:
    """Fill in the sign-up form and send it; the mails sent meanwhile are returned."""
    page.goto(f"{base}/auth/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Name shown to others").fill(name)
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat password").fill("a long enough password")
    with recorded_mail() as mails:
        page.get_by_role("button", name="Create account").click()
        page.get_by_role("heading", name="Check your email").wait_for()
    return mails



def weekly_class(teacher_email: str, weeks: int,
                 topic: str = "the Senate, the Mazhilis and the Kurultai") -> Classroom:
    """Civics 9B, taught by the account of that email, with an assignment a week from the referendum bank; in the
    app context of the caller, not yet committed."""
    teacher = db.session.query(User).filter_by(email=teacher_email).one()
    classroom = create_class(db.session, teacher, "Civics 9B")
    bank = db.session.query(Bank).filter_by(slug="referendum-2022").one()
    for week in range(1, weeks + 1):
        db.session.add(Assignment(classroom=classroom, bank_id=bank.id, created_by=teacher.id,
                                  title=f"Week {week}: {topic}"))
    return classroom


# The text of an element as laid out, a string for each line it takes on the screen.
_LINES = """element => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT), range = document.createRange();
    const lines = [];
    let top = null, line = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            range.setStart(node, i); range.setEnd(node, i + 1);
            const box = range.getClientRects()[0];
            if (box && top !== null && box.top > top + 2) { lines.push(line); line = ""; }
            if (box) top = box.top;
            line += node.data[i];
        }
    }
    return [...lines, line];
}"""


def broken_words(locator, too_long: str = "") -> list[str]:
    """The lines of the element's text that end inside a word, or start with a hyphen: a name should wrap only
    after a space or a hyphen. A break inside too_long, a word wider than the room there is, does not count."""
    lines = locator.evaluate(_LINES)
    return [f"{line}|{following}" for line, following in zip(lines, lines[1:], strict=False)
            if (not (line.endswith((" ", "-", "\u2010")) or following.startswith(" ")) or following.startswith("-"))
            and not (too_long and _inside(too_long, line, following))]


def _inside(word: str, line: str, following: str) -> bool:
    """Whether a line ends and the next starts within the same word: one not broken after a space."""
    if not line.split() or not following.split() or line.endswith(" ") or following.startswith(" "):
        return False
    return line.split()[-1] + following.split()[0] in word


# A surname of one word wider than a phone's line, or than a name column has room for beside the scores.
WORD_TOO_LONG = "Wolfeschlegelsteinhausenbergerdorffvoralternwaren"

"""Every type of page the app has, and how each is brought up in a browser, for the accessibility tests.

A page type is looked at by one of the accounts the `site` fixture logs in; it is a path, a key of the addresses
that fixture sets up, or a function that brings the page up by using the app as a person would.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.browser.shared import send_sign_up
from tests.conftest import Mailbox, recorded_mail
from tests.test_uploads import BROKEN_BANK

QUESTION_TYPES = ("single_choice", "multiple_response", "true_false", "numeric", "short_text", "cloze", "flashcard")


@dataclass
class Site:
    """The live server with its accounts logged in (one page each) and the addresses of the pages set up."""

    base: str
    pages: dict[str, object]
    urls: dict[str, str] = field(default_factory=dict)


def _study_back(page, site: Site) -> None:
    page.goto(site.urls["study"])
    for text_field in page.locator("#study-front input[type=text]").all():
        text_field.fill("98")
    for choice in page.locator("#study-front input[type=radio], #study-front input[type=checkbox]").all()[:1]:
        choice.check()
    page.locator("[data-reveal]").click()
    page.wait_for_url(re.compile(r"/study/\d+/answer$"))


def _upload_problems(page, site: Site) -> None:
    page.goto(site.base + "/banks/upload")
    page.get_by_label("Bank file").set_input_files(
        files=[{"name": "civics.yaml", "mimeType": "application/yaml", "buffer": BROKEN_BANK.encode()}])
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("alert").wait_for()


def _form_errors(path: str, button: str) -> Callable:
    def submit_empty(page, site: Site) -> None:
        page.goto(site.base + path)
        page.get_by_role("button", name=button).click()
        page.locator(".error-summary, .error").first.wait_for()
    return submit_empty


_new_addresses = (f"signup{n}@example.org" for n in itertools.count(1))


def _check_your_email(page, site: Site) -> Mailbox:
    """Fill in the sign-up form for a new address and send it; the mails sent meanwhile are returned."""
    return send_sign_up(page, site.base, next(_new_addresses), "New")


def _confirm(page, site: Site) -> None:
    page.goto(_check_your_email(page, site).link("/auth/confirm/"))


def _reset_link_sent(page, site: Site) -> Mailbox:
    page.goto(site.base + "/auth/forgot")
    page.get_by_label("Email").fill("ada@example.org")
    with recorded_mail() as mails:
        page.get_by_role("button", name="Send me a link").click()
        page.get_by_role("heading", name="Check your email").wait_for()
    return mails


def _reset(page, site: Site) -> None:
    page.goto(_reset_link_sent(page, site).link("/auth/reset/"))


def _reset_with_errors(page, site: Site) -> None:
    _reset(page, site)
    page.get_by_role("button", name="Set the new password").click()
    page.locator(".error-summary").wait_for()


def _assignment_page(suffix: str) -> Callable:
    def open_it(page, site: Site) -> None:
        page.goto(site.urls["assignment"] + suffix)
    return open_it


def _class_page(suffix: str) -> Callable:
    def open_it(page, site: Site) -> None:
        page.goto(site.urls["class"] + suffix)
    return open_it


def _delete_bank(page, site: Site) -> None:
    # The site's bank has an assignment set from it: the page says why it stays and offers unpublishing.
    page.goto(site.urls["preview"].removesuffix("/preview") + "/delete")


def _student_work_page(suffix: str) -> Callable:
    def open_it(page, site: Site) -> None:
        page.goto(site.urls["student work"] + suffix)
    return open_it


_slip_numbers = itertools.count(1)


def _add_accounts_problems(page, site: Site) -> None:
    page.goto(site.base + "/admin/users/new")
    page.get_by_label("Accounts, one a line").fill("Ada Lovelace, ada@example.org\n, nobody@\nBoss, b@x.org, admin")
    page.get_by_role("button", name="Check and make the accounts").click()
    page.locator(".line-problems").wait_for()


def _accounts_made(page, site: Site) -> None:
    numbers = [next(_slip_numbers) for _ in range(3)]
    page.goto(site.base + "/admin/users/new")
    page.get_by_label("Accounts, one a line").fill(
        "\n".join(f"Slip Person {n}, slip{n}@example.org{', instructor' if n % 3 == 0 else ''}" for n in numbers))
    page.get_by_role("button", name="Check and make the accounts").click()
    page.locator(".slips").wait_for()


def _temporary_password_question(page, site: Site) -> None:
    # An account of its own: a new password for one of the site's logged-in accounts would log its page out.
    _accounts_made(page, site)
    page.goto(site.base + "/admin/users?q=slip")
    page.get_by_role("link", name=re.compile("^Temporary password for Slip Person")).first.click()
    page.get_by_role("button", name="Set a temporary password").wait_for()


def _temporary_password_shown(page, site: Site) -> None:
    _temporary_password_question(page, site)
    page.get_by_role("button", name="Set a temporary password").click()
    page.locator(".slips").wait_for()


def _temporary_password_given_already(page, site: Site) -> None:
    _temporary_password_shown(page, site)
    page.reload()  # the browser sends the form again
    page.get_by_role("button", name="Give a new temporary password").wait_for()


# Each page type: who looks at it, and either a path, a key of site.urls, or a function that brings it up.
PAGE_TYPES: dict[str, tuple[str, str | Callable]] = {
    "home, logged out": ("anonymous", "/"),
    "register": ("anonymous", "/auth/register"),
    "register with errors": ("anonymous", _form_errors("/auth/register", "Create account")),
    "check your email": ("anonymous", _check_your_email),
    "confirm the sign-up": ("anonymous", _confirm),
    "link no longer works": ("anonymous", "/auth/confirm/no-such-link"),
    "forgot password": ("anonymous", "/auth/forgot"),
    "forgot password with errors": ("anonymous", _form_errors("/auth/forgot", "Send me a link")),
    "reset link sent": ("anonymous", _reset_link_sent),
    "reset password": ("anonymous", _reset),
    "reset password with errors": ("anonymous", _reset_with_errors),
    "login": ("anonymous", "/auth/login"),
    "login with errors": ("anonymous", _form_errors("/auth/login", "Log in")),
    "sources": ("anonymous", "/sources/"),
    "not found": ("anonymous", "/no/such/page"),
    "home": ("student", "/"),
    **{f"question: {kind}": ("student", f"question: {kind}") for kind in QUESTION_TYPES},
    **{f"feedback: {kind}": ("student", f"feedback: {kind}") for kind in QUESTION_TYPES},
    "results": ("student", "results"),
    "source passage": ("student", "source"),
    "study front": ("student", "study"),
    "study back": ("student", _study_back),
    "study settings": ("student", "/study/settings"),
    "study done": ("newcomer", "/study/"),
    "progress": ("student", "/progress/"),
    "progress, empty": ("newcomer", "/progress/"),
    "classes, student": ("student", "/classes/"),
    "join a class": ("student", "/classes/join"),
    "student's class": ("student", "student class"),
    "hand in": ("student", "hand in"),
    "assignment results": ("student", "assignment results"),
    "account and API tokens": ("student", "/auth/tokens"),
    "forbidden": ("student", "/banks/mine"),
    "classes, instructor": ("instructor", "/classes/"),
    "class": ("instructor", "class"),
    "choose a bank": ("instructor", "choose bank"),
    "assignment form": ("instructor", "assignment form"),
    "assignment": ("instructor", "assignment"),
    "edit an assignment": ("instructor", _assignment_page("/edit")),
    "delete an assignment": ("instructor", _assignment_page("/delete")),
    "join code shown large": ("instructor", _class_page("/code")),
    "delete a class": ("instructor", _class_page("/delete")),
    "remove a student": ("instructor", _student_work_page("/remove")),
    "gradebook": ("instructor", "gradebook"),
    "student work": ("instructor", "student work"),
    "attempt": ("instructor", "attempt"),
    "item statistics": ("instructor", "statistics"),
    "item": ("instructor", "item"),
    "my banks": ("instructor", "/banks/mine"),
    "upload": ("instructor", "/banks/upload"),
    "upload with problems": ("instructor", _upload_problems),
    "preview": ("instructor", "preview"),
    "delete a bank in use": ("instructor", _delete_bank),
    "classes, invited to teach": ("admin", "/classes/"),
    "home, invited to teach": ("admin", "/"),
    "users": ("admin", "/admin/users"),
    "add accounts": ("admin", "/admin/users/new"),
    "add accounts with problems": ("admin", _add_accounts_problems),
    "accounts made": ("admin", _accounts_made),
    "give a temporary password": ("admin", _temporary_password_question),
    "temporary password shown": ("admin", _temporary_password_shown),
    "temporary password given already": ("admin", _temporary_password_given_already),
}


def show(site: Site, name: str):
    """Bring up a page type in the browser page of the account that looks at it; returns that page."""
    role, how = PAGE_TYPES[name]
    page = site.pages[role]
    if callable(how):
        how(page, site)
    else:
        page.goto(site.base + how if how.startswith("/") else site.urls[how])
    page.wait_for_load_state("load")
    return page


def describe(violations: list[dict]) -> str:
    """axe-core's violations as lines to read in a failed assertion: rule, impact, help and the first nodes."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {', '.join(map(str, n['target']))}: {n['html'][:160]}" for n in v["nodes"][:5]]
    return "\n".join(lines)

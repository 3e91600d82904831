"""Two instructors share a class in the browser: one invites, the other accepts or declines, or the invitation is
withdrawn; on a phone and on a desktop, with long class names and long emails."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from quizapp.models import Role
from tests.browser.conftest import screenshot
from tests.browser.shared import log_in, module_browser, module_server  # noqa: F401 - fixtures
from tests.browser.test_accessibility import tab_to
from tests.conftest import recorded_mail

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
LONG_CLASS = "Year 11 Modern History and Civics: Constitutional Reform in Central Asia (Tuesday and Thursday group)"
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def email(who: str, tag: str) -> str:
    """A long address, as schools give them, unique to the test and the width by its tag."""
    return f"{who}.{tag}.sadykova-nurmukhambetova@secondary-school-number-forty-two.almaty.example.org"


def instructors(server, tag: str, *names: str) -> list[str]:
    return [server.add_user(email(name.split()[0].lower(), tag), name, Role.INSTRUCTOR) for name in names]


def browser_page(browser, server, width: int, account: str):
    page = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900}).new_page()
    log_in(page, server.url, account)
    return page


def fits(page, what: str) -> None:
    """Nothing runs past the screen's edge: no sideways scrolling, and every button and list item within it."""
    assert page.evaluate(SIDEWAYS) == 0, what
    width = page.viewport_size["width"]
    for item in page.locator("main button, main .button, main li").all():
        box = item.bounding_box()
        if box:  # hidden ones have none
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (what, item.inner_text()[:60], box)


def new_class(page, base: str, name: str) -> str:
    """Create the class from the Classes page; its page's address."""
    page.goto(f"{base}/classes/")
    page.get_by_label("Class name").fill(name)
    page.get_by_role("button", name="Create class").click()
    page.wait_for_url(re.compile(r"/classes/\d+$"))
    return page.url


def invite(page, class_url: str, address: str):
    """Invite the instructor of that address from the class page; the mails sent meanwhile."""
    page.goto(class_url)
    with recorded_mail() as mails:
        page.get_by_label("Instructor's email").fill(address)
        page.get_by_role("button", name="Invite instructor").click()
        expect(page.get_by_role("status")).to_contain_text("is invited")
    return mails


def invited_list(page):
    return page.get_by_role("list", name="Invited, not yet answered")


def colour(locator) -> str:
    return locator.evaluate("e => getComputedStyle(e).color")


def apart(first, second) -> bool:
    """Whether two buttons stand clear of each other (0.5rem), side by side or one under the other."""
    a, b = first.bounding_box(), second.bounding_box()
    return b["x"] >= a["x"] + a["width"] + 8 or b["y"] >= a["y"] + a["height"] + 8


@pytest.mark.parametrize("width", WIDTHS)
def test_an_invited_instructor_accepts_by_keyboard_and_then_teaches_the_class(module_browser, module_server, width):  # noqa: F811 - fixtures
    base = module_server.url
    ada, ben = instructors(module_server, f"accept{width}", "Ada Byron", "Benedikt Aleksandrovich Okri-Nurmukhambetov")
    teacher = browser_page(module_browser, module_server, width, ada)
    class_url = new_class(teacher, base, LONG_CLASS)
    mails = invite(teacher, class_url, ben)
    assert len(mails) == 1 and mails.last.recipients == [ben]
    expect(invited_list(teacher)).to_contain_text(ben)
    # Withdraw is an action like Remove beside it, in the colour of links: it was the text's own black.
    withdraw = invited_list(teacher).get_by_role("button", name=re.compile("^Withdraw"))
    assert colour(withdraw) == colour(teacher.get_by_role("link", name="Gradebook"))
    fits(teacher, "class page with an invitation")
    screenshot(teacher, f"coteach-invited-{width}")

    invitee = browser_page(module_browser, module_server, width, ben)
    invitee.goto(base + "/")
    note = invitee.get_by_text("You are invited to teach a class.")
    expect(note).to_be_visible()
    fits(invitee, "home page with the note")
    screenshot(invitee, f"coteach-home-note-{width}", full_page=False)
    note.get_by_role("link", name="Accept or decline on your Classes page").click()
    invitations = invitee.get_by_role("region", name="Invitations to teach")
    expect(invitations).to_contain_text(LONG_CLASS)
    expect(invitations).to_contain_text("from Ada Byron")
    # The two answers stand clear of each other and of the text above them: they touched, a mistap away.
    accept, decline = (invitations.get_by_role("button", name=re.compile(f"^{word}")) for word in ("Accept", "Decline"))
    assert apart(accept, decline)
    line = invitations.locator("li strong").bounding_box()
    assert accept.bounding_box()["y"] >= line["y"] + line["height"] + 8
    fits(invitee, "Classes page with an invitation")
    screenshot(invitee, f"coteach-invitation-{width}")

    # The keyboard alone: Tab reaches Accept, with its focus shown, and Enter accepts.
    tab_to(invitee, lambda state: state["what"].startswith("button[submit] Accept"))
    invitee.keyboard.press("Enter")
    invitee.wait_for_url(class_url)
    expect(invitee.get_by_role("status")).to_have_text(f"You now teach “{LONG_CLASS}”.")
    expect(invitee.get_by_role("heading", level=1)).to_have_text(LONG_CLASS)
    fits(invitee, "class page of the new instructor")
    screenshot(invitee, f"coteach-accepted-{width}")
    invitee.get_by_role("navigation", name="This class").get_by_role("link", name="Gradebook").click()
    invitee.wait_for_url(class_url + "/gradebook")
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Gradebook")
    expect(invitee).to_have_title(f"Gradebook: {LONG_CLASS} · quizapp")
    invitee.goto(base + "/")
    expect(invitee.get_by_text("You are invited to teach")).to_have_count(0)

    teacher.reload()
    expect(teacher.get_by_role("region", name="Instructors")).to_contain_text(ben)
    expect(invited_list(teacher)).to_have_count(0)
    for page in (teacher, invitee):
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_invitation_withdrawn_cannot_be_accepted_from_a_page_left_open(module_browser, module_server, width):  # noqa: F811 - fixtures
    base = module_server.url
    ada, cleo = instructors(module_server, f"withdraw{width}", "Ada Byron", "Cleo Marguerite Abdrakhmanova-Whitfield")
    teacher = browser_page(module_browser, module_server, width, ada)
    class_url = new_class(teacher, base, f"{LONG_CLASS}, withdrawn")
    invite(teacher, class_url, cleo)
    invitee = browser_page(module_browser, module_server, width, cleo)
    invitee.goto(base + "/classes/")
    expect(invitee.get_by_role("region", name="Invitations to teach")).to_be_visible()

    teacher.get_by_role("button", name="Withdraw the invitation to Cleo Marguerite Abdrakhmanova-Whitfield").click()
    expect(teacher.get_by_role("status")).to_have_text(
        "The invitation to Cleo Marguerite Abdrakhmanova-Whitfield is withdrawn.")
    expect(invited_list(teacher)).to_have_count(0)

    fresh = invitee.context.new_page()
    fresh.goto(base + "/classes/")
    expect(fresh.get_by_role("region", name="Invitations to teach")).to_have_count(0)
    fresh.goto(base + "/")
    expect(fresh.get_by_text("You are invited to teach")).to_have_count(0)

    # Accept on the page she left open: she is told in words what happened, and led back to her Classes page.
    invitee.get_by_role("button", name=re.compile("^Accept")).click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Invitation no longer open")
    expect(invitee.get_by_role("main")).to_contain_text(
        "That invitation to teach is no longer open: it was withdrawn or answered already.")
    fits(invitee, "the page after a stale Accept")
    screenshot(invitee, f"coteach-stale-accept-{width}")
    invitee.get_by_role("link", name="Back to the form").click()
    invitee.wait_for_url(base + "/classes/")
    expect(invitee.get_by_role("region", name="Invitations to teach")).to_have_count(0)
    for page in (teacher, invitee):
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_declined_invitation_leaves_the_class_page(module_browser, module_server, width):  # noqa: F811 - fixtures
    base = module_server.url
    ada, ben = instructors(module_server, f"decline{width}", "Ada Lovelace", "Bolat Serikovich Dzhaksybekov")
    teacher = browser_page(module_browser, module_server, width, ada)
    class_url = new_class(teacher, base, f"{LONG_CLASS}, declined")
    invite(teacher, class_url, ben)
    invitee = browser_page(module_browser, module_server, width, ben)
    invitee.goto(base + "/classes/")
    invitee.get_by_role("button", name=re.compile("^Decline")).focus()
    invitee.keyboard.press("Enter")
    expect(invitee.get_by_role("status")).to_have_text(f"You declined to teach “{LONG_CLASS}, declined”.")
    expect(invitee.get_by_role("region", name="Invitations to teach")).to_have_count(0)
    screenshot(invitee, f"coteach-declined-{width}")

    # Withdraw on the class page left open since: the teacher is told the invitation was answered already.
    invited_list(teacher).get_by_role("button", name=re.compile("^Withdraw")).click()
    teacher.wait_for_url(class_url)
    expect(teacher.get_by_role("status")).to_have_text(
        "That invitation was answered or withdrawn already: the lists below are up to date.")
    expect(invited_list(teacher)).to_have_count(0)
    expect(teacher.get_by_role("region", name="Instructors")).not_to_contain_text(ben)
    screenshot(teacher, f"coteach-stale-withdraw-{width}")
    for page in (teacher, invitee):
        page.context.close()

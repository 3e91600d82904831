"""The file fields of the upload forms (a class's accounts, a question bank) on a phone: the browser's own
"Choose File" button is 21 CSS pixels high in small type, below a finger's 44 and beside a label it belongs to."""

from __future__ import annotations

import pytest

from quizapp.models import Role
from tests.browser.conftest import screenshot
from tests.browser.shared import log_in, module_browser, module_server  # noqa: F401 - fixtures
from tests.browser.test_tap_targets import COARSE, DESKTOP, PHONE

pytestmark = pytest.mark.browser

PAGES = [("/admin/users/new", "Or a CSV file with the same columns", Role.ADMIN),
         ("/banks/upload", "Bank file", Role.INSTRUCTOR)]


@pytest.mark.parametrize(("path", "label", "role"), PAGES)
def test_a_file_field_is_a_finger_sized_target_on_a_phone(module_browser, module_server, path, label, role):  # noqa: F811
    email = module_server.add_user(f"{role.value}.phone@example.org", "Ada Byron", role)
    context = module_browser.new_context(**PHONE)
    page = context.new_page()
    assert page.evaluate(COARSE)
    log_in(page, module_server.url, email)
    page.goto(module_server.url + path)
    field = page.get_by_label(label)
    box = field.bounding_box()
    assert box["height"] >= 44, box
    # The button inside it grows too (not only the row around it), in the page's own size of type.
    button_height = field.evaluate("e => parseFloat(getComputedStyle(e, '::file-selector-button').height)")
    font = field.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert button_height >= 40 and font >= 16, (button_height, font)
    screenshot(page, f"file-field{path.replace('/', '-')}-390")
    context.close()


def test_a_file_field_keeps_its_size_on_a_desktop(module_browser, module_server):  # noqa: F811
    email = module_server.add_user("admin.desktop@example.org", "Ada Byron", Role.ADMIN)
    context = module_browser.new_context(**DESKTOP)
    page = context.new_page()
    log_in(page, module_server.url, email)
    page.goto(module_server.url + "/admin/users/new")
    assert page.get_by_label("Or a CSV file with the same columns").bounding_box()["height"] < 44
    context.close()

"""Instructor and admin forms read on a phone: a closed menu shows its whole choice."""

from __future__ import annotations

import pytest

from quizapp.models import Role
from tests.browser.conftest import screenshot
from tests.browser.shared import log_in, module_browser, module_server  # noqa: F401 - fixtures
from tests.browser.test_tap_targets import PHONE

pytestmark = pytest.mark.browser

# Each option's text measured in the select's own font, against the room the closed menu gives it: its width less
# padding, border and the drop-down arrow (drawn in about 20 CSS pixels).
OPTIONS_CUT_OFF = """select => {
  const style = getComputedStyle(select);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
  return [...select.options].filter(o => context.measureText(o.text).width > room).map(o => o.text);
}"""

def test_each_bank_format_reads_whole_in_the_closed_menu_on_a_phone(module_browser, module_server):  # noqa: F811
    email = module_server.add_user("formats.phone@example.org", "Ada Byron", Role.INSTRUCTOR)
    context = module_browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, module_server.url, email)
    page.goto(module_server.url + "/banks/upload")
    select = page.get_by_label("Format")
    assert select.evaluate(OPTIONS_CUT_OFF) == []
    screenshot(page, "upload-format-390")
    context.close()

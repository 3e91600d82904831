"""Instructor and admin forms read on a phone: a closed menu shows its whole choice, and example lines that wrap
still read as one line each."""

from __future__ import annotations

import pytest

from quizapp.models import Role
from tests.browser.conftest import screenshot
from tests.browser.shared import logged_in_page, module_browser, module_server  # noqa: F401 - fixtures
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

# Where each example line starts and where the text after its first wrap starts, in CSS pixels from the left.
WRAPPED_LINES = """pre => {
  const text = pre.firstChild, lines = text.data.split('\\n');
  const box = (start, end) => {
    const range = document.createRange();
    range.setStart(text, start); range.setEnd(text, end);
    return [...range.getClientRects()];
  };
  const wrapped = [];
  let offset = 0;
  for (const line of lines) {
    const rects = box(offset, offset + line.length);
    const next = rects.find(r => r.top > rects[0].top + 1);  // the first box of the second row
    if (next) wrapped.push({line, start: rects[0].left, continued: next.left});
    offset += line.length + 1;
  }
  return wrapped;
}"""


def test_each_bank_format_reads_whole_in_the_closed_menu_on_a_phone(module_browser, module_server):  # noqa: F811
    email = module_server.add_user("formats.phone@example.org", "Ada Byron", Role.INSTRUCTOR)
    context, page = logged_in_page(module_browser, module_server, email, PHONE, "/banks/upload")
    select = page.get_by_label("Format")
    assert select.evaluate(OPTIONS_CUT_OFF) == []
    screenshot(page, "upload-format-390")
    context.close()


def test_an_example_account_line_that_wraps_hangs_under_its_start(module_browser, module_server):  # noqa: F811
    email = module_server.add_user("accounts.phone@example.org", "Ada Byron", Role.ADMIN)
    context, page = logged_in_page(module_browser, module_server, email, PHONE, "/admin/users/new")
    wrapped = page.locator("pre.example").evaluate(WRAPPED_LINES)
    # On a phone the longer lines do wrap: each goes on indented, not at the left edge a new line starts from.
    assert wrapped, "no example line wraps at 390 pixels: the test no longer looks at anything"
    starts = {round(line["start"]) for line in wrapped}
    assert all(line["continued"] >= line["start"] + 10 for line in wrapped), wrapped
    assert len(starts) == 1, wrapped
    screenshot(page, "add-accounts-example-390")
    context.close()

"""Reloading the page that shows a temporary password sends its form again: the password on the slip stays."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from quizapp.models import Role
from tests.browser.shared import log_in, module_browser, module_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_a_reload_gives_no_second_password(module_browser, module_server):  # noqa: F811 - fixtures
    admin = module_server.add_user("reload.admin@example.org", "Reload Admin", Role.ADMIN)
    student = module_server.add_user("reload.student@example.org", "Reload Student")
    page = module_browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    log_in(page, module_server.url, admin)
    page.goto(module_server.url + "/admin/users?q=reload.student")
    page.get_by_role("link", name="Temporary password for Reload Student").click()
    page.get_by_role("button", name="Set a temporary password").click()
    password = page.locator(".slips code.password").inner_text()

    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reload Student already has a new temporary password")
    expect(page.locator(".slips")).to_have_count(0)
    assert password not in page.content()
    page.context.close()

    # The slip's password is the one that works.
    owner = module_browser.new_context().new_page()
    log_in(owner, module_server.url, student, password)
    assert owner.url.endswith("/auth/password")
    owner.context.close()

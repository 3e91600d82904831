"""The Users page as a screen reader reads it: each row's controls say whose account they act on."""

from __future__ import annotations

import re

from quizapp.extensions import db
from quizapp.models import Role, User
from tests.conftest import csrf_from, login, without_varying_values


def test_each_change_role_button_names_its_account(app, make_user):
    # Listed by a screen reader's buttons or form controls, thirty "Change role" buttons were alike; the
    # row's other actions (Temporary password…, Deactivate…, Reactivate) already named the account.
    admin = make_user(Role.ADMIN)
    make_user(email="aigerim@example.org").display_name = "Aigerim Nurlanovna"
    db.session.commit()
    client = app.test_client()
    assert login(client, admin.email).status_code == 302
    page = without_varying_values(client.get("/admin/users").get_data(as_text=True))
    buttons = re.findall(r'<button type="submit" name="user\d+-submit" class="button">Change role(.*?)</button>', page)
    assert '<span class="visually-hidden"> of Aigerim Nurlanovna</span>' in buttons
    assert len(buttons) == 2 and 'value="Change role"' not in page


def test_the_button_still_sends_the_role(app, make_user):
    admin, student = make_user(Role.ADMIN), make_user()
    client = app.test_client()
    assert login(client, admin.email).status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    changed = client.post(f"/admin/users/{student.id}/role", data={
        "csrf_token": csrf_from(page), f"user{student.id}-role": "instructor", f"user{student.id}-submit": ""})
    assert changed.status_code == 302
    assert db.session.get(User, student.id).role == "instructor"

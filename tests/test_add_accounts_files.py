"""The file an admin uploads to add accounts is not always the class list in UTF-8: an empty file, one with its
headings alone, or an Excel workbook are each named as such, on the file's field, with what to do."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Role, User
from tests.conftest import login
from tests.test_add_accounts import send


@pytest.fixture
def admin(app, make_user):
    client = app.test_client()
    assert login(client, make_user(Role.ADMIN).email).status_code == 302
    return client


def file_error(page: str) -> str:
    """The message under the file's field."""
    start = page.index('<p class="error" id="file-error">') + len('<p class="error" id="file-error">')
    return page[start:page.index("</p>", start)]


@pytest.mark.parametrize(("data", "said"), [
    (b"", "“class.csv” is empty"),
    (b"\r\n  \r\n", "“class.csv” is empty"),
    ("ФИО;Электронная почта;Роль\r\n".encode("utf-8-sig"), "“class.csv” has a line of headings and no accounts"),
])
def test_a_file_without_accounts_is_named_on_its_field(app, admin, data, said):
    # It was answered "Give at least one line" under the empty box of lines, which the admin had not used.
    refused = send(admin, file=(data, "class.csv"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert file_error(page).startswith(said) and "paste the lines" in file_error(page)
    assert "at least one line" not in page and "correct the lines below" not in page


@pytest.mark.parametrize("data", [
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xd0\xe1\xc8\xf4\x90\x01",  # .xlsx: a zip archive
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00\xc0\xe4\xf1\xe5",  # .xls: an OLE2 compound file
])
def test_an_excel_workbook_renamed_to_csv_is_named_as_a_workbook(app, admin, data):
    # Its bytes read in Windows-1251 as "Cyrillic", so it was said to be a CSV file in Windows-1251.
    refused = send(admin, file=(data, "class.csv"))
    message = file_error(refused.get_data(as_text=True))
    assert refused.status_code == 422
    assert message.startswith("The file is an Excel workbook") and "Windows-1251" not in message
    assert "“CSV UTF-8”" in message


def test_a_workbook_uploaded_as_it_is_says_how_to_save_it_as_csv(app, admin):
    refused = send(admin, file=(b"PK\x03\x04", "Class 9B.xlsx"))
    message = file_error(refused.get_data(as_text=True))
    assert refused.status_code == 422 and message.startswith("Upload a .csv, .tsv or .txt file")
    assert "save it as “CSV UTF-8”" in message
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_each_wrong_line_is_quoted_under_its_problem(app, admin, make_user):
    # The box numbers no lines, and on a phone it wraps long ones: "Line 27, name: empty" alone left the admin
    # counting down a class list to find it.
    make_user(email="taken@school.example")
    lines = "\n".join([*(f"Pupil {n}, pupil{n}@school.example" for n in range(1, 27)),
                       ", noname@school.example",
                       "Taken Already, taken@school.example",
                       "Marat Bekov, marat@school.example, teacher"])
    page = send(admin, lines).get_data(as_text=True)
    listed = page[page.index('<ul class="line-problems">'):]
    listed = listed[:listed.index("</ul>")]
    items = listed.split("<li>")[1:]
    assert len(items) == 3
    assert items[0].startswith("Line 27, name: empty") and '<code class="line-text">, noname@school.example' in items[0]
    assert items[1].startswith("Line 28, email: taken@school.example already has an account.")
    assert '<code class="line-text">Taken Already, taken@school.example</code>' in items[1]
    assert '<code class="line-text">Marat Bekov, marat@school.example, teacher</code>' in items[2]


def test_a_long_line_is_quoted_shortened_and_escaped(app, admin):
    long_name = "<b>Very</b> " + "long " * 40
    page = send(admin, f"{long_name}, not-an-email").get_data(as_text=True)
    quoted = page[page.index('<code class="line-text">') + len('<code class="line-text">'):]
    quoted = quoted[:quoted.index("</code>")]
    assert quoted.startswith("&lt;b&gt;Very&lt;/b&gt; long") and quoted.endswith("…") and len(quoted) < 120

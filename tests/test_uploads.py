"""Instructors upload banks: checked like files on disk, refused when unsafe, previewed, then published."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Bank, Question, Role
from tests.conftest import csrf_from, login
from tests.test_classroom_flow import create_class, join, post_form

GOOD_BANK = """\
bank:
  id: civics-extra
  title: Civics extra
questions:
  - id: seats
    type: single_choice
    prompt: To how many deputies was the Mazhilis reduced?
    choices: ["98", "107"]
    answer: "98"
    explanation: The appendix lists the cut.
    source: {document: osw-2022, quote: "has been reduced from 107 to 98"}
    topic: Parliament
    difficulty: recall
"""

BROKEN_BANK = GOOD_BANK.replace('answer: "98"', 'answer: "99"')


def upload(client, filename: str, data: bytes, **fields: str):
    page = client.get("/banks/upload").get_data(as_text=True)
    return client.post("/banks/upload", data={"csrf_token": csrf_from(page), "file": (io.BytesIO(data), filename),
                                              **fields}, content_type="multipart/form-data")


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def bank_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Bank))


def test_a_good_file_loads_unpublished_and_previews_with_keys(teacher):
    response = upload(teacher, "civics.yaml", GOOD_BANK.encode())
    assert response.status_code == 302 and "/preview" in response.location
    bank = db.session.scalar(select(Bank).where(Bank.slug == "civics-extra"))
    assert not bank.is_published
    preview = teacher.get(response.location).get_data(as_text=True)
    assert "To how many deputies" in preview and "has been reduced from 107 to 98" in preview
    assert "Correct answer" in preview or "correct" in preview.lower()


def test_problems_name_file_and_line_and_load_nothing(teacher):
    before = bank_count()
    response = upload(teacher, "civics.yaml", BROKEN_BANK.encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<code>civics.yaml:9</code>: question &#39;seats&#39;: answer:" in page and "99" in page  # the answer line
    assert bank_count() == before


def test_a_zipped_folder_loads(teacher):
    files = {"civics/bank.yaml": b"id: civics-zip\ntitle: Civics zip\n",
             "civics/questions.yaml": GOOD_BANK.split("questions:\n", 1)[1].join(["questions:\n", ""]).encode(),
             "__MACOSX/._bank.yaml": b"\x00"}
    response = upload(teacher, "civics.zip", zipped(files))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question).join(Bank).where(Bank.slug == "civics-zip"))


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("bank.zip", zipped({"../evil.yaml": GOOD_BANK.encode()}), "points outside its folder"),
    ("bank.zip", zipped({"/etc/evil.yaml": GOOD_BANK.encode()}), "points outside its folder"),
    ("bank.zip", zipped({"bank/run.sh": b"echo hi"}), "not a YAML file"),
    ("bank.zip", zipped({"bank/bank.yaml": b"#" * 5_000_000}), "far more than"),
    ("bank.zip", b"PK\x03\x04 not really a zip", "not a valid zip"),
    ("bank.exe", b"MZ", "Upload a .yaml"),
])
def test_unsafe_or_wrong_files_are_refused(teacher, filename, data, message):
    before = bank_count()
    response = upload(teacher, filename, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert bank_count() == before


def test_an_upload_cannot_take_over_another_instructors_bank(app, teacher, make_user):
    assert upload(teacher, "civics.yaml", GOOD_BANK.encode()).status_code == 302
    rival = app.test_client()
    login(rival, make_user(Role.INSTRUCTOR).email)
    response = rival.get("/banks/1/preview")
    assert response.status_code == 404
    taken = upload(rival, "civics.yaml", GOOD_BANK.replace("Civics extra", "Mine now").encode())
    assert taken.status_code == 422 and "already taken" in taken.get_data(as_text=True)
    assert db.session.scalar(select(Bank.title).where(Bank.slug == "civics-extra")) == "Civics extra"


def test_oversized_uploads_are_refused(app, teacher):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    assert upload(teacher, "civics.yaml", b"#" * 4096).status_code == 413


def test_published_to_my_classes_or_to_everyone(app, teacher, instructor, make_user):
    upload(teacher, "civics.yaml", GOOD_BANK.encode())
    bank = db.session.scalar(select(Bank).where(Bank.slug == "civics-extra"))
    classroom = create_class(teacher)
    pupil, outsider = app.test_client(), app.test_client()
    login(pupil, make_user().email)
    login(outsider, make_user().email)
    join(pupil, classroom.join_code)

    assert "Civics extra" not in pupil.get("/").get_data(as_text=True)  # not published yet
    preview = f"/banks/{bank.id}/preview"
    post_form(teacher, preview, f"/banks/{bank.id}/publish", {"visibility": "classes", "practice_open": "y"})
    assert "Civics extra" in pupil.get("/").get_data(as_text=True)
    assert "Civics extra" not in outsider.get("/").get_data(as_text=True)

    post_form(teacher, preview, f"/banks/{bank.id}/publish", {"visibility": "public", "practice_open": "y"})
    assert "Civics extra" in outsider.get("/").get_data(as_text=True)

    post_form(teacher, preview, f"/banks/{bank.id}/unpublish", {})
    assert "Civics extra" not in outsider.get("/").get_data(as_text=True)
    assert "Civics extra" in teacher.get("/banks/mine").get_data(as_text=True)


def test_students_cannot_upload(logged_in):
    assert logged_in.get("/banks/upload").status_code == 403
    assert logged_in.get("/banks/mine").status_code == 403


GIFT_FILE = """// Imported from Moodle
::seats::The Mazhilis was reduced to how many deputies? {=98 ~107 ~77}

::essay::Discuss the referendum. {}
"""


def test_moodle_and_anki_files_are_converted_on_upload(teacher):
    page = teacher.get("/banks/upload").get_data(as_text=True)
    response = teacher.post("/banks/upload", data={"csrf_token": csrf_from(page), "format": "gift",
                                                   "file": (io.BytesIO(GIFT_FILE.encode()), "week-2.txt")},
                            content_type="multipart/form-data", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Not converted: week-2.txt:4" in text
    bank = db.session.scalar(select(Bank).where(Bank.slug == "week-2"))
    assert bank is not None and not bank.is_published
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == bank.id)) == 1


def test_a_file_in_no_readable_format_loads_nothing(teacher):
    before = bank_count()
    page = teacher.get("/banks/upload").get_data(as_text=True)
    response = teacher.post("/banks/upload", data={"csrf_token": csrf_from(page), "format": "moodlexml",
                                                   "file": (io.BytesIO(b"<quiz><question"), "broken.xml")},
                            content_type="multipart/form-data")
    assert response.status_code == 422 and "broken.xml" in response.get_data(as_text=True)
    assert bank_count() == before


@pytest.mark.parametrize(("change", "message"), [
    (("id: civics-extra", "id: " + "a" * 65), "bank id must be"),
    (("title: Civics extra", "title: " + "T" * 201), "bank title must be at most 200 characters"),
    (("topic: Parliament", "topic: " + "P" * 101), "topic: must be at most 100 characters"),
])
def test_values_longer_than_the_database_holds_are_problems(teacher, change, message):
    before = bank_count()
    response = upload(teacher, "civics.yaml", GOOD_BANK.replace(*change).encode())
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert bank_count() == before


def test_a_duplicate_id_names_the_uploaded_file_not_the_servers_folder(teacher):
    second = GOOD_BANK.split("questions:\n")[1]
    response = upload(teacher, "dup.yaml", (GOOD_BANK + second).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "first used at dup.yaml:5" in page and "quizapp-upload-" not in page


def test_an_aiken_file_is_taken_by_its_extension(teacher):
    aiken = b"How many deputies sit in the Mazhilis now?\nA. 98\nB. 107\nANSWER: A\n"
    response = upload(teacher, "week-3.aiken", aiken)
    assert response.status_code == 302
    assert db.session.scalar(select(Bank).where(Bank.slug == "week-3")) is not None


def test_uploading_a_published_bank_again_says_the_changes_are_live(teacher):
    bank_url = upload(teacher, "civics.yaml", GOOD_BANK.encode()).location
    post_form(teacher, bank_url, bank_url.replace("/preview", "/publish"), {"visibility": "public"})
    again = upload(teacher, "civics.yaml", GOOD_BANK.replace("reduced?", "cut?").encode(), replace="y")
    page = teacher.get(again.location).get_data(as_text=True)
    assert "It is published: students see the changes now." in page and "then publish it" not in page


@pytest.mark.parametrize("kind", ["gift", "yaml", "flow"])
def test_more_questions_than_an_upload_takes_are_refused_at_once(teacher, kind, monkeypatch):
    monkeypatch.setattr("quizapp.authoring.uploads.MAX_QUESTIONS", 3)
    before = bank_count()
    if kind == "gift":
        data = "\n\n".join(f"::q{i}:: Question {i}? {{=yes ~no}}" for i in range(4))
    elif kind == "yaml":
        entry = GOOD_BANK.split("questions:\n")[1]
        data = GOOD_BANK + "".join(entry.replace("id: seats", f"id: seats-{i}") for i in range(3))
    else:  # flow style, the id not first: counted all the same
        data = ("bank: {id: flow, title: Flow, sources: optional}\nquestions:\n" + "".join(
            f"  - {{type: true_false, id: q{i}, prompt: 'Up {i}?', answer: true, topic: T, difficulty: recall}}\n"
            for i in range(4)))
        kind = "yaml"
    response = upload(teacher, f"many.{kind}", data.encode())
    assert response.status_code == 422 and "at most 3 can be uploaded at once" in response.get_data(as_text=True)
    assert bank_count() == before


@pytest.mark.parametrize("fmt", ["gift", "aiken", "moodlexml", "anki", "csv"])
def test_a_file_in_another_format_past_the_limit_is_refused_before_it_is_converted(teacher, fmt, monkeypatch):
    from tests.test_formats_limits import EXTENSIONS, many

    def convert_items(*args):
        raise AssertionError("a file past the limit was converted")

    monkeypatch.setattr("quizapp.authoring.uploads.MAX_QUESTIONS", 3)
    monkeypatch.setattr("quizapp.formats.service.convert_items", convert_items)
    before = bank_count()
    response = upload(teacher, f"many.{EXTENSIONS[fmt]}", many(fmt, 500).encode(), format=fmt)
    assert response.status_code == 422
    # In the words a YAML bank with too many questions gets.
    assert ("The upload holds more than 3 questions; at most 3 can be uploaded at once, so split it into several "
            "banks.") in response.get_data(as_text=True)
    assert bank_count() == before


def test_an_upload_with_the_id_of_ones_own_bank_updates_it_only_when_asked(teacher):
    first = "::a:: Is the Mazhilis the lower house? {T}\n\n::b:: Was the referendum in June? {T}\n"
    assert upload(teacher, "week.gift", first.encode()).status_code == 302
    refused = upload(teacher, "week.csv", b"front,back\nMazhilis,The lower house\n")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "you already have a bank with the id &#39;week&#39;" in page
    bank = db.session.scalar(select(Bank).where(Bank.slug == "week"))
    active = select(func.count()).select_from(Question).where(Question.bank_id == bank.id,
                                                              Question.retired_at.is_(None))
    assert db.session.scalar(active) == 2
    assert upload(teacher, "week.csv", b"front,back\nMazhilis,The lower house\n", replace="y").status_code == 302
    assert db.session.scalar(active) == 1


@pytest.mark.parametrize("fmt", ["gift", "moodlexml", "aiken", "anki", "csv"])
def test_an_uploaded_bank_downloads_in_other_formats_and_comes_back(teacher, fmt):
    from quizapp.formats.service import import_text

    bank_url = upload(teacher, "civics.yaml", GOOD_BANK.encode()).location
    assert "/downloads" in teacher.get(bank_url).get_data(as_text=True)
    assert f"/export/{fmt}" in teacher.get(bank_url.replace("/preview", "/downloads")).get_data(as_text=True)
    response = teacher.get(bank_url.replace("/preview", f"/export/{fmt}"))
    suffix = {"gift": ".gift", "moodlexml": ".xml", "aiken": "-aiken.txt", "anki": "-anki.txt", "csv": ".csv"}[fmt]
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="civics-extra{suffix}"'

    back = import_text(response.get_data(as_text=True), fmt, "back", "Back").questions
    shown = " ".join(str(q.get("prompt") or q.get("front")) for q in back)
    assert len(back) == 1 and "To how many deputies" in shown


def test_a_format_that_holds_none_of_the_questions_says_so(teacher):
    cards = GOOD_BANK.replace("type: single_choice", "type: flashcard").replace(
        'prompt: To how many deputies was the Mazhilis reduced?\n    choices: ["98", "107"]\n    answer: "98"',
        "front: Mazhilis seats\n    back: '98'")
    bank_url = upload(teacher, "civics.yaml", cards.encode()).location
    response = teacher.get(bank_url.replace("/preview", "/export/aiken"), follow_redirects=True)
    assert "cannot be written as Aiken" in response.get_data(as_text=True)
    assert teacher.get(bank_url.replace("/preview", "/export/docx")).status_code == 404


@pytest.mark.parametrize(("filename", "data"), [
    ("again.zip", zipped({"civics/bank.yaml": b"id: civics-zip\ntitle: Civics zip\n",
                          "civics/questions.yaml": GOOD_BANK.split("\n", 3)[3].encode()})),
    ("again.gift", b"::a:: Is the Mazhilis the lower house? {T}\n"),
])
def test_an_id_clash_names_the_uploaded_file(teacher, filename, data):
    assert upload(teacher, filename, data).status_code == 302
    page = upload(teacher, filename, data).get_data(as_text=True)
    assert f"<code>{filename}:1</code>" in page and "quizapp-upload-" not in page and ".yaml:1" not in page


def test_an_update_cannot_give_a_question_id_another_type(teacher):
    first = "::Q2::Which colour is warm? {=red ~blue}\n\n::Q3::Is blue cold? {T}\n"
    assert upload(teacher, "colours.gift", first.encode()).status_code == 302
    changed = "::Q2::Is yellow between orange and green?{T}\n\n" + first
    refused = upload(teacher, "colours.gift", changed.encode(), replace="y")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "colours.gift:1</code>: question &#39;q2&#39;: type:" in page
    assert "::name::" in page
    bank = db.session.scalar(select(Bank).where(Bank.slug == "colours"))
    keys = db.session.execute(select(Question.key, Question.type).where(Question.bank_id == bank.id)).all()
    assert sorted(keys) == [("q2", "single_choice"), ("q3", "true_false")]


KAZAKH_BANK = GOOD_BANK.replace("civics-extra", "kazakh-civics").replace("Civics extra", "Азаматтық білім").replace(
    "To how many deputies was the Mazhilis reduced?", "Мәжіліс депутаттарының саны қаншаға дейін қысқарды?").replace(
    "The appendix lists the cut.", "Қосымшада көрсетілген.").replace("Parliament", "Парламент")


def test_a_kazakh_bank_exports_as_csv_that_excel_reads_and_that_comes_back(teacher):
    bank_url = upload(teacher, "kazakh.yaml", KAZAKH_BANK.encode()).location
    assert "Мәжіліс депутаттарының" in teacher.get(bank_url).get_data(as_text=True)
    data = teacher.get(bank_url.replace("/preview", "/export/csv")).get_data()
    # Excel reads a CSV as UTF-8 only after a byte-order mark.
    assert data.startswith(b"\xef\xbb\xbf#separator:comma\n") and "Мәжіліс".encode() in data
    again = upload(teacher, "kazakh-cards.csv", data)
    assert again.status_code == 302
    cards = db.session.scalars(select(Question).join(Bank).where(Bank.slug == "kazakh-cards")).all()
    assert [card.type for card in cards] == ["flashcard"]  # the header lines are not a card
    assert "Мәжіліс депутаттарының саны" in teacher.get(again.location).get_data(as_text=True)


@pytest.mark.parametrize(("filename", "text"), [
    ("week.gift", "::q1:: Столица Казахстана? {=Астана ~Алматы}\n"),
    ("week.yaml", GOOD_BANK.replace("To how many deputies was the Mazhilis reduced?", "Сколько депутатов в Мажилисе?")),
])
def test_a_russian_file_saved_in_windows_1251_is_refused_naming_its_encoding(teacher, filename, text):
    page = upload(teacher, filename, text.encode("cp1251")).get_data(as_text=True)
    assert "not UTF-8 text" in page and "looks like Windows-1251 (Cyrillic)" in page and "save" in page


def test_a_file_in_another_code_page_is_not_said_to_be_cyrillic(teacher):
    page = upload(teacher, "week.gift", "::q1:: Café crème? {T}\n".encode("cp1252")).get_data(as_text=True)
    assert "not UTF-8 text" in page and "Windows-1251" not in page


@pytest.mark.parametrize(("filename", "data", "advice"), [
    ("week-2.gift", b"::a:: Is the Mazhilis the lower house? {T}\n", "the name of the file that made the bank"),
    ("civics.yaml", GOOD_BANK.replace("id: civics-extra", "id: civics-extra-2").encode(), "give the id of the bank"),
])
def test_an_update_of_a_bank_one_does_not_have_makes_no_second_bank(teacher, filename, data, advice):
    assert upload(teacher, "week.gift", b"::a:: Is the Mazhilis the lower house? {T}\n").status_code == 302
    assert upload(teacher, "civics.yaml", GOOD_BANK.encode()).status_code == 302
    refused = upload(teacher, filename, data, replace="y")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and f"<code>{filename}:1</code>: you have no bank with the id" in page
    assert advice in page and "untick" in page
    assert bank_count() == 2
    assert upload(teacher, filename, data).status_code == 302 and bank_count() == 3


def test_the_example_bank_offered_on_the_upload_page_loads_with_a_question_of_every_type(teacher):
    from pathlib import Path

    from quizapp.grading import CHECKERS

    page = teacher.get("/banks/upload").get_data(as_text=True)
    assert 'href="/static/example-bank.yaml" download' in page
    example = teacher.get("/static/example-bank.yaml")
    assert example.status_code == 200
    text = example.get_data()
    example.close()
    assert text == (Path(__file__).parents[1] / "quizapp" / "static" / "example-bank.yaml").read_bytes()
    response = upload(teacher, "example-bank.yaml", text)
    assert response.status_code == 302 and "/preview" in response.location
    bank = db.session.scalar(select(Bank).where(Bank.slug == "my-first-bank"))
    types = set(db.session.scalars(select(Question.type).where(Question.bank_id == bank.id)))
    assert types == set(CHECKERS)

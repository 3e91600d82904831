"""What an upload tells its instructor: banks refused whole (several at once, none at all, not UTF-8), what a
conversion left out, and a preview and download page that show what students and other programs will get."""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.formats.model import FormatError
from quizapp.formats.textio import decode
from quizapp.models import Bank, Question
from tests.conftest import csrf_from
from tests.test_uploads import GIFT_FILE, GOOD_BANK, bank_count, upload, zipped


def test_a_zip_of_several_banks_is_refused_naming_each(teacher):
    before = bank_count()
    second = GOOD_BANK.replace("civics-extra", "civics-more").replace("Civics extra", "Civics more")
    response = upload(teacher, "two.zip", zipped({"a.yaml": GOOD_BANK.encode(), "b.yaml": second.encode()}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<code>two.zip:1</code>: the upload holds 2 banks" in page
    assert "“Civics extra” (id &#39;civics-extra&#39;) in a.yaml" in page and "b.yaml" in page
    assert "upload one bank at a time" in page and bank_count() == before


def test_the_upload_page_names_every_format_it_converts(teacher):
    page = teacher.get("/banks/upload").get_data(as_text=True)
    introduction = " ".join(page.split("<h1>Upload a bank</h1>", 1)[1].split("</p>", 1)[0].split())
    for converted in ("GIFT", "Moodle XML", "Aiken", "Anki", "CSV or TSV"):
        assert converted in introduction, converted


def test_the_format_menu_keeps_short_labels_and_says_in_its_hint_what_each_stands_for(teacher):
    page = html.unescape(teacher.get("/banks/upload").get_data(as_text=True))
    labels = re.findall(r'<option [^>]*>([^<]*)</option>', page.split('name="format"', 1)[1].split("</select>", 1)[0])
    assert len(labels) == 6 and max(map(len, labels)) <= 24, labels
    assert 'aria-describedby="format-hint"' in page
    hint = " ".join(page.split('id="format-hint">', 1)[1].split("</p>", 1)[0].split())
    for meaning in ("a zip of a bank folder", "a .gift, .aiken, .xml, .csv or .tsv file is read in the format its "
                    "name says", "“Notes in Plain Text” (.txt)", "a question and its answer on each row"):
        assert meaning in hint, meaning


def test_only_items_left_out_are_called_not_converted(teacher):
    gift = GIFT_FILE + "\n::capitals::Match each country to its capital. {=Kazakhstan -> Astana =France -> Paris}\n"
    page = teacher.get("/banks/upload").get_data(as_text=True)
    response = teacher.post("/banks/upload", data={"csrf_token": csrf_from(page), "format": "gift",
                                                   "file": (io.BytesIO(gift.encode()), "week-3.txt")},
                            content_type="multipart/form-data", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Not converted: week-3.txt:4: essay" in text
    assert "Converted with changes: week-3.txt:6: match" in text and "Not converted: week-3.txt:6" not in text


def test_a_file_not_in_utf8_is_named_once_and_told_to_be_saved_as_utf8(teacher):
    response = upload(teacher, "latin1-de.gift", "// Fragen\n::a:: Ist das Wasser heiß? {T}\n".encode("latin-1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and page.count("latin1-de.gift") == 1
    # The place is named by the words before it, which an editor can find; a byte count through the file cannot be.
    assert "latin1-de.gift: line 2: not UTF-8 text (the character after “::a:: Ist das Wasser hei” cannot be " \
           "read); save the file as UTF-8 and upload it again" in html.unescape(page)


def test_the_download_page_says_what_each_format_leaves_out(teacher):
    bank = GOOD_BANK.replace("    difficulty: recall\n", "    difficulty: recall\n    shuffle: false\n", 1) + """\
  - id: card
    type: flashcard
    front: Mazhilis seats
    back: '98'
    source: {document: osw-2022, quote: "has been reduced from 107 to 98"}
    topic: Parliament
    difficulty: recall
"""
    response = upload(teacher, "civics.yaml", bank.encode())
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    page = teacher.get(response.location.replace("/preview", "/downloads")).get_data(as_text=True)
    gift = page.split('id="download-gift"')[1].split("</section>")[0]
    assert "card" in gift and "shuffle" in gift and "/export/gift" in gift
    csv_section = page.split('id="download-csv"')[1]
    assert "Nothing is left out." in csv_section and "Every question becomes a card to study" in csv_section


@pytest.mark.parametrize(("filename", "data"), [
    ("bank.yaml", b"id: civics-empty\ntitle: Civics\n"),  # a bank folder's bank.yaml, uploaded alone
    ("civics.yaml", b"bank: {id: civics-empty, title: Civics}\nquestions: []\n"),
    ("civics.zip", zipped({"civics/bank.yaml": b"id: civics-empty\ntitle: Civics\n"})),
])
def test_a_bank_without_questions_is_refused_not_loaded_empty(teacher, filename, data):
    before = bank_count()
    response = upload(teacher, filename, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    assert f"<code>{filename}:1</code>: bank &#39;civics-empty&#39; holds no questions" in page
    assert bank_count() == before


def test_an_update_without_questions_does_not_retire_them_all(teacher):
    assert upload(teacher, "civics.yaml", GOOD_BANK.encode()).status_code == 302
    emptied = GOOD_BANK.split("questions:\n")[0] + "questions: []\n"
    response = upload(teacher, "civics.yaml", emptied.encode(), replace="y")
    assert response.status_code == 422 and "holds no questions" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.retired_at.is_(None))
                             .join(Bank).where(Bank.slug == "civics-extra")) == 1


def test_a_bank_saved_as_utf16_is_told_to_be_saved_as_utf8(teacher):
    response = upload(teacher, "civics.yaml", GOOD_BANK.encode("utf-16"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<code>civics.yaml:1</code>: file is UTF-16 text, not UTF-8: save it as UTF-8" in page


def test_the_preview_shows_a_numeric_questions_unit_beside_its_answer_box(teacher):
    numeric = GOOD_BANK.replace('''    type: single_choice
    prompt: To how many deputies was the Mazhilis reduced?
    choices: ["98", "107"]
    answer: "98"''', '''    type: numeric
    prompt: To how many deputies was the Mazhilis reduced?
    answer: 98
    unit: deputies''')
    response = upload(teacher, "civics.yaml", numeric.encode())
    assert response.status_code == 302, response.get_data(as_text=True)
    preview = teacher.get(response.location).get_data(as_text=True)
    assert re.search(r'class="answer-box"[^>]*>&nbsp;</span> <span class="unit">in deputies</span>', preview)


def test_items_a_converted_file_cannot_read_are_listed_each_on_its_line(teacher):
    # They used to be run together in one sentence that showed the first five and "and 2 more".
    gift = "".join(f"::q{n}::Question {n} {{=a ~b\n\n" for n in range(1, 8)) + "::ok::Fine {=a ~b}\n"
    before = bank_count()
    response = upload(teacher, "week-4.gift", gift.encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "7 problems: nothing was loaded" in page
    for line in range(1, 14, 2):
        assert (f"<li><code>week-4.gift:{line}</code>: question &#39;q{line // 2 + 1}&#39;: its answer block "
                "starts with { but never ends: put } "
                "after the last answer</li>") in page
    assert bank_count() == before
    fixed = upload(teacher, "week-4.gift", gift.replace("{=a ~b\n", "{=a ~b}\n").encode())
    assert fixed.status_code == 302 and bank_count() == before + 1


def test_an_anki_package_is_refused_with_the_export_to_make_instead(teacher):
    before = bank_count()
    response = upload(teacher, "Kazakhstan.apkg", zipped({"collection.anki21": b"SQLite format 3\x00"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and bank_count() == before
    assert "An Anki package (.apkg) cannot be read here. In Anki, choose File › Export…, “Notes in Plain Text " \
           "(.txt)”" in page


@pytest.mark.parametrize(("data", "where"), [
    ("Ünter\nx".encode("latin-1"), "the first character of the line cannot be read"),
    # A long line is cut to its last words, at the start of one.
    (("// " + "long words " * 5 + "café\n").encode("latin-1"), "after “…long words long words caf” cannot be read"),
])
def test_the_unreadable_character_is_placed_by_the_words_before_it(data, where):
    with pytest.raises(FormatError) as refused:
        decode(data)
    assert where in str(refused.value) and refused.value.line == 1

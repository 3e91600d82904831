"""Anki notes keep their question through edits: ids come from the note's GUID, and our export writes it back."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.formats.anki import guid_id, guid_of, read_anki
from quizapp.formats.service import import_text
from quizapp.models import Bank, Card, Question
from quizapp.srs.queue import record_review
from tests.test_uploads import upload

HEADER = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n"
NOTES = {
    "Ot0!xywPWG": ("Basic", "When was the referendum held?", "5 June 2022"),
    "f:G#a8>1T": ("Basic", "How many articles were amended?", "33"),
    "b+7.6T;wA^": ("Cloze", "The Mazhilis has {{c1::98}} deputies", ""),
}


def anki_file(notes: dict[str, tuple[str, str, str]] = NOTES) -> bytes:
    rows = [f"{guid}\t{kind}\tReferendum\t{front}\t{back}\tcivics" for guid, (kind, front, back) in notes.items()]
    return (HEADER + "\n".join(rows) + "\n").encode()


def bank_questions(slug: str) -> dict[str, Question]:
    bank = db.session.scalar(select(Bank).where(Bank.slug == slug))
    return {q.key: q for q in db.session.scalars(select(Question).where(Question.bank_id == bank.id))}


def loaded(client, response) -> str:
    """The load report a bank upload flashes, e.g. '0 new, 1 revised, 0 retired, 2 unchanged'."""
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.location).get_data(as_text=True)
    return "\n".join(re.findall(r"checked and loaded \(([^)]*)\)", page))


def test_the_guid_gives_the_id_whatever_the_front_says() -> None:
    ids = [q["id"] for q in import_text(anki_file().decode(), "anki", "history", "History").questions]
    assert ids == [guid_id(guid) for guid in NOTES]
    reworded = {**NOTES, "Ot0!xywPWG": ("Basic", "In which year was the referendum held?", "2022")}
    assert [q["id"] for q in import_text(anki_file(reworded).decode(), "anki", "history", "H").questions] == ids
    # Anki's GUIDs tell capitals from small letters; so do the ids.
    assert len({guid_id("AbCdEfGhIj"), guid_id("abcdefghij"), guid_id("ABCDEFGHIJ")}) == 3


def test_a_note_without_a_guid_still_takes_its_id_from_its_words() -> None:
    text = HEADER + "\tBasic\tDeck\tWhen was the referendum held?\t2022\t\n"
    assert [q["id"] for q in import_text(text, "anki", "b", "B").questions] == ["when-was-the-referendum-held"]


@pytest.mark.parametrize("guid", ["Ot0!xywPWG", "f:G#a8>1T", "abcdefghij", "Ж" * 29, "x" * 59])
def test_an_id_made_from_a_guid_gives_the_guid_back(guid: str) -> None:
    key = guid_id(guid)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,99}", key) and guid_of(key) == guid


@pytest.mark.parametrize("key", ["anki-deck", "anki", "seats", "anki-2", "anki-mfrgg-2", guid_id("y" * 60)])
def test_other_ids_are_not_taken_for_guids(key: str) -> None:
    assert guid_of(key) is None


def test_our_guids_give_back_the_question_ids_of_the_bank_uploaded() -> None:
    text = HEADER + "quizapp-civics-extra-seats\tBasic\tD\tSeats?\t98\t\n"
    assert import_text(text, "anki", "civics-extra", "C").questions[0]["id"] == "seats"
    # As downloaded, the file is named <bank id>-anki.txt.
    assert import_text(text, "anki", "civics-extra-anki", "C").questions[0]["id"] == "seats"
    # Uploaded as another bank, the GUID is kept whole.
    assert import_text(text, "anki", "other", "C").questions[0]["id"] == "quizapp-civics-extra-seats"
    assert read_anki(text).questions[0].idnumber == "quizapp-civics-extra-seats"


def test_a_reworded_note_keeps_its_question_and_the_students_schedule(teacher, student):
    assert loaded(teacher, upload(teacher, "history.txt", anki_file(), format="anki")) == (
        "3 new, 0 revised, 0 retired, 0 unchanged")
    question = bank_questions("history")[guid_id("Ot0!xywPWG")]
    card = record_review(db.session, student, question, rating=3, reviews=0, fuzz=False)
    db.session.commit()
    schedule = (card.id, card.due, card.stability)

    reworded = {**NOTES, "Ot0!xywPWG": ("Basic", "In which year was the referendum held?", "2022")}
    report = loaded(teacher, upload(teacher, "history.txt", anki_file(reworded), format="anki", replace="y"))
    assert report == "0 new, 1 revised, 0 retired, 2 unchanged"
    db.session.expire_all()
    questions = bank_questions("history")
    assert set(questions) == {guid_id(guid) for guid in NOTES}
    assert questions[guid_id("Ot0!xywPWG")].retired_at is None and questions[guid_id("Ot0!xywPWG")].revision == 2
    kept = db.session.scalar(select(Card).where(Card.user_id == student.id))
    assert (kept.id, kept.due, kept.stability) == schedule and kept.question_id == question.id


def test_an_anki_bank_downloaded_for_anki_and_uploaded_again_is_unchanged(teacher):
    preview = upload(teacher, "history.txt", anki_file(), format="anki").location
    exported = teacher.get(preview.replace("/preview", "/export/anki")).get_data(as_text=True)
    # Anki updates the instructor's own notes, rather than adding copies of them.
    assert [line.split("\t")[0] for line in exported.splitlines()[6:]] == list(NOTES)
    again = upload(teacher, "history.txt", exported.encode(), format="anki", replace="y")
    assert loaded(teacher, again) == "0 new, 0 revised, 0 retired, 3 unchanged"


CARDS = """\
bank:
  id: civics-cards
  title: Civics cards
  sources: optional
questions:
  - id: lower-house
    type: flashcard
    front: Which chamber is the lower house?
    back: The Mazhilis
    topic: Parliament
    difficulty: recall
  - id: seats
    type: flashcard
    front: How many deputies does the Mazhilis have?
    back: "98"
    topic: Parliament
    difficulty: recall
"""


def test_a_bank_downloaded_for_anki_and_uploaded_again_keeps_its_question_ids(teacher):
    preview = upload(teacher, "cards.yaml", CARDS.encode()).location
    exported = teacher.get(preview.replace("/preview", "/export/anki")).get_data(as_text=True)
    # Uploaded under its own name to update the bank (the download is named civics-cards-anki.txt).
    again = upload(teacher, "civics-cards.txt", exported.encode(), format="anki", replace="y")
    assert loaded(teacher, again) == "0 new, 0 revised, 0 retired, 2 unchanged"
    assert set(bank_questions("civics-cards")) == {"lower-house", "seats"}


def test_questions_anki_holds_as_cards_are_not_turned_into_cards_by_their_export(teacher):
    from tests.test_uploads import GOOD_BANK

    preview = upload(teacher, "civics.yaml", GOOD_BANK.encode()).location
    exported = teacher.get(preview.replace("/preview", "/export/anki")).get_data(as_text=True)
    refused = upload(teacher, "civics-extra.txt", exported.encode(), format="anki", replace="y")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "single_choice question in bank &#39;civics-extra&#39; and cannot become flashcard" in page
    assert "in an Anki file, its own GUID" in page
    assert bank_questions("civics-extra")["seats"].retired_at is None


def without_guids(notes: dict[str, tuple[str, str, str]] = NOTES) -> bytes:
    """The file as the upload read it before GUIDs were: each question's id came from its words."""
    rows = [f"{kind}\tReferendum\t{front}\t{back}\tcivics" for kind, front, back in notes.values()]
    return ("#separator:tab\n#html:true\n#notetype column:1\n#deck column:2\n#tags column:5\n"
            + "\n".join(rows) + "\n").encode()


def test_a_bank_loaded_before_guids_were_read_moves_to_them_without_losing_a_question(teacher, student):
    assert loaded(teacher, upload(teacher, "history.txt", without_guids(), format="anki")) == (
        "3 new, 0 revised, 0 retired, 0 unchanged")
    before = bank_questions("history")
    assert set(before) == {"when-was-the-referendum-held", "how-many-articles-were-amended",
                           "the-mazhilis-has-98-deputies"}
    card = record_review(db.session, student, before["when-was-the-referendum-held"], rating=3, reviews=0,
                         fuzz=False)
    db.session.commit()
    schedule = (card.id, card.due, card.stability, card.question_id)

    again = upload(teacher, "history.txt", anki_file(), format="anki", replace="y")
    assert loaded(teacher, again) == "0 new, 0 revised, 0 retired, 3 unchanged"
    db.session.expire_all()
    after = bank_questions("history")
    assert {key: question.id for key, question in after.items()} == {
        guid_id(guid): before[key].id for guid, key in zip(NOTES, before, strict=True)}

    # From then on the GUID holds the question: rewording the note revises it.
    reworded = {**NOTES, "Ot0!xywPWG": ("Basic", "In which year was the referendum held?", "2022")}
    again = upload(teacher, "history.txt", anki_file(reworded), format="anki", replace="y")
    assert loaded(teacher, again) == "0 new, 1 revised, 0 retired, 2 unchanged"
    kept = db.session.scalar(select(Card).where(Card.user_id == student.id))
    assert (kept.id, kept.due, kept.stability, kept.question_id) == schedule


def test_a_note_of_another_type_does_not_take_over_the_question_its_words_named(teacher):
    notes = {"Ot0!xywPWG": ("Basic", "The Mazhilis has 98 deputies", "Yes")}
    assert upload(teacher, "history.txt", without_guids(notes), format="anki").status_code == 302
    cloze = {"Ot0!xywPWG": ("Cloze", "The Mazhilis has {{c1::98}} deputies", "")}
    again = upload(teacher, "history.txt", anki_file(cloze), format="anki", replace="y")
    assert loaded(teacher, again) == "1 new, 0 revised, 1 retired, 0 unchanged"
    questions = bank_questions("history")
    assert questions["the-mazhilis-has-98-deputies"].retired_at is not None
    assert questions[guid_id("Ot0!xywPWG")].type == "cloze"


def test_former_ids_are_the_ones_the_words_gave_in_order() -> None:
    notes = {"g1": ("Basic", "Same words", "1"), "g2": ("Basic", "Same words", "2"), "g3": ("Basic", "Other", "3")}
    imported = import_text(anki_file(notes).decode(), "anki", "b", "B")
    assert imported.formers == {guid_id("g1"): "same-words", guid_id("g2"): "same-words-2",
                                guid_id("g3"): "other"}
    assert [q["id"] for q in import_text(without_guids(notes).decode(), "anki", "b", "B").questions] == [
        "same-words", "same-words-2", "other"]

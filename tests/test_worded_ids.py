"""A file that gives its questions no ids (CSV, Aiken) updates a bank without retiring the questions it holds."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.formats.anki import guid_id
from quizapp.models import Card
from quizapp.srs.queue import record_review
from tests.test_anki_guids import CARDS, NOTES, anki_file, bank_questions, loaded
from tests.test_uploads import GOOD_BANK, upload


def download(client, preview: str, fmt: str) -> bytes:
    response = client.get(preview.replace("/preview", f"/export/{fmt}"))
    assert response.status_code == 200
    return response.get_data()


def test_a_bank_with_its_own_ids_downloaded_as_csv_and_uploaded_again_keeps_its_questions(teacher, student):
    preview = upload(teacher, "cards.yaml", CARDS.encode()).location
    before = bank_questions("civics-cards")
    card = record_review(db.session, student, before["seats"], rating=3, reviews=0, fuzz=False)
    db.session.commit()
    schedule = (card.id, card.due, card.stability, card.question_id)

    again = upload(teacher, "civics-cards.csv", download(teacher, preview, "csv"), replace="y")
    # CSV has no topics: each question takes the file's, which changes no content (no new revision).
    assert loaded(teacher, again) == "0 new, 2 revised, 0 retired, 0 unchanged"
    db.session.expire_all()
    after = bank_questions("civics-cards")
    assert {key: (q.id, q.revision, q.retired_at) for key, q in after.items()} == {
        key: (q.id, 1, None) for key, q in before.items()}
    kept = db.session.scalar(select(Card).where(Card.user_id == student.id))
    assert (kept.id, kept.due, kept.stability, kept.question_id) == schedule

    # Fixing a back in the spreadsheet revises the question under its own id.
    fixed = download(teacher, preview, "csv").replace(b"The Mazhilis", b"The Mazhilis (lower house)")
    assert loaded(teacher, upload(teacher, "civics-cards.csv", fixed, replace="y")) == (
        "0 new, 1 revised, 0 retired, 1 unchanged")
    db.session.expire_all()
    assert bank_questions("civics-cards")["lower-house"].revision == 2


def test_an_anki_bank_downloaded_as_csv_and_uploaded_again_keeps_its_guid_ids(teacher, student):
    notes = {guid: note for guid, note in NOTES.items() if note[0] == "Basic"}
    preview = upload(teacher, "history.txt", anki_file(notes), format="anki").location
    question = bank_questions("history")[guid_id("Ot0!xywPWG")]
    card = record_review(db.session, student, question, rating=3, reviews=0, fuzz=False)
    db.session.commit()

    again = upload(teacher, "history.csv", download(teacher, preview, "csv"), replace="y")
    assert loaded(teacher, again) == "0 new, 2 revised, 0 retired, 0 unchanged"
    db.session.expire_all()
    assert set(bank_questions("history")) == {guid_id(guid) for guid in notes}
    kept = db.session.scalar(select(Card).where(Card.user_id == student.id))
    assert (kept.id, kept.question_id) == (card.id, question.id)
    # The GUIDs are still there for Anki to update its notes with.
    exported = download(teacher, preview, "anki").decode()
    assert [line.split("\t")[0] for line in exported.splitlines()[6:]] == list(notes)


SAME_FRONTS = """\
bank:
  id: twins
  title: Twins
  sources: optional
questions:
  - {id: first, type: flashcard, front: "Seats?", back: "98", topic: T, difficulty: recall}
  - {id: second, type: flashcard, front: "Seats?", back: "98", topic: T, difficulty: recall}
  - {id: third, type: flashcard, front: "Chamber?", back: Mazhilis, topic: T, difficulty: recall}
  - {id: fourth, type: flashcard, front: "Chamber?", back: Senate, topic: T, difficulty: recall}
  - {id: fifth, type: flashcard, front: "Year?", back: "2022", topic: T, difficulty: recall}
"""


def test_a_row_that_could_be_one_of_several_questions_is_new(teacher):
    assert upload(teacher, "twins.yaml", SAME_FRONTS.encode()).status_code == 302
    # Two questions ask and answer the same: which is which cannot be told. Two ask the same and answer
    # differently: each row is the one it answers as. Two rows ask what one question asked: neither is it.
    rows = "front,back\nSeats?,98\nSeats?,98\nChamber?,Mazhilis\nChamber?,Senate\nYear?,2022\nYear?,2023\n"
    again = upload(teacher, "twins.csv", rows.encode(), replace="y")
    assert loaded(teacher, again) == "4 new, 2 revised, 3 retired, 0 unchanged"
    db.session.expire_all()
    questions = bank_questions("twins")
    assert {key for key, q in questions.items() if q.retired_at is None} == {
        "third", "fourth", "seats", "seats-2", "year", "year-2"}


def test_a_question_of_another_type_asking_the_same_is_not_taken(teacher):
    preview = upload(teacher, "civics.yaml", GOOD_BANK.encode()).location
    # As CSV a choice question becomes a flashcard; the flashcard is a new question.
    again = upload(teacher, "civics-extra.csv", download(teacher, preview, "csv"), replace="y")
    assert loaded(teacher, again) == "1 new, 0 revised, 1 retired, 0 unchanged"


def test_an_aiken_download_uploaded_again_keeps_the_questions_ids(teacher):
    preview = upload(teacher, "civics.yaml", GOOD_BANK.encode()).location
    again = upload(teacher, "civics-extra.txt", download(teacher, preview, "aiken"), format="aiken", replace="y")
    # Aiken has no explanations or sources, so the question is revised without them, under its own id.
    assert loaded(teacher, again) == "0 new, 1 revised, 0 retired, 0 unchanged"
    assert set(bank_questions("civics-extra")) == {"seats"}


def test_ids_written_in_a_bank_file_are_kept_as_written(teacher):
    assert upload(teacher, "cards.yaml", CARDS.encode()).status_code == 302
    renamed = CARDS.replace("id: seats", "id: deputies").encode()
    assert loaded(teacher, upload(teacher, "cards.yaml", renamed, replace="y")) == (
        "1 new, 0 revised, 1 retired, 1 unchanged")

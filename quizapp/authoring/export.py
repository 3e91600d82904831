"""An uploaded bank as it stands in the database, written out in the formats other tools read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.banks.checker import ParsedBank
from quizapp.banks.schema import ParsedQuestion
from quizapp.models import Bank, Question, QuestionRevision
from quizapp.models.content import is_current_revision

# What each export is called on the page, and how its file name ends (Aiken and Anki are both plain text).
DOWNLOADS = {"gift": ("GIFT", ".gift"), "moodlexml": ("Moodle XML", ".xml"), "aiken": ("Aiken", "-aiken.txt"),
             "anki": ("Anki (notes in plain text)", "-anki.txt"), "csv": ("CSV", ".csv")}
MEDIA_TYPES = {"gift": "text/plain", "moodlexml": "application/xml", "aiken": "text/plain", "anki": "text/plain",
               "csv": "text/csv"}


def stored_bank(session: Session, bank: Bank) -> ParsedBank:
    """The bank's active questions at their current revisions, as the exporters take them."""
    rows = session.execute(
        select(Question, QuestionRevision.data).join(QuestionRevision, is_current_revision())
        .where(Question.bank_id == bank.id, Question.retired_at.is_(None)).order_by(Question.id)
    ).all()
    questions = [ParsedQuestion(question.key, question.type, question.topic, question.difficulty,
                                list(question.tags or []), question.section, data) for question, data in rows]
    return ParsedBank(bank.slug, bank.title, bank.description, bank.origin, questions)

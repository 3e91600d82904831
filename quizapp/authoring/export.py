"""An uploaded bank as it stands in the database, written out in the formats other tools read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.banks.checker import ParsedBank
from quizapp.banks.schema import ParsedQuestion
from quizapp.models import Bank, Question, QuestionRevision
from quizapp.models.content import is_current_revision

# What each export is called on the page, how its file name ends (Aiken and Anki are both plain text), and
# the media type it is sent with.
DOWNLOADS = {"gift": ("GIFT", ".gift", "text/plain"), "moodlexml": ("Moodle XML", ".xml", "application/xml"),
             "aiken": ("Aiken", "-aiken.txt", "text/plain"),
             "anki": ("Anki (notes in plain text)", "-anki.txt", "text/plain"), "csv": ("CSV", ".csv", "text/csv")}


def stored_bank(session: Session, bank: Bank) -> ParsedBank:
    """The bank's active questions at their current revisions, as the exporters take them."""
    rows = session.execute(
        select(Question, QuestionRevision.data).join(QuestionRevision, is_current_revision())
        .where(Question.bank_id == bank.id, Question.retired_at.is_(None)).order_by(Question.id)
    ).all()
    questions = [ParsedQuestion(question.key, question.type, question.topic, question.difficulty,
                                list(question.tags or []), question.section, data) for question, data in rows]
    return ParsedBank(bank.slug, bank.title, bank.description, bank.origin, questions)

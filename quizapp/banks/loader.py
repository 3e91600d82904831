"""Bring checked banks into the database: new revisions for edits, retirement for removals."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer, undefer

from quizapp.banks.checker import CheckResult, ParsedBank, Problem, content_hash
from quizapp.banks.schema import ParsedQuestion
from quizapp.content.documents import Document
from quizapp.content.quotes import quote_span
from quizapp.models import Bank, Question, QuestionRevision, SourceDocument
from quizapp.models.types import utcnow


class InvalidBanks(Exception):
    """Raised instead of loading when any bank file has a problem."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(f"{len(result.problems)} problem(s) in the question files")
        self.result = result


class BanksOwnedElsewhere(Exception):
    """Raised instead of loading when a bank id is already a bank of someone else (an instructor's upload,
    or a bank from the files when uploading): loading would retire and rewrite their questions."""

    def __init__(self, slugs: list[str]) -> None:
        super().__init__(", ".join(slugs))
        self.slugs = slugs


@dataclass
class LoadReport:
    created: int = 0
    revised: int = 0
    # Retired questions the files hold again (edited or not): back in quizzes, study and assignments.
    restored: int = 0
    retired: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        restored = f"{self.restored} restored, " if self.restored else ""
        return (f"{self.created} new, {self.revised} revised, {restored}{self.retired} retired, "
                f"{self.unchanged} unchanged")


def load_banks(session: Session, result: CheckResult, owner_id: int | None = None,
               publish_new: bool = True) -> LoadReport:
    """Write every checked bank in one transaction; nothing is written if any problem exists.

    A bank created with `publish_new` False stays private and unpublished until its owner publishes it."""
    if not result.ok:
        raise InvalidBanks(result)
    slugs = [parsed.slug for parsed in result.banks]
    if clashes := _owned_elsewhere(session, slugs, owner_id):
        raise BanksOwnedElsewhere(clashes)
    if changes := type_changes(session, result):
        raise InvalidBanks(CheckResult(result.documents, result.banks, changes))
    report = LoadReport()
    try:
        edited = {document.id: document for document in result.documents.values()
                  if _upsert_document(session, document)}
        for parsed in result.banks:
            _sync_bank(session, parsed, owner_id, publish_new, report)
        if edited:
            _refind_quotes(session, edited)
        session.commit()
    except IntegrityError:
        session.rollback()
        # Someone else made a bank of one of these ids after the check above (two instructors uploading banks
        # of the same id at once): the database kept the id unique, and the clash is said as if they had
        # loaded it a moment earlier.
        if clashes := _owned_elsewhere(session, slugs, owner_id):
            raise BanksOwnedElsewhere(clashes) from None
        raise
    except BaseException:
        session.rollback()
        raise
    return report


def _owned_elsewhere(session: Session, slugs: list[str], owner_id: int | None) -> list[str]:
    """The ids among slugs of banks that belong to someone other than owner_id (None: the question files)."""
    owned = session.execute(select(Bank.slug, Bank.owner_id).where(Bank.slug.in_(slugs))).all()
    return sorted(slug for slug, owner in owned if owner != owner_id)


def type_changes(session: Session, result: CheckResult) -> list[Problem]:
    """A problem for each question that would give an existing question id (retired or not) another type."""
    # Answers keep the revision they were given against and are read with the question's type: a question
    # of another type under the same id would read them with the wrong fields.
    problems = []
    for parsed in result.banks:
        stored = dict(session.execute(
            select(Question.key, Question.type).join(Bank, Bank.id == Question.bank_id)
            .where(Bank.slug == parsed.slug)
        ).all())
        for item in parsed.questions:
            was = stored.get(item.key)
            if was is not None and was != item.type:
                problems.append(Problem(item.path, item.type_line, (
                    f"question '{item.key}': type: '{item.key}' is a {was} question in bank '{parsed.slug}' and "
                    f"cannot become {item.type}; give the new question its own id (in a GIFT file, its own "
                    "::name::; in an Anki file, its own GUID) and keep this id for the old question or remove it")))
    return problems


def _upsert_document(session: Session, document: Document) -> bool:
    """Write a document's metadata and text; True if the text is new or differs from the stored one."""
    row = session.get(SourceDocument, document.id) or SourceDocument(id=document.id)
    edited = row.text != document.text
    row.title, row.authors, row.publisher = document.title, document.authors, document.publisher
    row.published, row.address, row.text = document.published, document.address, document.text
    row.sections = [{"title": s.title, "start": s.start, "heading_in_text": s.heading_in_text}
                    for s in document.sections]
    session.add(row)
    return edited


def _refind_quotes(session: Session, documents: dict[str, Document]) -> None:
    """Point the quotes of earlier revisions at where they stand in the edited texts."""
    # Answers keep the revision they were given against, whose offsets would otherwise mark whatever text now
    # stands there. A quote no longer in the text keeps its offsets; its feedback then shows the quote alone.
    for revision in session.scalars(select(QuestionRevision)):
        sources = revision.data.get("sources") or []
        if not any(source["document"] in documents for source in sources):
            continue
        refound = [_refind(source, documents.get(source["document"])) for source in sources]
        if refound != sources:
            # A new dict, not an edit in place: the JSON column only notices assignment.
            revision.data = {**revision.data, "sources": refound}


def _refind(source: dict, document: Document | None) -> dict:
    if document is None:
        return source
    span = quote_span(document.text, source["quote"], source.get("start"), source.get("end"))
    if span is None:
        return source
    return {**source, "start": span[0], "end": span[1], "section": document.section_at(span[0])}


def _sync_bank(session: Session, parsed: ParsedBank, owner_id: int | None, publish_new: bool,
               report: LoadReport) -> None:
    bank = session.scalar(select(Bank).where(Bank.slug == parsed.slug))
    if bank is not None and bank.owner_id != owner_id:
        # Made by someone else since load_banks looked (on PostgreSQL each statement sees what was committed
        # before it): updating it would rewrite their questions.
        raise BanksOwnedElsewhere([parsed.slug])
    if bank is None:
        bank = Bank(slug=parsed.slug, owner_id=owner_id, is_published=publish_new, is_public=publish_new)
        session.add(bank)
    bank.title, bank.description, bank.origin = parsed.title, parsed.description, parsed.origin
    session.flush()
    existing = {q.key: q for q in session.scalars(select(Question).where(Question.bank_id == bank.id))}
    _take_over_former_keys(parsed, existing)
    _find_worded_by_content(session, parsed, existing)
    digests = {item.key: content_hash(item) for item in parsed.questions}
    latest = _latest_revisions(session, bank.id, existing, digests)
    for item in parsed.questions:
        digest = digests[item.key]
        question = existing.pop(item.key, None)
        current = latest.get(question.id) if question is not None else None
        if question is None:
            question = Question(bank_id=bank.id, key=item.key, revision=0)
            session.add(question)
            report.created += 1
        elif current is not None and current.content_hash == digest and question.retired_at is None:
            report.unchanged += 1
            continue
        elif question.retired_at is not None:
            report.restored += 1
        else:
            report.revised += 1
        question.type, question.topic, question.difficulty = item.type, item.topic, item.difficulty
        question.tags, question.section, question.retired_at = item.tags, item.section, None
        if current is not None and current.content_hash != digest and _same_content(current.data, item.data):
            # Only the topic, tags or difficulty changed, which the question row holds: a revision would show
            # the same question as two versions in item statistics, each with half its answers.
            current.content_hash = digest
        elif current is None or current.content_hash != digest:
            question.revision += 1
            session.flush()
            session.add(QuestionRevision(question_id=question.id, number=question.revision,
                                         content_hash=digest, data=item.data))
    for question in existing.values():
        if question.retired_at is None:
            question.retired_at = utcnow()
            report.retired += 1


def _take_over_former_keys(parsed: ParsedBank, existing: dict[str, Question]) -> None:
    """Give a question of the bank the id the file now gives it, where the file gave it none before (an Anki
    note's GUID): it keeps its answers, revisions and students' cards rather than being retired for a new one."""
    keys = {item.key for item in parsed.questions}
    for item in parsed.questions:
        old = existing.get(item.former_key) if item.former_key else None
        # Not when the file holds a question under either id, nor for a question of another type (whose answers
        # could not be read as this one's).
        if old is None or item.key in existing or item.former_key in keys or old.type != item.type:
            continue
        old.key = item.key
        existing[item.key] = existing.pop(item.former_key)


def _find_worded_by_content(session: Session, parsed: ParsedBank, existing: dict[str, Question]) -> None:
    """Give a question whose id came from its words (a CSV row), and which the bank does not hold, the id of the
    one question of the bank of its type that asks the same and that the file does not name: downloaded as CSV,
    a bank whose ids did not come from those words (its own, Anki GUIDs) would else be loaded as new questions
    and the old ones, with students' cards, retired."""
    keys = {item.key for item in parsed.questions}
    strangers = [item for item in parsed.questions if item.worded_key and item.key not in existing]
    unnamed = [question for key, question in existing.items() if key not in keys]
    if not strangers or not unnamed:
        return
    stored = dict(session.execute(
        select(QuestionRevision.question_id, QuestionRevision.data)
        .join(Question, Question.id == QuestionRevision.question_id)
        .where(Question.id.in_([question.id for question in unnamed]), QuestionRevision.number == Question.revision)
    ).all())
    asking: dict[tuple[str, str], list[Question]] = {}
    for question in unnamed:
        if question.id in stored:
            asking.setdefault((question.type, _asks(question.type, stored[question.id])), []).append(question)
    claims: dict[int, list[ParsedQuestion]] = {}
    for item in strangers:
        found = _the_one(asking.get((item.type, _asks(item.type, item.data)), []), stored, item)
        if found is not None:
            claims.setdefault(found.id, []).append(item)
    by_id = {question.id: question for question in unnamed}
    for question_id, items in claims.items():
        # Two items asking what one question asked: which of them it became cannot be told, so both are new.
        if len(items) == 1:
            items[0].key = by_id[question_id].key


def _the_one(found: list[Question], stored: dict[int, dict], item: ParsedQuestion) -> Question | None:
    """The question item is, of those asking the same: the only one, else the only one in use (not retired),
    else the only one with the very same content; None when that cannot be told."""
    if len(found) > 1:
        found = [question for question in found if question.retired_at is None] or found
    if len(found) > 1:
        found = [question for question in found if _same_content(stored[question.id], item.data)] or found
    return found[0] if len(found) == 1 else None


def _asks(qtype: str, data: dict) -> str:
    """What a question asks, as its front, its text or its prompt, white space folded."""
    text = data.get("front" if qtype == "flashcard" else "text" if qtype == "cloze" else "prompt")
    return " ".join(str(text or "").split())


def _latest_revisions(session: Session, bank_id: int, questions: dict[str, Question],
                      digests: dict[str, str]) -> dict[int, QuestionRevision]:
    """Each question's current revision, by question id; the content only of those the files change, read in
    one statement, to be compared with what the files now say."""
    latest = {revision.question_id: revision for revision in session.scalars(
        select(QuestionRevision)
        .join(Question, Question.id == QuestionRevision.question_id)
        .where(Question.bank_id == bank_id, QuestionRevision.number == Question.revision)
        .options(defer(QuestionRevision.data))
    )}
    changed = [revision.id for key, question in questions.items()
               if (revision := latest.get(question.id)) is not None and key in digests
               and revision.content_hash != digests[key]]
    if changed:
        session.scalars(select(QuestionRevision).where(QuestionRevision.id.in_(changed))
                        .options(undefer(QuestionRevision.data))).all()
    return latest


def _same_content(stored: dict, parsed: dict) -> bool:
    """Whether a stored revision holds what the file now says, compared as the JSON column keeps it."""
    return stored == json.loads(json.dumps(parsed))

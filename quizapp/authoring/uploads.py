"""Uploaded banks: unpacked safely, checked like files on disk, and loaded all or nothing."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.banks.checker import CheckResult, Problem, check_paths
from quizapp.banks.loader import BanksOwnedElsewhere, LoadReport, load_banks, type_changes
from quizapp.content.documents import load_catalogue
from quizapp.formats.model import FormatError, TooManyQuestions, UnreadableItems
from quizapp.formats.service import Imported, convert_upload_lines, guess_format
from quizapp.models import Bank, User
from quizapp.models.locks import write_lock

BANK_SUFFIXES = (".yaml", ".yml")
# Converting, checking and loading take about two milliseconds per question (a 2,000-question GIFT file
# loads in 4 s on a 2-core machine): this many stay well inside a request's 30-second timeout.
MAX_QUESTIONS = 2000
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILES = 200
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
# Real bank folders compress about 3-5 to 1; far beyond that is a zip bomb, not text.
MAX_RATIO = 100


class UploadRefused(Exception):
    """The upload is not a bank file or a safe zip of one; the message says why."""


@dataclass
class UploadOutcome:
    problems: list[Problem] = field(default_factory=list)
    banks: list[Bank] = field(default_factory=list)
    report: LoadReport | None = None
    # Items of a Moodle or Anki file that could not be converted; the rest was loaded.
    skipped: list[str] = field(default_factory=list)
    # Items that were converted, but not completely (a part dropped, a question split).
    changed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the upload passed every check."""
        return not self.problems


def load_upload(session: Session, owner: User, filename: str, data: bytes, questions_dir: Path,
                fmt: str | None = None, replace: bool | None = None) -> UploadOutcome:
    """Unpack (or convert, for GIFT, Aiken, Moodle XML, Anki and CSV), check and load an uploaded bank for
    `owner`; on any problem nothing is loaded. With `replace` True the upload must update a bank of theirs, with
    False it must make a new one, with None (scripts and tests) it may do either."""
    folder = Path(tempfile.mkdtemp(prefix="quizapp-upload-"))
    try:
        name = _safe_name(filename)
        converted: Imported | None = None
        if fmt or not name.lower().endswith((".zip", *BANK_SUFFIXES)) and guess_format(name):
            try:
                converted = _convert(name, data, fmt, folder, questions_dir)
            except UnreadableItems as error:
                # Listed like a bank file's problems, each on its line: the file is fixed item by item.
                return UploadOutcome(problems=[Problem(name, p.line, p.reason) for p in error.problems])
        elif name.lower().endswith(".zip"):
            _unzip(data, folder)
        elif name.lower().endswith(BANK_SUFFIXES):
            (folder / name).write_bytes(data)
        else:
            raise UploadRefused("Upload a YAML bank file (.yaml or .yml), a zip of a bank folder, or a GIFT, "
                                "Aiken, Moodle XML, Anki or CSV file with its format chosen.")
        if converted is None:  # a converted file was counted as it was read
            _refuse_too_many_questions(folder)
        result = check_paths([folder], questions_dir)
        notes = converted.problems if converted is not None else []
        outcome = UploadOutcome(problems=[_relative(p, folder) for p in result.problems],
                                skipped=[f"{name}:{p.line}: {p.reason}" for p in notes if p.skipped],
                                changed=[f"{name}:{p.line}: {p.reason}" for p in notes if not p.skipped])
        if converted is not None:
            _point_at_upload(result, name, converted)
        if not result.banks and not outcome.problems:
            outcome.problems.append(Problem(name, 1, "no bank found: a bank needs bank.yaml, or a 'bank:' mapping"))
        outcome.problems += _several_banks(result, name, folder)
        outcome.problems += _empty_banks(result, name)
        # The owner's row stays write-locked until the transaction ends: the same file sent twice at once (a
        # double click) is then checked one send after the other, the second finding the first's bank, instead of
        # both loading it and one failing on the bank id taken meanwhile.
        write_lock(session, User, User.id == owner.id)
        existing = {bank.slug: bank for bank in session.scalars(
            select(Bank).where(Bank.slug.in_([parsed.slug for parsed in result.banks])))}
        outcome.problems += _foreign_slugs(result, existing, owner, name)
        outcome.problems += [_relative(p, folder) for p in type_changes(session, result)]
        if replace is False and not outcome.problems:
            outcome.problems += _own_slugs(result, existing, owner, name)
        if replace is True and not outcome.problems:
            outcome.problems += _nothing_to_update(result, existing, name, converted=converted is not None)
        if outcome.problems:
            return outcome
        try:
            outcome.report = load_banks(session, result, owner_id=owner.id, publish_new=False)
        except BanksOwnedElsewhere as clash:
            # Another instructor loaded a bank of this id while this upload was checked (their row lock is not
            # this one's): the same answer as had they loaded it a moment earlier.
            outcome.problems += [_id_taken(slug, name) for slug in clash.slugs]
            return outcome
        slugs = [b.slug for b in result.banks]
        outcome.banks = list(session.scalars(select(Bank).where(Bank.slug.in_(slugs))))
        return outcome
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _convert(name: str, data: bytes, fmt: str | None, folder: Path, questions_dir: Path) -> Imported:
    """Write the bank converted from another format into folder; what was not converted, or not completely,
    and what the conversion knows of each question (its line, where its id came from)."""
    try:
        text, converted = convert_upload_lines(
            name, data, fmt, load_catalogue(questions_dir / "sources"), max_questions=MAX_QUESTIONS)
    except TooManyQuestions:
        # Reading stopped at the first question past the limit, so the count is not known.
        raise _too_many(f"more than {MAX_QUESTIONS:,}") from None
    except UnreadableItems:
        raise
    except FormatError as error:
        raise UploadRefused(f"{name}: {error}") from error
    (folder / (Path(name).stem + ".yaml")).write_text(text, encoding="utf-8")
    return converted


def _point_at_upload(result: CheckResult, name: str, converted: Imported) -> None:
    """Have the converted questions name the uploaded file and their line in it: the uploader never sees the
    YAML they were converted into. Each keeps, for the loader, the id it had before the file gave it one, or
    whether its id comes from its words."""
    for parsed in result.banks:
        for question in parsed.questions:
            line = converted.lines.get(question.key, 1)
            question.path, question.line, question.type_line = name, line, line
            question.former_key = converted.formers.get(question.key, "")
            question.worded_key = question.key in converted.worded


def _refuse_too_many_questions(folder: Path) -> None:
    """Count the questions before the (slow) checker reads them, so that a huge bank is refused in a moment
    instead of running past the server's request timeout. libyaml's loader, where present, reads 5 MB in well
    under a second; a file it cannot read is left for the checker to explain."""
    count = 0
    for path in folder.rglob("*"):
        if path.suffix.lower() not in BANK_SUFFIXES:
            continue
        try:
            document = yaml.load(path.read_text(encoding="utf-8", errors="replace"), Loader=_FAST_LOADER)
        except yaml.YAMLError:
            continue
        if isinstance(document, dict) and isinstance(document.get("questions"), list):
            count += len(document["questions"])
    if count > MAX_QUESTIONS:
        raise _too_many(f"{count:,}")


def _too_many(count: str) -> UploadRefused:
    return UploadRefused(f"The upload holds {count} questions; at most {MAX_QUESTIONS:,} can be uploaded at once, "
                         "so split it into several banks.")


def _safe_name(filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    if not name or name.startswith("."):
        raise UploadRefused("The file has no usable name.")
    return name


def _unzip(data: bytes, folder: Path) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UploadRefused("The file is not a valid zip archive.") from error
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_FILES:
            raise UploadRefused(f"The zip holds more than {MAX_FILES} files.")
        total = sum(m.file_size for m in members)
        if total > MAX_UNPACKED_BYTES or total > MAX_RATIO * max(len(data), 1):
            raise UploadRefused("The zip unpacks to far more than a question bank could hold.")
        for member in members:
            target = _member_path(member.filename, folder)
            if target is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, target.open("wb") as sink:
                # Read at most the declared size plus one byte: a lying header cannot unpack more than it says.
                chunk = source.read(member.file_size + 1)
                if len(chunk) > member.file_size:
                    raise UploadRefused("The zip's sizes do not match its contents.")
                sink.write(chunk)


def _member_path(name: str, folder: Path) -> Path | None:
    """Where a zip entry may go inside folder; None for entries to skip; refuse anything that climbs out."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise UploadRefused(f"The zip entry '{name}' points outside its folder.")
    if any(part.startswith(".") or part == "__MACOSX" for part in path.parts):
        return None  # hidden files and macOS resource forks
    if path.suffix.lower() not in BANK_SUFFIXES:
        raise UploadRefused(f"The zip holds '{name}', which is not a YAML file; only .yaml and .yml are accepted.")
    target = folder.joinpath(*path.parts).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise UploadRefused(f"The zip entry '{name}' points outside its folder.")
    return target


def _relative(problem: Problem, folder: Path) -> Problem:
    """The problem with the upload's temporary folder left out of its path and its message: the uploader
    knows the files by their own names, and the server's paths are none of their business."""
    message, prefixes = problem.message, _prefixes(folder)
    for prefix in prefixes:
        message = message.replace(prefix, "")
    return Problem(_strip(problem.path, prefixes), problem.line, message)


def _several_banks(result: CheckResult, name: str, folder: Path) -> list[Problem]:
    """A problem when the upload holds more than one bank: the page takes one bank per upload, reports one,
    and leads to its preview, so a second bank would be created unseen and unpublished."""
    if len(result.banks) < 2:
        return []
    found = "; ".join(f"“{bank.title}” (id '{bank.slug}') in {_strip(bank.origin, _prefixes(folder))}"
                      for bank in result.banks)
    return [Problem(name, 1, f"the upload holds {len(result.banks)} banks ({found}); upload one bank at a time: "
                             "one YAML file, or a zip of one bank folder")]


def _empty_banks(result: CheckResult, name: str) -> list[Problem]:
    """A problem for a bank without questions: uploading a folder's bank.yaml alone, or a file whose questions
    were left out, would otherwise make an empty bank (or retire every question of the bank it updates)."""
    return [Problem(name, 1, f"bank '{bank.slug}' holds no questions: a single file needs a 'questions:' list "
                             "beside its 'bank:' mapping, and a bank folder its question files beside bank.yaml "
                             "(upload the folder as a zip)")
            for bank in result.banks if not bank.questions]


def _prefixes(folder: Path) -> tuple[str, str]:
    return str(folder.resolve()) + "/", str(folder) + "/"


def _strip(path: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        path = path.removeprefix(prefix)
    return path


def _own_slugs(result: CheckResult, existing: dict[str, Bank], owner: User, name: str) -> list[Problem]:
    """The owner's banks the upload would update, when they did not say it should: a file named like an
    earlier one (the id of a converted file comes from its name) would otherwise retire that bank's questions."""
    problems = []
    for parsed in result.banks:
        mine = existing.get(parsed.slug)
        if mine is not None and mine.owner_id == owner.id:
            message = (f"you already have a bank with the id '{parsed.slug}' (“{mine.title}”): tick “Update "
                       "my bank with the same id” to replace its questions with this file's, or give the file "
                       "another name (or the bank another id) to make a new bank")
            problems.append(Problem(name, 1, message))
    return problems


def _nothing_to_update(result: CheckResult, existing: dict[str, Bank], name: str, converted: bool) -> list[Problem]:
    """The banks an upload asked to update that do not exist: a renamed file (the id of a converted file comes
    from its name) would otherwise make a second bank beside the one meant, which cannot be deleted."""
    problems = []
    for parsed in result.banks:
        if parsed.slug in existing:
            continue
        where = ("the id of a converted file comes from its name, so upload it under the name of the file that "
                 "made the bank you mean" if converted
                 else "the id comes from the file's 'bank:' mapping (or a zip's bank.yaml), so give the id of the "
                      "bank you mean")
        message = (f"you have no bank with the id '{parsed.slug}' to update: {where}; to make a new bank, untick "
                   "“Update my bank with the same id”")
        problems.append(Problem(name, 1, message))
    return problems


def _foreign_slugs(result: CheckResult, existing: dict[str, Bank], owner: User, name: str) -> list[Problem]:
    """Bank ids that belong to someone else's bank: an upload may update only its owner's banks. The problem
    names the uploaded file, whatever the bank came from inside it (a zip's folder, a converted file)."""
    problems = []
    for parsed in result.banks:
        other = existing.get(parsed.slug)
        if other is not None and other.owner_id != owner.id:
            problems.append(_id_taken(parsed.slug, name))
    return problems


def _id_taken(slug: str, name: str) -> Problem:
    return Problem(name, 1, f"bank id '{slug}' is already taken by another bank; choose another id")

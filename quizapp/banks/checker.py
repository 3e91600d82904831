"""Find banks under the given paths and check every file, collecting all problems."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.banks.schema import ID_PATTERN, ParsedQuestion, line_of, line_of_error, validate_question
from quizapp.banks.values import brief
from quizapp.banks.yamlfile import LineDict, LineList, YamlError, load_yaml
from quizapp.content.documents import CatalogueError, Document, load_catalogue
from quizapp.formats.textio import legacy_encoding_hint, unreadable_character

BANK_FILE = "bank.yaml"
SOURCES_DIR = "sources"
# `sources: optional` in a bank's metadata: its questions may omit source and explanation (imported banks).
SOURCE_POLICIES = ("required", "optional")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ParsedBank:
    slug: str
    title: str
    description: str
    origin: str
    questions: list[ParsedQuestion] = field(default_factory=list)
    sources_optional: bool = False


@dataclass
class CheckResult:
    documents: dict[str, Document]
    banks: list[ParsedBank]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """Whether the check found no problem."""
        return not self.problems

    def summary(self) -> str:
        """A short account of what was checked: banks, and questions per type."""
        counts = Counter(q.type for bank in self.banks for q in bank.questions)
        total = sum(counts.values())
        lines = [f"{len(self.banks)} bank(s), {total} question(s), {len(self.documents)} source document(s)"]
        lines += [f"  {bank.slug}: {len(bank.questions)} question(s)" for bank in self.banks]
        lines += [f"  {qtype}: {count}" for qtype, count in sorted(counts.items())]
        return "\n".join(lines)


def content_hash(question: ParsedQuestion) -> str:
    """A digest of everything a student sees or is graded on, to detect edits."""
    payload = {
        "type": question.type, "topic": question.topic, "difficulty": question.difficulty,
        "tags": question.tags, "data": question.data,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def check_paths(paths: list[Path], questions_dir: Path) -> CheckResult:
    """Check the banks found under paths against the source catalogue of questions_dir."""
    problems: list[Problem] = []
    try:
        documents = load_catalogue(questions_dir / SOURCES_DIR)
    except CatalogueError as error:
        return CheckResult({}, [], [Problem(_display(error.path), error.line, error.message)])
    banks: list[ParsedBank] = []
    for location in discover_banks(paths, problems):
        bank = _check_bank(location, documents, problems)
        if bank is not None:
            banks.append(bank)
    _check_unique_slugs(banks, problems)
    return CheckResult(documents, banks, problems)


def discover_banks(paths: list[Path], problems: list[Problem]) -> list[Path]:
    """Bank folders (holding bank.yaml) and single-file banks under the given paths."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem(_display(path), 1, "no such file or folder"))
        elif path.is_file():
            found.append(path.parent if (path.parent / BANK_FILE).exists() else path)
        elif (path / BANK_FILE).exists():
            found.append(path)
        else:
            for child in sorted(path.iterdir()):
                if child.name == SOURCES_DIR or child.name.startswith("."):
                    continue
                if (child.is_dir() and (child / BANK_FILE).exists()) or child.suffix in (".yaml", ".yml"):
                    found.append(child)
    return list(dict.fromkeys(found))


def _check_bank(location: Path, documents: dict[str, Document], problems: list[Problem]) -> ParsedBank | None:
    before, unreadable = len(problems), False
    if location.is_dir():
        meta_path = location / BANK_FILE
        meta = _read(meta_path, problems)
        unreadable = len(problems) > before  # reported as such, not also as "must be a mapping"
        files = [p for p in sorted(location.glob("*.y*ml")) if p.name != BANK_FILE]
        parsed_files = [(p, _read(p, problems)) for p in files]
    else:
        meta_path = location
        document = _read(location, problems)
        meta = document.get("bank") if isinstance(document, dict) else None
        if document is not None and not isinstance(meta, dict):
            problems.append(Problem(_display(location), 1, "a single-file bank needs a 'bank:' mapping"))
        parsed_files = [(location, document)]
    bank = None if unreadable else _bank_metadata(meta_path, meta, location, problems)
    seen: dict[str, tuple[str, int]] = {}
    for path, document in parsed_files:
        questions = _question_list(path, document, problems)
        for index, raw in enumerate(questions):
            item_line = questions.line_of_item(index) if isinstance(questions, LineList) else 1
            _check_question(path, raw, documents, seen, bank, problems, item_line)
    return bank if len(problems) == before and bank is not None else None


def _read(path: Path, problems: list[Problem]) -> Any:
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(_display(path), 1, f"cannot read file: {error.strerror}"))
        return None
    if _is_utf16(data):
        # Windows editors save "Unicode" as UTF-16; read as UTF-8 it is a NUL after every letter.
        problems.append(Problem(_display(path), 1, "file is UTF-16 text, not UTF-8: save it as UTF-8"))
        return None
    try:
        return load_yaml(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(Problem(_display(path), line, f"file is not UTF-8 text ("
                                                      f"{unreadable_character(data, error.start)})"
                                                      f"{legacy_encoding_hint(data)}: save it as UTF-8"))
    except YamlError as error:
        problems.append(Problem(_display(path), error.line, error.message))
    return None


def _is_utf16(data: bytes) -> bool:
    """Whether bytes look like UTF-16: a UTF-16 byte-order mark, or a NUL in every other byte of the start."""
    head = data[:64]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return len(head) >= 4 and (not any(head[0::2]) or not any(head[1::2]))


def _bank_metadata(path: Path, meta: Any, location: Path, problems: list[Problem]) -> ParsedBank | None:
    if not isinstance(meta, dict):
        if meta is not None or location.is_dir():
            problems.append(Problem(_display(path), 1, "bank metadata must be a mapping with id and title"))
        return None
    line = meta.line if isinstance(meta, LineDict) else 1
    slug, title = meta.get("id"), meta.get("title")
    if not isinstance(slug, str) or not ID_PATTERN.match(slug) or len(slug) > 64:
        problems.append(Problem(_display(path), line,
                                "bank id must be lower-case letters, digits and hyphens (at most 64)"))
        return None
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(_display(path), line, "bank title must be non-empty text"))
        return None
    if len(title.strip()) > 200:
        problems.append(Problem(_display(path), line, "bank title must be at most 200 characters"))
        return None
    description = meta.get("description")
    if not (description is None or isinstance(description, str | int | float)):
        problems.append(Problem(_display(path), meta.line_of("description") if isinstance(meta, LineDict) else line,
                                "bank description must be text"))
        return None
    policy = meta.get("sources", "required")
    if not isinstance(policy, str) or policy not in SOURCE_POLICIES:
        problems.append(Problem(_display(path), meta.line_of("sources") if isinstance(meta, LineDict) else line,
                                f"bank sources must be one of: {', '.join(SOURCE_POLICIES)} (got {brief(policy)})"))
        return None
    return ParsedBank(slug, title.strip(), str(description or "").strip(), _display(location),
                      sources_optional=policy == "optional")


def _question_list(path: Path, document: Any, problems: list[Problem]) -> list[Any]:
    if document is None:
        return []
    questions = document.get("questions") if isinstance(document, dict) else None
    if not isinstance(questions, list):
        # An empty or mistyped `questions:` is reported on its own line; a file without it, on the first.
        line = document.line_of("questions") if isinstance(document, LineDict) else 1
        problems.append(Problem(_display(path), line, "expected a 'questions:' list"))
        return []
    return questions


def _check_question(
    path: Path, raw: Any, documents: dict[str, Document], seen: dict[str, tuple[str, int]],
    bank: ParsedBank | None, problems: list[Problem], item_line: int = 1,
) -> None:
    line = line_of(raw, item_line)
    optional = bank is not None and bank.sources_optional
    question, errors = validate_question(raw, documents, require_source=not optional, require_explanation=not optional)
    key = raw.get("id") if isinstance(raw, dict) else None
    label = f"question '{key}'" if isinstance(key, str) else "question"
    for error in errors:
        # A problem with the whole question (not a mapping) is named by its label alone, not "question: question:".
        where = label if error.field == "question" else f"{label}: {error.field}"
        problems.append(Problem(_display(path), line_of_error(raw, error, line), f"{where}: {error.message}"))
    if isinstance(key, str):
        if key in seen:
            first_path, first_line = seen[key]
            problems.append(Problem(_display(path), line, f"{label}: id: duplicate id, first used at "
                                                          f"{first_path}:{first_line}"))
        else:
            seen[key] = (_display(path), line)
    if question is not None and bank is not None:
        question.line, question.path = line, _display(path)
        question.type_line = raw.line_of("type") if isinstance(raw, LineDict) else line
        bank.questions.append(question)


def _check_unique_slugs(banks: list[ParsedBank], problems: list[Problem]) -> None:
    first: dict[str, ParsedBank] = {}
    for bank in banks:
        if bank.slug in first:
            problems.append(Problem(bank.origin, 1, f"bank id '{bank.slug}' is also used by {first[bank.slug].origin}"))
        first.setdefault(bank.slug, bank)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)

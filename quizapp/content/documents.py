"""Read the source catalogue (sources.yaml) and locate each document's sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from quizapp.banks.yamlfile import LineDict, YamlError, load_yaml
from quizapp.content.quotes import FoldedText, fold

CATALOGUE = "sources.yaml"
_METADATA = ("title", "authors", "publisher", "published", "address")


class CatalogueError(Exception):
    """A problem in sources.yaml, with the line it is on."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class Section:
    title: str
    start: int


@dataclass
class Document:
    """A source text with its metadata, section offsets and folded form for quote search."""

    id: str
    title: str
    authors: str
    publisher: str
    published: str
    address: str
    text: str
    sections: list[Section] = field(default_factory=list)
    _folded: FoldedText | None = field(default=None, repr=False)

    @property
    def folded(self) -> FoldedText:
        """The text with quotes, dashes, white space and hyphenation folded, for finding quotes in it; made once."""
        if self._folded is None:
            self._folded = fold(self.text)
        return self._folded

    def section_at(self, offset: int) -> str:
        """The title of the section an offset falls in."""
        title = self.sections[0].title if self.sections else ""
        for section in self.sections:
            if section.start > offset:
                break
            title = section.title
        return title


def load_catalogue(sources_dir: Path) -> dict[str, Document]:
    """Read sources.yaml and the texts it names; raise CatalogueError on the first problem."""
    path = sources_dir / CATALOGUE
    try:
        entries = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogueError(path, 1, f"cannot read the source catalogue: {error.strerror}") from error
    except YamlError as error:
        raise CatalogueError(path, error.line, error.message) from error
    if not isinstance(entries, dict) or not isinstance(entries.get("documents"), list):
        raise CatalogueError(path, 1, "expected a mapping with a 'documents' list")
    documents: dict[str, Document] = {}
    for entry in entries["documents"]:
        line = entry.line if isinstance(entry, LineDict) else entries.line_of("documents")
        document = _read_entry(sources_dir, path, line, entry)
        if document.id in documents:
            raise CatalogueError(path, line, f"duplicate document id '{document.id}'")
        documents[document.id] = document
    return documents


def _read_entry(sources_dir: Path, path: Path, line: int, entry: object) -> Document:
    if not isinstance(entry, dict):
        raise CatalogueError(path, line, "each document must be a mapping")
    missing = [name for name in ("id", "file", *_METADATA) if not str(entry.get(name) or "").strip()]
    if missing:
        raise CatalogueError(path, line, f"document is missing: {', '.join(missing)}")
    try:
        text = (sources_dir / entry["file"]).read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogueError(path, line, f"cannot read '{entry['file']}': {error.strerror}") from error
    document = Document(
        id=str(entry["id"]), text=text, **{name: str(entry[name]).strip() for name in _METADATA}
    )
    document.sections = _locate_sections(path, line, text, entry.get("sections") or [])
    return document


def _locate_sections(path: Path, line: int, text: str, sections: list) -> list[Section]:
    located: list[Section] = []
    search_from = 0
    for index, item in enumerate(sections):
        title, heading = (item.get("title"), item.get("heading")) if isinstance(item, dict) else (item, item)
        if index == 0:
            located.append(Section(str(title), 0))
            continue
        offset = _find_line(text, str(heading), search_from)
        if offset < 0:
            raise CatalogueError(path, line, f"section heading not found on a line of its own: {heading!r}")
        located.append(Section(str(title), offset))
        search_from = offset + 1
    return located


def _find_line(text: str, heading: str, start: int) -> int:
    position = start
    while (found := text.find(heading, position)) >= 0:
        at_line_start = found == 0 or text[found - 1] == "\n"
        end = found + len(heading)
        if at_line_start and (end == len(text) or text[end] in "\r\n"):
            return found
        position = found + 1
    return -1

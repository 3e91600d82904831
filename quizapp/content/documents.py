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
    heading_in_text: bool = True  # False: the text has no heading line here, so readers show the title


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
        item = item if isinstance(item, dict) else {"title": item}
        title = str(item.get("title"))
        if index == 0:
            located.append(Section(title, 0, heading_in_text=False))
            continue
        if "heading" in item and "starts" in item:
            raise CatalogueError(path, line, f"section {title!r} has both 'heading' and 'starts'")
        # A heading stands alone on a line; a section without one (the notes) names how its first line begins.
        owns_heading = "starts" not in item
        needle = str(item.get("heading", title) if owns_heading else item["starts"]).strip()
        offset = _find_line(text, needle, search_from, whole=owns_heading) if needle else -1
        if offset < 0:
            problem = "section heading not found on a line of its own" if owns_heading else "no line starts with"
            raise CatalogueError(path, line, f"{problem}: {needle!r}")
        located.append(Section(title, offset, heading_in_text=owns_heading))
        search_from = offset + 1
    return located


def _find_line(text: str, needle: str, start: int, whole: bool = True) -> int:
    """The offset of the first line from start that is the needle (or, not whole, begins with it), or -1."""
    position = start
    while (found := text.find(needle, position)) >= 0:
        at_line_start = found == 0 or text[found - 1] == "\n"
        end = found + len(needle)
        if at_line_start and (not whole or end == len(text) or text[end] in "\r\n"):
            return found
        position = found + 1
    return -1

"""The explanation and its cited passages as one Markdown feedback text, and back.

Exported items carry the explanation, each quote and its citation in the
general feedback (or an Anki card's back). When such a file comes back, the
quotes are recognised by the citation line and become `source` entries
again, provided the cited document is in our catalogue and the quote is in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from quizapp.content.quotes import find_quote

_CITATION = "Source: "
_BLOCK = re.compile(r"(?:^|\n\n)((?:> ?[^\n]*\n)+)\n" + re.escape(_CITATION) + r"\*(?P<title>[^\n]+?)\*[^\n]*$")


class Cited(Protocol):
    """What a citation needs of a source document (our Document or the database row)."""

    id: str
    title: str
    authors: str
    publisher: str
    published: str


@dataclass(frozen=True)
class Passage:
    document: Cited
    quote: str


def citation(document: Cited) -> str:
    """One line naming a document: title, authors, publisher and date."""
    details = ", ".join(part for part in (document.authors, document.publisher, document.published) if part)
    return f"{_CITATION}*{document.title}*" + (f", {details}." if details else "")


def compose(explanation: str, passages: list[Passage]) -> str:
    """The explanation followed by each quote as a block quote with its citation line."""
    parts = [explanation.strip()] if explanation.strip() else []
    for passage in passages:
        quoted = "\n".join(f"> {line}".rstrip() for line in passage.quote.strip().split("\n"))
        parts.append(f"{quoted}\n\n{citation(passage.document)}")
    return "\n\n".join(parts)


def split(feedback: str, documents: dict[str, Any]) -> tuple[str, list[dict[str, str]]]:
    """Separate trailing cited quotes (as written by compose) from the explanation.

    Only quotes whose document is known by title and whose text is found in it
    are taken; the rest of the feedback stays in the explanation.
    """
    by_title = {document.title: document for document in documents.values()}
    sources: list[dict[str, str]] = []
    text = feedback.strip()
    while True:
        match = _BLOCK.search(text)
        document = by_title.get(match.group("title")) if match else None
        if match is None or document is None:
            break
        quote = "\n".join(line[2:] if line.startswith("> ") else line[1:] for line in match.group(1).splitlines())
        folded = getattr(document, "folded", None)
        if folded is None or find_quote(folded, quote) is None:
            break
        sources.insert(0, {"document": document.id, "quote": quote})
        text = text[: match.start()].strip()
    return text, sources

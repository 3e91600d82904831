"""Cut a quoted passage and its surrounding sentences out of a source text for display."""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.content.quotes import context_bounds

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Passage:
    before: str
    quote: str
    after: str
    start: int
    end: int


def passage_in_context(text: str, start: int, end: int) -> Passage:
    """The passage text[start:end] with a few sentences of context on each side."""
    left, right = context_bounds(text, start, end)
    return Passage(
        before=_tidy(text[left:start]), quote=_tidy(text[start:end]), after=_tidy(text[end:right]),
        start=start, end=end,
    )


def _tidy(fragment: str) -> str:
    # Line breaks in the extracted text are layout, not meaning.
    return _SPACE.sub(" ", fragment)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the full text, split into plain and highlighted runs."""

    runs: tuple[tuple[str, bool], ...]
    has_mark: bool


def paragraphs_with_mark(text: str, start: int | None, end: int | None) -> list[Paragraph]:
    """Split a whole text into paragraphs, highlighting the span [start, end) where it falls."""
    paragraphs = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        p_start, p_end = match.span()
        body = match.group(0)
        if start is None or end is None or end <= p_start or start >= p_end:
            paragraphs.append(Paragraph(((body, False),), False))
            continue
        s, e = max(start, p_start) - p_start, min(end, p_end) - p_start
        runs = tuple(run for run in ((body[:s], False), (body[s:e], True), (body[e:], False)) if run[0])
        paragraphs.append(Paragraph(runs, True))
    return paragraphs

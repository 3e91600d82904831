"""Cut a quoted passage and its surrounding sentences out of a source text for display."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_BLANK_LINE = re.compile(r"[ \t]*\n\s*\n")
# A footnote the PDF extraction left between the lines of a paragraph ("² \"The President ...", a web address on a
# line of its own) is a paragraph of its own, not words of the sentence it interrupts; a sentence closed by its
# note's number ("ecosystems.3") ends its paragraph.
_NOTE_AFTER_STOP = re.compile(r"[.!?][\"'\u2019\u201d)\]]*(?:\d{1,2}|[\u00b9\u00b2\u00b3\u2070-\u2079]+)$")
_NOTE_START = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079\u207d]|\(https?://|\^\{")
_CLOSING = ".!?:;'\"\u2019\u201d)]"
_HEADING_LENGTH = 100
# A stop with the quotes, brackets and footnote marker ("[3]" or a superscript) that close the sentence with it.
_SENTENCE_END = re.compile(r"(?P<stop>[.!?][\"'\u2019\u201d)\]]*(?:\[\d+\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+)?)\s+")
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
# Abbreviations the texts use before a capitalised word ("Mr. Tokayev"); single letters ("U.S.", "e.g.",
# "S. E. Cornell") are abbreviations too.
_ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "Prof", "St", "pp", "ca", "cf", "vs"}
# A hyphen ending a line: a word split across the line ("How-\n\never") if the next line goes on in lower case;
# before a capital or a footnote figure, the text's own ("joint-center-" ending a line of a web address).
_LINE_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\n\s*(?:>[ \t])?(?=(?P<next>[^\W\d_]))")
_SPACE = re.compile(r"\s+")
_HEADING_LINE = re.compile(r"[^\n]*\s*")
_LIST_DASH = "- "


@dataclass(frozen=True)
class Paragraph:
    """A paragraph, split into plain and highlighted runs."""

    runs: tuple[tuple[str, bool], ...]
    has_mark: bool
    start: int


@dataclass(frozen=True)
class Block:
    """A heading or a paragraph of a full text, as the reader shows it."""

    tag: str  # "h2", "p" or "li" (consecutive items make one list)
    runs: tuple[tuple[str, bool], ...]
    anchor: str | None = None  # a heading's id, the target of the Sections menu

    @property
    def marked(self) -> bool:
        """Whether any of it is highlighted."""
        return any(marked for _, marked in self.runs)


def _ends_paragraph(text: str, index: int, following: int) -> bool:
    """A blank line after a sentence, list item or heading ends a paragraph, and so does one before a footnote or
    a capital after a hyphen; one in mid-sentence is a page break left by the extraction."""
    line = text[text.rfind("\n", 0, index) + 1:index].rstrip()
    if not line or line[-1] in _CLOSING or len(line) < _HEADING_LENGTH or _NOTE_START.match(text, following):
        return True
    if _NOTE_AFTER_STOP.search(line):  # "... agricultural ecosystems.3": a sentence and its note's number
        return True
    # "joint-center-" ending a line of a note's web address, before the body text goes on: "Kazakhstan's ...".
    return line[-1] == "-" and text[following:following + 1].isupper()


@lru_cache(maxsize=16)
def paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Start and end offsets of each paragraph, joining paragraphs split by page breaks."""
    spans, position = [], 0
    for match in _BLANK_LINE.finditer(text):
        if _ends_paragraph(text, match.start(), match.end()):
            spans.append((position, match.start()))
            position = match.end()
    spans.append((position, len(text)))
    return tuple((start, end) for start, end in spans if text[start:end].strip())


def paragraphs_with_mark(
    text: str, start: int | None, end: int | None, window: tuple[int, int] | None = None
) -> list[Paragraph]:
    """Split a text (or the window of it) into paragraphs, highlighting [start, end) where it falls."""
    low, high = window or (0, len(text))
    paragraphs = []
    for p_start, p_end in paragraph_spans(text):
        p_start, p_end = max(p_start, low), min(p_end, high)
        if p_start >= p_end or not text[p_start:p_end].strip():
            continue
        if start is None or end is None or end <= p_start or start >= p_end:
            paragraphs.append(Paragraph(((_tidy(text[p_start:p_end]).strip(), False),), False, p_start))
            continue
        s, e = max(start, p_start), min(end, p_end)
        runs = [(_tidy(text[p_start:s]).lstrip(), False), (_tidy(text[s:e]), True), (_tidy(text[e:p_end]), False)]
        runs = [run for run in runs if run[0]]
        runs[-1] = (runs[-1][0].rstrip(), runs[-1][1])
        paragraphs.append(Paragraph(tuple(runs), True, p_start))
    return paragraphs


def document_blocks(text: str, sections: list[dict], start: int | None, end: int | None) -> list[Block]:
    """A full text as section headings and paragraphs, highlighting [start, end) where it falls."""
    offsets = [section["start"] for section in sections[1:]]
    blocks: list[Block] = []
    for number, (low, high) in enumerate(zip([0, *offsets], [*offsets, len(text)], strict=True), start=1):
        # Each section is split on its own, so that its first line begins a block even where the paragraph
        # joining would run it on from the section before.
        paragraphs = paragraphs_with_mark(text, start, end, window=(low, high))
        # The opening section starts with the document's own title lines: it gets no heading.
        if low > 0:  # only sections past the first start after 0
            section, anchor = sections[number - 1], f"section-{number}"
            if section.get("heading_in_text", True) and paragraphs:
                blocks.append(Block("h2", paragraphs.pop(0).runs, anchor))
            else:
                # The text has no heading here (the notes start with the first note): show the section's title.
                blocks.append(Block("h2", ((section["title"], False),), anchor))
        blocks.extend(_paragraph_block(paragraph.runs) for paragraph in paragraphs)
    return blocks


def _paragraph_block(runs: tuple[tuple[str, bool], ...]) -> Block:
    """A paragraph, or a list item where the text marks one with a dash ("- may not belong to a party;")."""
    first, marked = runs[0]
    if not first.startswith(_LIST_DASH):
        return Block("p", runs)
    # The dash is the list's marker: the page draws it, so the item's words start after it.
    first = first.removeprefix(_LIST_DASH)
    return Block("li", ((first, marked), *runs[1:]) if first else runs[1:])


def _sentence_ends(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The sentence ends in text[start:end], leaving out the stops of abbreviations and ellipses in mid-sentence."""
    ends = []
    for match in _SENTENCE_END.finditer(text, start, end):
        following = text[match.end():match.end() + 1]
        if following.islower():  # "the U.S. has", "e.g. clan structures", "were... the"
            continue
        if match.group("stop")[0] == ".":
            word = _WORD_BEFORE.search(text, max(0, match.start() - 8), match.start())
            if word and (len(word.group()) == 1 or word.group() in _ABBREVIATIONS):
                continue
        ends.append(match)
    return ends


def section_body(text: str, sections: Sequence[dict], start: int, end: int) -> tuple[int, int]:
    """The part of the section holding text[start:end] that follows its heading line, up to the next section."""
    low, high = 0, len(text)
    for section in sections:
        offset = section["start"]
        if offset <= start:
            low = offset
            if offset > 0 and section.get("heading_in_text", True):
                # A heading stands alone on its line (the catalogue checks it): the body starts after it.
                body = _HEADING_LINE.match(text, offset).end()
                low = body if body <= start else offset
        elif offset >= end:
            high = offset
            break
    return low, high


def context_bounds(text: str, start: int, end: int, sentences: int = 2, limit: int = 500,
                   within: tuple[int, int] | None = None) -> tuple[int, int]:
    """Widen a passage by a few sentences (or paragraphs) on each side, within a character limit and the
    stretch of text given (by default the whole text)."""
    low, high = within or (0, len(text))
    spans = paragraph_spans(text)
    paragraph_starts = [s for s, _ in spans]
    paragraph_ends = [e for _, e in spans]
    floor = max(low, start - limit)
    before = sorted({m.end() for m in _sentence_ends(text, floor, start)}
                    | {s for s in paragraph_starts if floor <= s <= start} | ({low} if floor == low else set()))
    left = before[-sentences] if len(before) >= sentences else (before[0] if before else floor)
    ceiling = min(high, end + limit)
    after = sorted({m.end("stop") for m in _sentence_ends(text, end, ceiling)}
                   | {e for e in paragraph_ends if end <= e <= ceiling} | ({high} if ceiling == high else set()))
    after = [a for a in after if a > end]
    right = after[sentences - 1] if len(after) >= sentences else (after[-1] if after else ceiling)
    # A footnote the extraction left beside the passage is no context for it: the context stops short of it.
    for note_start, note_end in spans:
        if not _NOTE_START.match(text, note_start):
            continue
        if left < note_end <= start:
            left = min(s for s in [*paragraph_starts, start] if s >= note_end)
        elif end <= note_start < right:
            right = max(e for e in [*paragraph_ends, end] if e <= note_start)
    return left, right


@lru_cache(maxsize=1024)
def passage_in_context(text: str, start: int, end: int,
                       within: tuple[int, int] | None = None) -> tuple[Paragraph, ...]:
    """The passage text[start:end] with a few sentences of context on each side, as paragraphs, kept within
    the stretch of text given (its section's body: a heading or another section is no context)."""
    # Cached: every feedback page shows one or two of a bank's few hundred passages, and finding the
    # context walks all the paragraphs of the text.
    window = context_bounds(text, start, end, within=within)
    return tuple(paragraphs_with_mark(text, start, end, window=window))


def _tidy(fragment: str) -> str:
    # Line breaks are layout, not meaning; a word split across lines is joined again.
    return _SPACE.sub(" ", _LINE_HYPHEN.sub(_join_split_word, fragment))


def _join_split_word(match: re.Match[str]) -> str:
    # Dropping the hyphen before "Kazakhstan's" or "¹⁶" would run two words (or a word and a note) together.
    return "" if match.group("next").islower() else "-"

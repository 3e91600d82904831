"""Find a quoted passage in a source text, tolerating typographic and layout noise.

The texts were extracted from web pages and PDFs, so a quote copied by a
person rarely matches byte for byte: line breaks and runs of spaces differ,
words are hyphenated across lines ("How-\\n\\never"), quotes and dashes come in
straight and curly forms. Both sides are folded to one canonical form and the
match is mapped back to offsets in the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
    }
)
_LETTER = r"[^\W\d_]"
# A hyphen between letters, possibly followed by a line break (and a stray
# blockquote marker left by the extraction), joins the two halves of a word.
_JOIN = rf"(?<={_LETTER})[-\u2010\u2011\u00ad]\s*(?:>[ \t])?(?={_LETTER})"
_SPACE = r"\s*\n[ \t]*>[ \t]|\s+"
_TOKEN = re.compile(rf"(?P<join>{_JOIN})|(?P<space>{_SPACE})")


@dataclass(frozen=True)
class FoldedText:
    """A canonical form of a text with, for each of its characters, the offset it came from."""

    text: str
    offsets: tuple[int, ...]
    length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the folded text back to a span of the original."""
        return self.offsets[start], self.offsets[end - 1] + 1


def fold(text: str) -> FoldedText:
    """Fold quotes, dashes, white space and line-break hyphenation to a canonical form."""
    chars: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _TOKEN.finditer(text):
        _copy(text, position, match.start(), chars, offsets)
        if match.lastgroup == "space" and chars and chars[-1] != " ":
            chars.append(" ")
            offsets.append(match.start())
        position = match.end()
    _copy(text, position, len(text), chars, offsets)
    return FoldedText("".join(chars), tuple(offsets), len(text))


def _copy(text: str, start: int, end: int, chars: list[str], offsets: list[int]) -> None:
    for index in range(start, end):
        chars.append(text[index].translate(_FOLD))
        offsets.append(index)


def normalize_quote(quote: str) -> str:
    """The folded form of a quote, trimmed of surrounding white space."""
    if len(quote) > _LONGEST_KEPT_QUOTE:
        return fold(quote).text.strip()
    return _normalized(quote)


# Quotes of a passage or two; a longer one is folded each time, so that the cache stays a few megabytes at most.
_LONGEST_KEPT_QUOTE = 2000


@lru_cache(maxsize=2048)
def _normalized(quote: str) -> str:
    # Every feedback page checks its passages' stored spans against their quotes: the same few hundred
    # passages, each folded character by character, again and again.
    return fold(quote).text.strip()


def find_quote(source: FoldedText, quote: str) -> tuple[int, int] | None:
    """Offsets of the first occurrence of a quote in the original text, or None."""
    needle = normalize_quote(quote)
    if not needle:
        return None
    found = source.text.find(needle)
    if found < 0:
        return None
    return source.span(found, found + len(needle))


def span_holds_quote(text: str, start: int, end: int, quote: str) -> bool:
    """Whether text[start:end] is still the quote, folded the same way as when it was found."""
    return 0 <= start < end <= len(text) and normalize_quote(text[start:end]) == normalize_quote(quote)


@lru_cache(maxsize=8)
def _folded(text: str) -> FoldedText:
    # Folding walks every character of a text of tens of thousands; the few texts change only on a reload.
    return fold(text)


def quote_span(text: str, quote: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    """Where a quote stands in a text: the stored span while it still holds the quote, else the quote's first
    occurrence, else None (the text was edited and no longer holds it)."""
    # Checking the stored span folds a few dozen characters; searching folds the whole text, so it comes second.
    if start is not None and end is not None and span_holds_quote(text, start, end, quote):
        return start, end
    return find_quote(_folded(text), quote)


# Shorter than this, a matching start says nothing about where the quote was copied from.
_MIN_ALIKE = 12
_ELLIPSIS = re.compile(r"^\s*(?:…|\.\.\.|\[…\]|\[\.\.\.\])")


def quote_mismatch(source: FoldedText, quote: str) -> str:
    """Where a quote the text does not hold parts from it, to tell its writer what to fix."""
    needle = normalize_quote(quote)
    if not needle:
        return ""
    found = source.text.lower().find(needle.lower())
    if found >= 0:
        return f"the text has it with other capitals: {source.text[found:found + len(needle)]!r}"
    swapped = needle.translate(str.maketrans({'"': "'", "'": '"'}))
    if source.text.find(swapped) >= 0:
        return "the text has single quotes where the quote has double ones, or the other way round"
    head = _longest(source.text, len(needle), lambda size: needle[:size])
    tail = _longest(source.text, len(needle), lambda size: needle[len(needle) - size:])
    if max(head, tail) < _MIN_ALIKE:
        return "no passage of the text starts or ends like it: copy the passage from the text itself"
    if head >= tail:
        at = source.text.find(needle[:head]) + head
        text_next = repr(source.text[at:at + 25]) if at < len(source.text) else "nothing more"
        advice = (f"the text matches as far as {needle[max(head - 25, 0):head]!r}, then reads {text_next} where "
                  f"the quote has {needle[head:head + 25]!r}")
        if _ELLIPSIS.match(needle[head:]):
            advice += ": a quote cannot leave words out; quote one unbroken passage, or give each part as a source"
        return advice
    at = source.text.find(needle[len(needle) - tail:])
    cut = len(needle) - tail
    return (f"the text matches from {needle[cut:cut + 25]!r} to the end, but before that reads "
            f"{source.text[max(at - 25, 0):at]!r} where the quote has {needle[max(cut - 25, 0):cut]!r}")


def _longest(text: str, most: int, part: Callable[[int], str]) -> int:
    """The greatest size for which part(size) occurs in text: if a start (or end) of a quote occurs, so does
    every shorter one, so a binary search finds it in a few searches."""
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if text.find(part(middle)) >= 0:
            low = middle
        else:
            high = middle - 1
    return low

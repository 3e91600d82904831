"""Moodle's embedded-answers (Cloze) syntax: `{1:SHORTANSWER:=right#feedback~wrong}` gaps inside a text."""

from __future__ import annotations

import re
from collections.abc import Callable

from quizapp.formats.model import Answer, Blank, Text, blank_marker
from quizapp.formats.textio import to_plain

# Moodle's names for each kind of gap, by the kind they are read as.
KINDS = {
    "shortanswer": ("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"),
    "numerical": ("NUMERICAL", "NM"),
    "multichoice": ("MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH", "MULTICHOICE_S", "MCS",
                    "MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS", "MCHS"),
    "multiresponse": ("MULTIRESPONSE", "MR", "MULTIRESPONSE_H", "MRH", "MULTIRESPONSE_S", "MRS",
                      "MULTIRESPONSE_HS", "MRHS"),
}
_KIND_OF = {name: kind for kind, names in KINDS.items() for name in names}
# A gap is `{N:KIND:content}`, its content running to the first "}" not escaped with a backslash. The head and the
# content are matched apart (see _gaps): one pattern for the whole gap would, for each "{" of a gap left unclosed,
# read on to the end of the text again, which for a text of many such gaps takes minutes.
_GAP_HEAD = re.compile(r"\{(\d*):([A-Z_]+):")
_GAP_CONTENT = re.compile(r"(?:\\.|[^}\\])*+")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
# * too: a gap is a Moodle short answer, where an unescaped * is a wildcard.
_SPECIAL = re.compile(r"([\\}#~/\"*])")


def _split(text: str, separator: str) -> list[str]:
    """Split at separators that are not escaped with a backslash."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text).strip()


def read_multianswer(text: Text) -> tuple[Text, list[Blank]]:
    """The text with each gap replaced by a blank marker, and the gaps in order."""
    blanks: list[Blank] = []

    def gap(name: str, content: str) -> str:
        """Put a blank marker in place of one embedded-answer gap, whose answers become the blank's."""
        kind = _KIND_OF.get(name, name.lower())
        blank = Blank(kind)
        for raw in _split(content, "~"):
            raw = raw.strip()
            if not raw:
                continue
            fraction = 0.0
            if raw.startswith("="):
                fraction, raw = 1.0, raw[1:]
            elif weight := _WEIGHT.match(raw):
                fraction, raw = float(weight.group(1)) / 100, raw[weight.end():]
            answer, *feedback = _split(raw, "#")
            tolerance = None
            if kind == "numerical" and ":" in answer:
                answer, _, margin = answer.partition(":")
                try:
                    tolerance = abs(float(_unescape(margin)))
                except ValueError:
                    tolerance = None
            # An answer is compared with what a student types: the words it shows, not its markup or entities.
            blank.answers.append(Answer(Text(to_plain(Text(_unescape(answer), text.format)), "plain"), fraction,
                                        Text(_unescape("#".join(feedback)), text.format), tolerance))
        blanks.append(blank)
        return blank_marker(len(blanks) - 1)

    return Text(_gaps(text.text, gap), text.format), blanks


def gap_count(text: Text) -> int:
    """How many gaps the text holds, found without reading their answers."""
    found = 0

    def count(_name: str, _content: str) -> str:
        nonlocal found
        found += 1
        return ""

    _gaps(text.text, count)
    return found


def _gaps(text: str, replace: Callable[[str, str], str]) -> str:
    """The text with each gap, left to right, replaced by what `replace` makes of its kind and content, in time
    linear in the text's length."""
    pieces, done, start = [], 0, 0
    while head := _GAP_HEAD.search(text, start):
        content = _GAP_CONTENT.match(text, head.end())
        end = content.end()
        if text.startswith("}", end):
            pieces += [text[done:head.start()], replace(head.group(2), content.group())]
            done = start = end + 1
        else:
            # No "}" closes this gap. Every "{" up to where its content stopped starts a content read the same way
            # (a head holds no backslash, so escapes pair up alike), which stops there too: none of them is a gap.
            start = max(end, head.start() + 1)
    return "".join(pieces) + text[done:]


def escape(text: str) -> str:
    """Backslash-escape the characters that end or split a gap's answers, and * (a wildcard otherwise)."""
    return _SPECIAL.sub(r"\\\1", text)


def write_gap(alternatives: list[str]) -> str:
    """A short-answer gap accepting each alternative for full marks."""
    return "{1:SHORTANSWER:" + "~".join(f"={escape(alternative)}" for alternative in alternatives) + "}"

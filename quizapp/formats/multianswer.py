"""Moodle's embedded-answers (Cloze) syntax: `{1:SHORTANSWER:=right#feedback~wrong}` gaps inside a text."""

from __future__ import annotations

import re

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
_GAP = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^}\\])*)\}")
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

    def gap(match: re.Match[str]) -> str:
        """Put a blank marker in place of one embedded-answer gap, whose answers become the blank's."""
        kind = _KIND_OF.get(match.group(2), match.group(2).lower())
        blank = Blank(kind)
        for raw in _split(match.group(3), "~"):
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

    return Text(_GAP.sub(gap, text.text), text.format), blanks


def escape(text: str) -> str:
    """Backslash-escape the characters that end or split a gap's answers, and * (a wildcard otherwise)."""
    return _SPECIAL.sub(r"\\\1", text)


def write_gap(alternatives: list[str]) -> str:
    """A short-answer gap accepting each alternative for full marks."""
    return "{1:SHORTANSWER:" + "~".join(f"={escape(alternative)}" for alternative in alternatives) + "}"

"""Forgiving comparison of typed answers: free text and numbers with units."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_NON_WORD = re.compile(r"[^\w]+")
_ARTICLE = re.compile(r"^(?:the|a|an) ")


# Short i is a letter of its own in Russian and Kazakh ("мой" is not "мои"), not и with an accent; ё is commonly
# written е, so its dots go like any accent. Kazakh's own letters (ә ғ қ ң ө ұ ү һ і) have no accent to lose.
_KEPT_LETTERS = frozenset("й")
# Dotless ı (Kazakh and Turkish Latin) is folded to i as ä is to a: the keyboards most students have lack it.
_DOTLESS = str.maketrans({"ı": "i"})
# Latin letters drawn like Cyrillic ones, typed into a Cyrillic word by a keyboard without Kazakh letters (a Latin
# i for і, as in "Мәжiлiс") or by switching layouts mid-word: in a word that has Cyrillic letters they are read as
# the Cyrillic ones they look like.
_CYRILLIC_LOOKALIKES = str.maketrans(dict(zip("aceiopxyh", "асеіорхуһ", strict=True)))
_CYRILLIC = re.compile(r"[\u0400-\u04ff\u0500-\u052f]")
_WORD = re.compile(r"\w+")


def normalize_text(text: str) -> str:
    """Fold case, accents, punctuation, spacing and a leading article away."""
    composed = unicodedata.normalize("NFC", text.casefold())
    stripped = "".join(ch if ch in _KEPT_LETTERS else _without_marks(ch) for ch in composed).translate(_DOTLESS)
    stripped = _WORD.sub(_cyrillic_word, _APOSTROPHES.sub("", stripped))
    words = _NON_WORD.sub(" ", stripped).replace("_", " ").strip()
    words = " ".join(words.split())
    return _ARTICLE.sub("", words)


def _without_marks(ch: str) -> str:
    return "".join(part for part in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(part))


def _cyrillic_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return word.translate(_CYRILLIC_LOOKALIKES) if _CYRILLIC.search(word) else word


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from typed text, the unit written after it, and both readings when it has two."""

    value: float
    unit: str
    # A lone "." or "," before exactly three digits groups thousands in some languages and marks decimals in
    # others: "20.000" is 20000 in German and 20 in English. Such a number keeps a spelling of each reading that
    # cannot be misread, the whole number first ("20000", "20"); `value` is the English reading.
    readings: tuple[str, ...] = ()


# Every Unicode space separator (category Zs): thin and narrow no-break spaces group digits in typeset text,
# and any of them may come with a pasted number.
SPACE_SEPARATORS = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_AS_SPACE = str.maketrans(dict.fromkeys(SPACE_SEPARATORS, " ")) | {
    # Arabic's own decimal mark, and its thousands mark, which is never a decimal one (read like an apostrophe).
    ord("\u066b"): ".", ord("\u066c"): "'",
}
# Possessive quantifiers: a run of spaces is read once, not retried in every split (which took seconds).
_NUMBER_PREFIX = re.compile(r"^\s*+([+\-\u2212]?)\s*+[€$£]?\s*+(\d[\d.,' ]*+)(.*)$", re.DOTALL)
# "about 20,000", "almost 80%", "~98": a word that only says the number is rounded, as a question asking "roughly
# how many" invites; the tolerance decides whether it is near enough. Words that change the number ("over 98",
# "more than 98") are not among them.
_HEDGE = re.compile(r"^\s*+(?:(?:about|around|approximately|roughly|circa|some|almost|nearly)\s++"
                    r"|(?:approx\.|ca\.|c\.)\s*+|[~\u2248\u223c]\s*+)", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:[ ,.']\d{3})+$")
# "2.5-fold", "a 98-seat chamber": English joins a number to its unit with a hyphen in compounds.
_JOINING_HYPHEN = re.compile(r"^[\-\u2010\u2011](?=[^\W\d_])")
# Scientific notation ("9.8e1", "6.02E23", "1e-3 m"): the exponent's digits follow the e directly, so a unit
# that starts with e ("5 em", "3eV") stays a unit.
_EXPONENT = re.compile(r"^[eE]([+\-\u2212]?\d+)")
_MANTISSA = re.compile(r"\d+(?:[.,]\d+)?")


def hedged(text: str) -> bool:
    """Whether a typed number leads with a word or sign that says it is rounded ("about 98", "~98")."""
    return _HEDGE.match(_ascii_digits(text).translate(_AS_SPACE)) is not None


def parse_number(text: str) -> ParsedNumber | None:
    """Read '98', '29,4', '29.4%', '20 000', '1,000.5', '9.8e1', '98 seats', '2.5-fold' or 'about 98'; None if no
    number leads."""
    match = _NUMBER_PREFIX.match(_HEDGE.sub("", _ascii_digits(text).translate(_AS_SPACE), count=1))
    if not match:
        return None
    sign, digits, rest = match.groups()
    # Trailing separators belong to the sentence, not the number ("98.").
    trailing = len(digits) - len(digits.rstrip(" .,'"))
    if trailing:
        rest = digits[len(digits) - trailing:] + rest
        digits = digits[: len(digits) - trailing]
    exponent = None if trailing else _EXPONENT.match(rest)
    read = _read_scientific(digits, exponent[1]) if exponent else _read_digits(digits)
    if read is None:
        return None
    if exponent:
        rest = rest[exponent.end():]
    value, readings = read
    if sign in ("-", "\u2212"):
        value = -value
    unit = _JOINING_HYPHEN.sub("", rest).strip().rstrip(".").strip()
    return ParsedNumber(value, unit, tuple(sign + reading for reading in readings))


def _ascii_digits(text: str) -> str:
    """Digits of every script (Arabic-Indic ٣, Devanagari ३, full-width ３) as 0 to 9, so that the number offered
    back when it reads two ways is one anybody can read."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _read_scientific(mantissa: str, exponent: str) -> tuple[float, tuple[str, ...]] | None:
    """A number in scientific notation ("9.8e1", "9,8e1"); None for a grouped mantissa or past a float's range."""
    # Nobody groups thousands in a mantissa: its one separator, a dot or a comma, is the decimal mark.
    if not _MANTISSA.fullmatch(mantissa):
        return None
    power = exponent.replace("\u2212", "-")
    value = float(f"{mantissa.replace(',', '.')}e{power}")
    return (value, ()) if math.isfinite(value) else None


def _read_digits(digits: str) -> tuple[float, tuple[str, ...]] | None:
    """The number's value and, when a lone separator makes it read two ways, a clear spelling of each."""
    if " " in digits or "'" in digits:
        spaced = re.fullmatch(r"(\d{1,3}(?:[ ']\d{3})+)(?:[.,](\d+))?", digits)
        if not spaced:
            return None
        whole = re.sub(r"[ ']", "", spaced[1])
        return float(f"{whole}.{spaced[2]}" if spaced[2] else whole), ()
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        integer, _, fraction = digits.rpartition(decimal_mark)
        if thousands in fraction or not _GROUPED.match(integer.replace(thousands, ",")):
            return None
        return float(integer.replace(thousands, "") + "." + fraction), ()
    mark = "," if commas else "." if dots else ""
    if not mark:
        return float(digits), ()
    parts = digits.split(mark)
    if len(parts) == 2:
        whole, fraction = parts
        decimal = float(f"{whole}.{fraction}")
        # Groups of thousands follow one to three digits with no leading zero and hold exactly three digits:
        # anything else can only be a decimal mark.
        if len(fraction) != 3 or len(whole) > 3 or whole.startswith("0"):
            return decimal, ()
        grouped = float(whole + fraction)
        # Trailing zeros say nothing ("20.000" is 20); three decimals all kept get a fourth place, "2.1250",
        # so that the spelling offered back cannot be misread in turn.
        places = fraction.rstrip("0")
        if len(places) == 3:
            places += "0"
        spelled = f"{whole}{mark}{places}" if places else whole
        return (grouped if mark == "," else decimal), (whole + fraction, spelled)
    if _GROUPED.match(digits):
        return float(digits.replace(mark, "")), ()
    return None


_PERCENT = {"%", "percent", "per cent", "pct", "percentage points"}


def unit_words(unit: str) -> frozenset[str]:
    """The words of a unit, lower-cased, without currency signs or dots."""
    return frozenset(re.sub(r"[€$£.]", " ", unit.casefold()).split())


def _plurals(word: str) -> set[str]:
    # Regular English plurals only (MPs, deputies, inches), and none of one-letter symbols: "m" and "ms" are
    # different units.
    if len(word) < 2:
        return set()
    forms = {word + "s"}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    if word.endswith("y") and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    return forms


def same_word(typed: str, word: str) -> bool:
    """Whether two unit words are the same, one perhaps the other's plural (deputy, deputies)."""
    return typed == word or typed in _plurals(word) or word in _plurals(typed)


def _covers(words: frozenset[str], others: frozenset[str]) -> bool:
    return all(any(same_word(word, other) for other in others) for word in words)


def unit_accepted(given: str, expected: str, aliases: tuple[str, ...] = ()) -> bool:
    """Whether the unit a student typed names the expected unit (or none at all)."""
    given = given.strip().casefold()
    if not given:
        return True
    if expected.strip() == "%":
        return given in _PERCENT or given in {a.casefold() for a in aliases}
    given_words = unit_words(given)
    return any(_covers(given_words, words) and _covers(words, given_words)
               for words in map(unit_words, [expected, *aliases])) or (
        bool(expected) and _covers(given_words, unit_words(expected))
    )

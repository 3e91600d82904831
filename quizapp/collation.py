"""Alphabetical order of people's names in Latin, Russian and Kazakh, the same on every page and export, and
comparing names and titles without case."""

from __future__ import annotations

import unicodedata

# The Kazakh alphabet, with the Russian letters it shares in the Russian order: each Kazakh letter comes after the
# one it is drawn from (ә after а, қ after к...), not after я where its code point would put it. ё sorts with е,
# as Russian dictionaries have it; its dots only break ties.
_CYRILLIC = "аәбвгғдежзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RANK = {letter: chr(0xE000 + index) for index, letter in enumerate(_CYRILLIC)}


def name_key(name: str) -> tuple[str, str, str]:
    """A sort key for a name: by letters in alphabetical order, then accents and case, then as written."""
    caseless = unicodedata.normalize("NFC", name.casefold())
    primary = "".join(_primary(ch) for ch in caseless)
    return primary, caseless, name


def folded(text: str) -> str:
    """Text as compared without case or surrounding spaces, in every script: "Класс 9А" is "класс 9а"."""
    # Compared here, not with SQL lower(): that folds only A to Z on SQLite and on a PostgreSQL cluster of the C
    # locale, so a duplicate "Класс 9А" would go unnoticed there. What is compared is few rows fetched by an
    # indexed key (an instructor's classes, a class's assignments, a user's tokens), or the Users page's accounts,
    # which it sorts in Python anyway. Emails are stored normalised and compared as stored (accounts.user_by_email).
    return unicodedata.normalize("NFC", text.strip().casefold())


def _primary(ch: str) -> str:
    if ch in _RANK:  # й before its breve could be taken off
        return _RANK[ch]
    if ch == "ı":
        return "i"
    # Letters with accents sort with their base letter (Ä with A, Ş with S, ё with е).
    base = "".join(part for part in unicodedata.normalize("NFD", ch) if not unicodedata.combining(part))
    return "".join(_RANK.get(part, part) for part in base)
